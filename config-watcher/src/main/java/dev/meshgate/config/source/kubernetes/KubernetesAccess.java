package dev.meshgate.config.source.kubernetes;

import dev.meshgate.config.model.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The API access the source needs, and nothing more: get, list and watch (informers list then watch; get is what
 * {@code kubectl auth can-i} and discovery-less clients expect alongside). The Helm chart's RBAC rules are
 * checked against this list, so the two cannot drift apart.
 */
public final class KubernetesAccess {

    /** The verbs of every rule. */
    public static final List<String> READ_VERBS = List.of("get", "list", "watch");

    /** One RBAC rule line: an API group ("" is the core group) and a resource plural. */
    public record ApiResource(String group, String resource) {
    }

    private KubernetesAccess() {
    }

    /** What a source with these options reads. */
    public static List<ApiResource> required(Set<Kind> kinds, boolean serviceRegistry) {
        List<ApiResource> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (kinds.contains(k)) {
                out.add(new ApiResource(k.group(), k.plural()));
            }
        }
        if (serviceRegistry) {
            out.add(new ApiResource("", "services"));
            out.add(new ApiResource("", "pods"));
            out.add(new ApiResource("discovery.k8s.io", "endpointslices"));
            // cluster-scoped, best effort: the endpoints' region/zone/subzone (locality load balancing)
            out.add(new ApiResource("", "nodes"));
        }
        return List.copyOf(out);
    }

    public static List<ApiResource> required(KubernetesSourceOptions options) {
        return required(options.kinds(), options.serviceRegistry());
    }

    /** The verb of status writes ({@link KubernetesSourceOptions#writeStatus()}). */
    public static final List<String> STATUS_VERBS = List.of("patch");

    /** With status writing on: {@code <plural>/status} of each Istio kind, verb patch. */
    public static List<ApiResource> statusWrites(Set<Kind> kinds) {
        List<ApiResource> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (kinds.contains(k)) {
                out.add(new ApiResource(k.group(), k.plural() + "/status"));
            }
        }
        return List.copyOf(out);
    }
}
