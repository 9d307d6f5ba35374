package dev.meshgate.cli;

import dev.meshgate.config.source.kubernetes.KubernetesSourceOptions;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code meshgate run --kubernetes}: the configuration comes from the Kubernetes API server instead of files. */
public final class KubernetesFlags {

    @Option(names = "--kubernetes",
            description = "Watch Istio resources and the service registry (Services, EndpointSlices, Pods) through "
                    + "the Kubernetes API: in a Pod with its service account, elsewhere with $KUBECONFIG or "
                    + "~/.kube/config.")
    boolean enabled;

    @Option(names = "--kubernetes-namespaces", split = ",", paramLabel = "NS[,NS...]",
            description = "Namespaces to watch with --kubernetes (default: all namespaces).")
    List<String> namespaces = new ArrayList<>();

    @Option(names = "--kubernetes-service-registry", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            paramLabel = "true|false",
            description = "Publish Services as ServiceEntries <svc>.<ns>.svc.<cluster domain> whose endpoints carry "
                    + "their Pods' labels (default: ${DEFAULT-VALUE}).")
    boolean serviceRegistry = true;

    @Option(names = "--kubernetes-write-status",
            description = "Write each Istio object's findings to its status (validationMessages), as istiod does; "
                    + "needs patch on <kind>/status. Not next to a running istiod.")
    boolean writeStatus;

    @Option(names = "--cluster-domain", paramLabel = "DOMAIN",
            defaultValue = KubernetesSourceOptions.DEFAULT_CLUSTER_DOMAIN,
            description = "The cluster's DNS domain (default: ${DEFAULT-VALUE}).")
    String clusterDomain = KubernetesSourceOptions.DEFAULT_CLUSTER_DOMAIN;

    public boolean enabled() {
        return enabled;
    }

    public KubernetesSourceOptions toOptions() {
        return KubernetesSourceOptions.defaults().withNamespaces(namespaces).withServiceRegistry(serviceRegistry)
                .withClusterDomain(clusterDomain).withWriteStatus(writeStatus);
    }
}
