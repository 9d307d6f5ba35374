package dev.meshgate.config.source.kubernetes;

import dev.meshgate.config.model.Kind;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which version of each Istio kind to watch: the first of {@link Kind#versions()} (newest stable first) that the
 * API server lists the kind's plural under. A kind the server does not serve at all (its CRD is not installed)
 * is left out. All served versions of a CRD are views of the same objects, so one informer per kind sees all of
 * them, whichever version they were written with.
 */
final class ServedVersions {

    private ServedVersions() {
    }

    /** Discovery calls; a 404 (group/version not served) counts as "not there", any other failure throws. */
    static Map<Kind, String> discover(KubernetesClient client, Set<Kind> kinds) {
        Map<String, Set<String>> pluralsByGroupVersion = new HashMap<>();
        Map<Kind, String> out = new EnumMap<>(Kind.class);
        for (Kind k : kinds) {
            for (String v : k.versions()) {
                String gv = k.group() + "/" + v;
                Set<String> plurals = pluralsByGroupVersion.computeIfAbsent(gv, x -> plurals(client.getApiResources(x)));
                if (plurals.contains(k.plural())) {
                    out.put(k, v);
                    break;
                }
            }
        }
        return out;
    }

    private static Set<String> plurals(APIResourceList list) {
        if (list == null || list.getResources() == null) {
            return Set.of();
        }
        List<String> names = list.getResources().stream().map(APIResource::getName).toList();
        return Set.copyOf(names);
    }
}
