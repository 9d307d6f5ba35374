package dev.meshgate.gateway.observe;

import java.util.Map;

/**
 * The gateway's own workload, which Istio reports as the {@code source_*} labels (an ingress gateway is the
 * "source" reporter). Unknown values are {@code "unknown"} as in Istio, except the canonical revision, whose
 * Istio default is {@code "latest"}.
 */
public record WorkloadIdentity(String workload, String namespace, String app, String version,
                               String canonicalService, String canonicalRevision, String cluster,
                               String principal) {

    public static final String UNKNOWN = "unknown";

    public WorkloadIdentity {
        workload = orUnknown(workload);
        namespace = orUnknown(namespace);
        app = orUnknown(app);
        version = orUnknown(version);
        canonicalService = orUnknown(canonicalService);
        canonicalRevision = canonicalRevision == null || canonicalRevision.isBlank() ? "latest" : canonicalRevision;
        cluster = orUnknown(cluster);
        principal = orUnknown(principal);
    }

    public static WorkloadIdentity unknown() {
        return new WorkloadIdentity(null, null, null, null, null, null, null, null);
    }

    /**
     * Resolves the identity as pilot-agent does for a gateway pod: {@code ISTIO_META_WORKLOAD_NAME}, else the
     * Deployment name derived from {@code POD_NAME}; {@code POD_NAMESPACE}, else {@code namespaceFallback};
     * app/version/canonical names from the workload labels (Istio's label precedence), {@code ISTIO_META_CLUSTER_ID}
     * for the cluster.
     *
     * @param env    the process environment (System.getenv() in production)
     * @param labels the gateway instance's workload labels
     */
    public static WorkloadIdentity resolve(Map<String, String> env, Map<String, String> labels,
                                           String namespaceFallback) {
        String workload = env.get("ISTIO_META_WORKLOAD_NAME");
        if (blank(workload)) {
            workload = deploymentOf(env.get("POD_NAME"));
        }
        String ns = env.get("POD_NAMESPACE");
        if (blank(ns)) {
            ns = namespaceFallback;
        }
        String app = first(labels, "app", "app.kubernetes.io/name");
        String version = first(labels, "version", "app.kubernetes.io/version");
        String canonical = first(labels, "service.istio.io/canonical-name", "app.kubernetes.io/name", "app");
        if (blank(canonical)) {
            canonical = workload;
        }
        String revision = first(labels, "service.istio.io/canonical-revision", "app.kubernetes.io/version", "version");
        return new WorkloadIdentity(workload, ns, app, version, canonical, revision,
                env.get("ISTIO_META_CLUSTER_ID"), null);
    }

    /** {@code name-6d8f9c7b5d-x2k4q} (Deployment pod) gives {@code name}; anything else is kept as is. */
    static String deploymentOf(String pod) {
        if (blank(pod)) {
            return null;
        }
        int last = pod.lastIndexOf('-');
        if (last <= 0 || pod.length() - last - 1 != 5 || !alnum(pod, last + 1, pod.length())) {
            return pod;
        }
        int prev = pod.lastIndexOf('-', last - 1);
        if (prev <= 0 || last - prev - 1 < 5 || last - prev - 1 > 10 || !alnum(pod, prev + 1, last)) {
            return pod;
        }
        return pod.substring(0, prev);
    }

    private static boolean alnum(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static String first(Map<String, String> labels, String... keys) {
        for (String k : keys) {
            String v = labels.get(k);
            if (!blank(v)) {
                return v;
            }
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String orUnknown(String s) {
        return blank(s) ? UNKNOWN : s;
    }
}
