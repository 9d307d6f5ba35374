package dev.meshgate.config.yaml;

import dev.meshgate.config.model.JsonName;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A miniature Istio-like model that uses every kind of type MODEL-CONVENTIONS allows. */
final class TestModel {

    private TestModel() {
    }

    enum Mode {
        SIMPLE, MUTUAL, @JsonName("GRPC-WEB") GRPC_WEB
    }

    public record Retries(Integer attempts, Duration perTryTimeout, String retryOn) {
    }

    public record StringMatch(String exact, String prefix, String regex) {
    }

    public record Route(String name, Retries retries, Duration timeout, Map<String, StringMatch> headers,
                        List<Route> children) {
        public Route {
            headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            children = children == null ? List.of() : List.copyOf(children);
        }
    }

    public record PortSettings(int number, Mode mode) {
    }

    public record Spec(
            List<String> hosts,
            List<Route> http,
            Map<String, String> labels,
            Map<Integer, PortSettings> portLevel,
            Map<String, Object> extra,
            Mode mode,
            Boolean enabled,
            boolean flag,
            int port,
            long big,
            double ratio,
            Integer count,
            Long total,
            Double weight,
            Duration timeout,
            Instant at,
            @JsonName("default") String defaultValue,
            List<Mode> modes) {
        public Spec {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
            http = http == null ? List.of() : List.copyOf(http);
            labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
            portLevel = portLevel == null ? Map.of() : Map.copyOf(portLevel);
            extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
            modes = modes == null ? List.of() : List.copyOf(modes);
        }
    }

    /** Its compact constructor rejects bad input, as some model records will. */
    public record Checked(int weight) {
        public Checked {
            if (weight > 100) {
                throw new IllegalArgumentException("weight must be <= 100");
            }
        }
    }

    public record Holder(Checked checked, Object anything) {
    }
}
