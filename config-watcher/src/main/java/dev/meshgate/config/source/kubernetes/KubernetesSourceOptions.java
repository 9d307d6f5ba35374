package dev.meshgate.config.source.kubernetes;

import dev.meshgate.config.model.Kind;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * @param namespaces      namespaces to watch; empty = all namespaces (a ClusterRole is then needed)
 * @param kinds           Istio kinds to watch (each in the first of its versions the API server serves)
 * @param serviceRegistry also watch Services, EndpointSlices and Pods and publish them as synthetic
 *                        ServiceEntries (see {@link ServiceRegistryTranslator})
 * @param clusterDomain   the cluster's DNS domain: Services become {@code <svc>.<ns>.svc.<clusterDomain>}
 * @param coalesce        how long a change waits for more changes before one rebuild covers them all; informer
 *                        events come in bursts (a rollout touches Pods, EndpointSlices and Services together)
 * @param syncTimeout     how long {@link KubernetesConfigSource#start()} waits for the initial list of every kind
 * @param writeStatus     write each Istio object's findings to its {@code status} (off by default; needs
 *                        {@code patch} on {@code <plural>/status}; not next to a running istiod)
 */
public record KubernetesSourceOptions(List<String> namespaces, Set<Kind> kinds, boolean serviceRegistry,
                                      String clusterDomain, Duration coalesce, Duration syncTimeout,
                                      boolean writeStatus) {

    public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";
    public static final Duration DEFAULT_COALESCE = Duration.ofMillis(100);
    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(60);

    public KubernetesSourceOptions {
        namespaces = List.copyOf(namespaces);
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        Objects.requireNonNull(clusterDomain, "clusterDomain");
        Objects.requireNonNull(coalesce, "coalesce");
        Objects.requireNonNull(syncTimeout, "syncTimeout");
        if (coalesce.isNegative() || syncTimeout.isNegative() || syncTimeout.isZero()) {
            throw new IllegalArgumentException("coalesce must not be negative and syncTimeout must be positive");
        }
        for (String ns : namespaces) {
            if (ns == null || ns.isBlank()) {
                throw new IllegalArgumentException("empty namespace name");
            }
        }
    }

    /** Every Istio kind in every namespace, plus the service registry. */
    public static KubernetesSourceOptions defaults() {
        return new KubernetesSourceOptions(List.of(), EnumSet.allOf(Kind.class), true, DEFAULT_CLUSTER_DOMAIN,
                DEFAULT_COALESCE, DEFAULT_SYNC_TIMEOUT, false);
    }

    public KubernetesSourceOptions withNamespaces(List<String> ns) {
        return new KubernetesSourceOptions(ns, kinds, serviceRegistry, clusterDomain, coalesce, syncTimeout,
                writeStatus);
    }

    public KubernetesSourceOptions withKinds(Set<Kind> k) {
        return new KubernetesSourceOptions(namespaces, k, serviceRegistry, clusterDomain, coalesce, syncTimeout,
                writeStatus);
    }

    public KubernetesSourceOptions withServiceRegistry(boolean on) {
        return new KubernetesSourceOptions(namespaces, kinds, on, clusterDomain, coalesce, syncTimeout, writeStatus);
    }

    public KubernetesSourceOptions withClusterDomain(String domain) {
        return new KubernetesSourceOptions(namespaces, kinds, serviceRegistry, domain, coalesce, syncTimeout,
                writeStatus);
    }

    public KubernetesSourceOptions withCoalesce(Duration d) {
        return new KubernetesSourceOptions(namespaces, kinds, serviceRegistry, clusterDomain, d, syncTimeout,
                writeStatus);
    }

    public KubernetesSourceOptions withSyncTimeout(Duration d) {
        return new KubernetesSourceOptions(namespaces, kinds, serviceRegistry, clusterDomain, coalesce, d,
                writeStatus);
    }

    public KubernetesSourceOptions withWriteStatus(boolean on) {
        return new KubernetesSourceOptions(namespaces, kinds, serviceRegistry, clusterDomain, coalesce, syncTimeout,
                on);
    }

    public boolean allNamespaces() {
        return namespaces.isEmpty();
    }
}
