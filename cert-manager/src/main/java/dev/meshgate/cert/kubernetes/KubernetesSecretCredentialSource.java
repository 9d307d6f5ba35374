package dev.meshgate.cert.kubernetes;

import dev.meshgate.cert.CredentialException;
import dev.meshgate.cert.CredentialRef;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.pem.CredentialParser;
import dev.meshgate.cert.source.CredentialMaterial;
import dev.meshgate.cert.source.PollingCredentialSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Istio {@code credentialName} read from Kubernetes Secrets through the API, with the key layouts Istio accepts
 * ({@link SecretLayout}). One Secret informer per namespace given (Istio reads credentials from the gateway's own
 * namespace; a credential in any other namespace is refused with a message saying so). A Secret added, changed or
 * deleted that a credential uses (itself or its {@code <name>-cacert} companion) re-reads the credentials from the
 * informer cache at once, and a rotated one is reported to the listeners; a broken rotation is logged and the
 * previous certificate stays in force, as for the file sources whose machinery this shares. A periodic check of
 * the cache ({@link #RECHECK_INTERVAL}) is the safety net; it costs a hash per credential.
 *
 * <p>RBAC: get, list and watch on {@code secrets} in those namespaces ({@link #RBAC_RESOURCES}).
 */
public final class KubernetesSecretCredentialSource extends PollingCredentialSource {

    /** Core-group resources this source reads, with verbs get, list and watch. */
    public static final List<String> RBAC_RESOURCES = List.of("secrets");
    public static final Duration RECHECK_INTERVAL = Duration.ofSeconds(60);

    private static final System.Logger LOG = System.getLogger("dev.meshgate.cert");

    private final KubernetesClient client;
    private final Map<String, SharedIndexInformer<Secret>> informers = new LinkedHashMap<>();
    /** Secret names (namespace/name) that credentials asked for use, main and companion. */
    private final Set<String> used = ConcurrentHashMap.newKeySet();

    /** The client stays the caller's to close. */
    public KubernetesSecretCredentialSource(Vertx vertx, KubernetesClient client, List<String> namespaces) {
        super(vertx, RECHECK_INTERVAL, new CredentialParser());
        this.client = client;
        if (namespaces.isEmpty()) {
            throw new IllegalArgumentException("at least one namespace to read Secrets from is needed");
        }
        for (String ns : namespaces) {
            SharedIndexInformer<Secret> informer = client.secrets().inNamespace(ns).runnableInformer(0);
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Secret s) {
                    touched(s);
                }

                @Override
                public void onUpdate(Secret oldS, Secret newS) {
                    touched(newS);
                }

                @Override
                public void onDelete(Secret s, boolean finalStateUnknown) {
                    touched(s);
                }
            });
            // keep watching through API-server outages once started; fail start() otherwise
            informer.exceptionHandler((isStarted, t) -> isStarted);
            informers.put(ns, informer);
        }
    }

    /** Starts the informers; completes once every namespace's Secrets are listed (fails on RBAC errors and such). */
    public Future<Void> start() {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (SharedIndexInformer<Secret> i : informers.values()) {
            starts.add(i.start().toCompletableFuture());
        }
        return Future.fromCompletionStage(CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)));
    }

    @Override
    public Future<TlsCredential> get(String namespace, String name) {
        used.add(namespace + "/" + name);
        used.add(namespace + "/" + name + "-cacert");
        return super.get(namespace, name);
    }

    @Override
    public Future<dev.meshgate.cert.pem.PemInput> caOnly(String namespace, String name) {
        used.add(namespace + "/" + name);
        used.add(namespace + "/" + name + "-cacert");
        return vertx.executeBlocking(() -> {
            String credential = namespace + "/" + name;
            SharedIndexInformer<Secret> informer = informers.get(namespace);
            if (informer == null) {
                throw new CredentialException(credential, "Secrets are read from namespace(s) " + informers.keySet()
                        + " only (the gateway's namespace, as in Istio); this one is in namespace " + namespace);
            }
            Secret companion = informer.getStore().getByKey(namespace + "/" + name + "-cacert");
            Secret main = informer.getStore().getByKey(namespace + "/" + name);
            if (companion == null && main == null) {
                // the cache may lag a Secret created with the rule that names it (worker thread)
                companion = client.secrets().inNamespace(namespace).withName(name + "-cacert").get();
                main = client.secrets().inNamespace(namespace).withName(name).get();
            }
            if (companion == null && main == null) {
                throw new CredentialException(credential, "Secret " + credential + " not found");
            }
            return SecretLayout.caOnly(credential, companion != null ? namespace + "/" + name + "-cacert"
                    : credential, companion != null ? companion.getData() : main.getData());
        }, false);
    }

    @Override
    protected CredentialMaterial read(CredentialRef ref) {
        String credential = ref.toString();
        SharedIndexInformer<Secret> informer = informers.get(ref.namespace());
        if (informer == null) {
            throw new CredentialException(credential, "Secrets are read from namespace(s) " + informers.keySet()
                    + " only (the gateway's namespace, as in Istio); this one is in namespace " + ref.namespace());
        }
        Secret main = informer.getStore().getByKey(ref.namespace() + "/" + ref.name());
        Secret companion = informer.getStore().getByKey(ref.namespace() + "/" + ref.name() + "-cacert");
        if (main == null) {
            // The cache may lag a Secret created together with the Gateway that names it: ask the API server
            // directly (this runs on a worker thread), and then the companion too, whose event may lag as well.
            main = client.secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
            if (main == null) {
                throw new CredentialException(credential, "Secret " + ref.namespace() + "/" + ref.name()
                        + " not found");
            }
            companion = client.secrets().inNamespace(ref.namespace()).withName(ref.name() + "-cacert").get();
        }
        String companionName = ref.name() + "-cacert";
        return SecretLayout.material(credential, ref.namespace() + "/" + ref.name(), main.getData(),
                ref.namespace() + "/" + companionName, companion == null ? null
                        : companion.getData() == null ? Map.of() : companion.getData());
    }

    private void touched(Secret s) {
        String key = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
        if (used.contains(key)) {
            pollNow().onFailure(t -> LOG.log(System.Logger.Level.ERROR, "re-reading credentials after a change of "
                    + "Secret " + key + " failed", t));
        }
    }

    @Override
    public void close() {
        super.close();
        for (SharedIndexInformer<Secret> i : informers.values()) {
            i.stop();
        }
    }
}
