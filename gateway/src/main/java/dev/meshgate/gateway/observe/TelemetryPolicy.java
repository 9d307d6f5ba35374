package dev.meshgate.gateway.observe;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.telemetry.AccessLogging;
import dev.meshgate.config.model.telemetry.ProviderRef;
import dev.meshgate.config.model.telemetry.Telemetry;
import dev.meshgate.config.model.telemetry.WorkloadMode;
import dev.meshgate.config.snapshot.ConfigSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resolves the access-log settings from the {@code Telemetry} resources of a snapshot, as Istio picks them for a
 * gateway workload: the most specific level that has {@code accessLogging} wins (workload selector matching the
 * gateway's labels in its namespace, else a selector-less one in its namespace, else a selector-less one in the
 * root namespace); within a level the first resource in (namespace, name) order wins and the others are reported.
 * Rules with {@code match.mode: SERVER} do not apply (a gateway is a client). Only the {@code envoy} provider
 * (file access log, also the default when {@code providers} is empty) is supported; other providers are reported
 * and ignored. A filter outside the supported subset ({@link AccessLogFilter}) is reported and the rule logs
 * everything (fail open: losing logs is worse than extra lines). Without an applicable Telemetry the flags decide.
 */
public final class TelemetryPolicy {

    public static final String ENVOY_PROVIDER = "envoy";

    /** Result plus the warnings to log, each naming the resource and field. */
    public record Resolution(AccessLogSettings settings, String source, List<String> warnings) {
    }

    private TelemetryPolicy() {
    }

    public static Resolution accessLog(ConfigSnapshot snapshot, Map<String, String> gatewayLabels,
                                       String gatewayNamespace, String rootNamespace, AccessLogSettings fromFlags) {
        List<String> warnings = new ArrayList<>();
        List<Resource<Telemetry>> workload = new ArrayList<>();
        List<Resource<Telemetry>> namespace = new ArrayList<>();
        List<Resource<Telemetry>> mesh = new ArrayList<>();
        for (Resource<Telemetry> r : snapshot.all(Telemetry.class)) {
            Telemetry t = r.spec();
            if (t.accessLogging().isEmpty()) {
                continue;
            }
            boolean hasSelector = t.selector() != null && !t.selector().matchLabels().isEmpty();
            boolean hasTargets = t.targetRef() != null || !t.targetRefs().isEmpty();
            if (hasTargets) {
                if (r.namespace() != null && r.namespace().equals(gatewayNamespace)) {
                    warnings.add(r.displayName() + " spec.targetRefs: policy attachment is not supported by "
                            + "meshgate; use spec.selector to target the gateway");
                }
                continue;
            }
            if (hasSelector) {
                if (equalsNs(r, gatewayNamespace)
                        && gatewayLabels.entrySet().containsAll(t.selector().matchLabels().entrySet())) {
                    workload.add(r);
                }
            } else if (equalsNs(r, gatewayNamespace)) {
                namespace.add(r);
            } else if (equalsNs(r, rootNamespace)) {
                mesh.add(r);
            }
        }
        List<Resource<Telemetry>> level = !workload.isEmpty() ? workload : !namespace.isEmpty() ? namespace : mesh;
        if (level.isEmpty()) {
            return new Resolution(fromFlags, "flags", warnings);
        }
        Resource<Telemetry> chosen = level.get(0);
        for (int i = 1; i < level.size(); i++) {
            warnings.add(level.get(i).displayName() + " spec.accessLogging: ignored, " + chosen.displayName()
                    + " applies to the same gateway at the same level and comes first");
        }
        return new Resolution(settingsOf(chosen, fromFlags, warnings), chosen.displayName(), warnings);
    }

    private static boolean equalsNs(Resource<?> r, String ns) {
        return ns != null && ns.equals(r.namespace());
    }

    private static AccessLogSettings settingsOf(Resource<Telemetry> r, AccessLogSettings flags,
                                                List<String> warnings) {
        List<AccessLogging> rules = r.spec().accessLogging();
        Boolean enabled = null;
        AccessLogFilter filter = null;
        for (int i = 0; i < rules.size(); i++) {
            AccessLogging rule = rules.get(i);
            String field = "spec.accessLogging[" + i + "]";
            if (rule.match() != null && rule.match().mode() == WorkloadMode.SERVER) {
                continue;
            }
            if (!usesEnvoy(rule, r, field, warnings)) {
                continue;
            }
            if (Boolean.TRUE.equals(rule.disabled())) {
                if (enabled == null) {
                    enabled = false;
                }
                continue;
            }
            AccessLogFilter f = AccessLogFilter.ALL;
            if (rule.filter() != null) {
                try {
                    f = AccessLogFilter.parse(rule.filter().expression());
                } catch (IllegalArgumentException e) {
                    warnings.add(r.displayName() + " " + field + ".filter.expression: " + e.getMessage()
                            + "; logging every request instead");
                }
            }
            if (Boolean.TRUE.equals(enabled)) {
                // two enabled rules for the same file provider: one log line per request, either filter passes
                filter = filter == AccessLogFilter.ALL || f == AccessLogFilter.ALL ? AccessLogFilter.ALL
                        : new AccessLogFilter.Or(filter, f);
            } else {
                filter = f;
            }
            enabled = true;
        }
        if (enabled == null) {
            return flags;
        }
        return new AccessLogSettings(enabled, flags.format(), enabled ? filter : AccessLogFilter.ALL);
    }

    private static boolean usesEnvoy(AccessLogging rule, Resource<Telemetry> r, String field, List<String> warnings) {
        if (rule.providers().isEmpty()) {
            return true;
        }
        boolean envoy = false;
        for (int p = 0; p < rule.providers().size(); p++) {
            ProviderRef ref = rule.providers().get(p);
            if (ref != null && ENVOY_PROVIDER.equals(ref.name())) {
                envoy = true;
            } else {
                warnings.add(r.displayName() + " " + field + ".providers[" + p + "]: provider '"
                        + (ref == null ? null : ref.name()) + "' is not supported; only '" + ENVOY_PROVIDER
                        + "' (file access log) is");
            }
        }
        return envoy;
    }
}
