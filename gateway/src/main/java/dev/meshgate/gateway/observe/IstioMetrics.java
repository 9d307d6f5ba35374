package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Istio's standard metrics (names, labels, Envoy's default buckets) as an ingress gateway reports them:
 * {@code reporter="source"}, source_* = this gateway, destination_* = the cluster's service. Meters are
 * registered once per label set and cached under a small immutable key, so a request costs one map lookup plus
 * the increments. The HTTP-side Host-header fallback (404s without a cluster) is capped at
 * {@link #MAX_FALLBACK_SERIES} distinct hosts, beyond which they count as "unknown".
 */
public final class IstioMetrics implements ExchangeObserver {

    /** Envoy's default histogram buckets (ms for durations, bytes for sizes), which Istio keeps. */
    public static final double[] BUCKETS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
            60000, 300000, 600000, 1800000, 3600000};
    static final int MAX_FALLBACK_SERIES = 1000;

    public static final String REQUESTS_TOTAL = "istio_requests_total";
    public static final String REQUEST_DURATION = "istio_request_duration_milliseconds";
    public static final String REQUEST_BYTES = "istio_request_bytes";
    public static final String RESPONSE_BYTES = "istio_response_bytes";
    public static final String REQUEST_MESSAGES = "istio_request_messages_total";
    public static final String RESPONSE_MESSAGES = "istio_response_messages_total";
    public static final String TCP_SENT = "istio_tcp_sent_bytes_total";
    public static final String TCP_RECEIVED = "istio_tcp_received_bytes_total";
    public static final String TCP_OPENED = "istio_tcp_connections_opened_total";
    public static final String TCP_CLOSED = "istio_tcp_connections_closed_total";

    private final MeterRegistry registry;
    private final List<Tag> sourceTags;
    private final ConcurrentHashMap<HttpKey, HttpMeters> http = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TcpKey, TcpMeters> tcp = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DestinationService> destinations = new ConcurrentHashMap<>();
    private final Set<String> fallbackHosts = ConcurrentHashMap.newKeySet();

    public IstioMetrics(MeterRegistry registry, WorkloadIdentity source) {
        this.registry = registry;
        this.sourceTags = List.of(
                Tag.of("reporter", "source"),
                Tag.of("source_workload", source.workload()),
                Tag.of("source_canonical_service", source.canonicalService()),
                Tag.of("source_canonical_revision", source.canonicalRevision()),
                Tag.of("source_workload_namespace", source.namespace()),
                Tag.of("source_principal", source.principal()),
                Tag.of("source_app", source.app()),
                Tag.of("source_version", source.version()),
                Tag.of("source_cluster", source.cluster()),
                // the gateway does not know the backend's pod; Istio learns it through peer metadata exchange
                Tag.of("destination_workload", WorkloadIdentity.UNKNOWN),
                Tag.of("destination_workload_namespace", WorkloadIdentity.UNKNOWN),
                Tag.of("destination_principal", WorkloadIdentity.UNKNOWN),
                Tag.of("destination_app", WorkloadIdentity.UNKNOWN),
                Tag.of("destination_version", WorkloadIdentity.UNKNOWN),
                Tag.of("destination_canonical_service", WorkloadIdentity.UNKNOWN),
                Tag.of("destination_canonical_revision", "latest"),
                Tag.of("destination_cluster", WorkloadIdentity.UNKNOWN),
                Tag.of("connection_security_policy", WorkloadIdentity.UNKNOWN));
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void onComplete(Exchange ex, int statusCode) {
        HttpServerRequest req = ex.request();
        HttpServerResponse resp = req.response();
        boolean grpc = ExchangeFacts.isGrpc(req);
        int grpcStatus = grpc ? ExchangeFacts.grpcStatus(resp, statusCode) : ExchangeFacts.NO_GRPC_STATUS;
        record(ex.upstreamCluster(), ex.authority(), statusCode, flagBits(ex.flags()), grpc, grpcStatus,
                ex.durationMillisExact(), req.bytesRead(), resp.bytesWritten(),
                ex.grpcRequestMessages(), ex.grpcResponseMessages());
    }

    /** One finished HTTP request; public for tests and for protocols that do not go through an Exchange. */
    public void record(String cluster, String authority, int statusCode, long flagBits, boolean grpc, int grpcStatus,
                       double durationMillis, long requestBytes, long responseBytes,
                       long requestMessages, long responseMessages) {
        String fallback = null;
        if (cluster == null) {
            fallback = authority == null ? "" : authority;
            if (!fallbackHosts.contains(fallback)) {
                if (fallbackHosts.size() >= MAX_FALLBACK_SERIES) {
                    fallback = "";
                } else {
                    fallbackHosts.add(fallback);
                }
            }
        }
        HttpKey key = new HttpKey(cluster, fallback, statusCode, flagBits, grpc, grpcStatus);
        HttpMeters m = http.get(key);
        if (m == null) {
            m = http.computeIfAbsent(key, this::register);
        }
        m.requests.increment();
        m.duration.record(durationMillis);
        m.requestBytes.record(requestBytes);
        m.responseBytes.record(responseBytes);
        if (grpc) {
            m.requestMessages.increment(requestMessages);
            m.responseMessages.increment(responseMessages);
        }
    }

    /**
     * The TCP meters of one cluster and flag set, for the TCP proxy: count {@code opened} when the upstream
     * connection is set up, add bytes as they flow (or periodically), {@code closed} once at close.
     */
    public TcpMeters tcp(String cluster, Set<ResponseFlag> flags) {
        TcpKey key = new TcpKey(cluster, flagBits(flags));
        TcpMeters m = tcp.get(key);
        return m != null ? m : tcp.computeIfAbsent(key, this::register);
    }

    public static long flagBits(Set<ResponseFlag> flags) {
        long bits = 0;
        for (ResponseFlag f : flags) {
            bits |= 1L << f.ordinal();
        }
        return bits;
    }

    static String flagsString(long bits) {
        if (bits == 0) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (ResponseFlag f : ResponseFlag.values()) {
            if ((bits & (1L << f.ordinal())) != 0) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(f.name());
            }
        }
        return sb.toString();
    }

    private DestinationService destination(String cluster, String fallback) {
        if (cluster != null) {
            return destinations.computeIfAbsent(cluster, DestinationService::ofCluster);
        }
        return fallback.isEmpty() ? DestinationService.UNKNOWN : DestinationService.ofHostHeader(fallback);
    }

    private Tags commonTags(DestinationService d, String protocol, long flagBits) {
        List<Tag> tags = new ArrayList<>(sourceTags.size() + 8);
        tags.addAll(sourceTags);
        tags.add(Tag.of("destination_service", d.service()));
        tags.add(Tag.of("destination_service_name", d.name()));
        tags.add(Tag.of("destination_service_namespace", d.namespace()));
        tags.add(Tag.of("request_protocol", protocol));
        tags.add(Tag.of("response_flags", flagsString(flagBits)));
        return Tags.of(tags);
    }

    private HttpMeters register(HttpKey k) {
        Tags tags = commonTags(destination(k.cluster, k.fallbackHost), k.grpc ? "grpc" : "http", k.flagBits)
                .and("response_code", Integer.toString(k.code))
                .and("grpc_response_status", k.grpcStatus < 0 ? "" : Integer.toString(k.grpcStatus));
        return new HttpMeters(
                Counter.builder(REQUESTS_TOTAL).tags(tags).register(registry),
                histogram(REQUEST_DURATION, tags),
                histogram(REQUEST_BYTES, tags),
                histogram(RESPONSE_BYTES, tags),
                k.grpc ? Counter.builder(REQUEST_MESSAGES).tags(tags).register(registry) : null,
                k.grpc ? Counter.builder(RESPONSE_MESSAGES).tags(tags).register(registry) : null);
    }

    private TcpMeters register(TcpKey k) {
        Tags tags = commonTags(k.cluster == null ? DestinationService.UNKNOWN : destination(k.cluster, ""), "tcp",
                k.flagBits);
        return new TcpMeters(
                Counter.builder(TCP_OPENED).tags(tags).register(registry),
                Counter.builder(TCP_CLOSED).tags(tags).register(registry),
                Counter.builder(TCP_SENT).tags(tags).register(registry),
                Counter.builder(TCP_RECEIVED).tags(tags).register(registry));
    }

    private DistributionSummary histogram(String name, Tags tags) {
        return DistributionSummary.builder(name).tags(tags).serviceLevelObjectives(BUCKETS).register(registry);
    }

    private record HttpKey(String cluster, String fallbackHost, int code, long flagBits, boolean grpc,
                           int grpcStatus) {
    }

    private record TcpKey(String cluster, long flagBits) {
    }

    private record HttpMeters(Counter requests, DistributionSummary duration, DistributionSummary requestBytes,
                              DistributionSummary responseBytes, Counter requestMessages,
                              Counter responseMessages) {
    }

    /** The four istio_tcp_* counters of one label set. Thread-safe. */
    public record TcpMeters(Counter opened, Counter closed, Counter sentBytes, Counter receivedBytes) {

        public void connectionOpened() {
            opened.increment();
        }

        public void connectionClosed() {
            closed.increment();
        }

        /** Bytes sent downstream (response direction) and received from downstream (request direction). */
        public void bytes(long sent, long received) {
            if (sent > 0) {
                sentBytes.increment(sent);
            }
            if (received > 0) {
                receivedBytes.increment(received);
            }
        }
    }
}
