package dev.meshgate.gateway.upstream.registry;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a DestinationRule {@code tls.credentialName} to PEM files in the credentials directory, laid out like
 * mounted Secrets ({@code <dir>/<namespace>/<name>/}): {@code cert}/{@code key} else {@code tls.crt}/{@code tls.key};
 * CA from the {@code <name>-cacert} companion, else the credential itself, as {@code cacert} else {@code ca.crt}.
 * Gateways read credentialName Secrets from their own namespace. With a credential source (the Kubernetes Secret
 * source of {@code --kubernetes}) the name is not resolved to files: {@link #ref} names it in that source.
 */
public final class OriginationCredentials {

    public static final OriginationCredentials NONE = new OriginationCredentials(null, "istio-system");

    private final Path dir;
    private final String namespace;
    /**
     * Set once, before the first snapshot, when the runtime is given a credential source (the source is made after
     * the upstream side in the process' start-up order, so this cannot be a constructor argument).
     */
    private volatile boolean viaSource;

    public OriginationCredentials(Path dir, String namespace) {
        this.dir = dir;
        this.namespace = namespace;
    }

    /** From now on credentialName is read from the credential source, not from the directory. */
    public void useSource() {
        this.viaSource = true;
    }

    /** {@code namespace/name} in the credential source, or null when credentialName resolves to files. */
    String ref(String credentialName) {
        if (!viaSource || credentialName == null || credentialName.isEmpty()) {
            return null;
        }
        return credentialName.indexOf('/') > 0 ? credentialName : namespace + "/" + credentialName;
    }

    /** @return {cert, key, ca} paths (each null when absent) */
    String[] resolve(String credentialName) {
        String[] out = new String[3];
        if (dir == null || credentialName == null || viaSource) {
            return out;
        }
        String name = credentialName;
        String ns = namespace;
        int slash = credentialName.indexOf('/');
        if (slash > 0) {
            ns = credentialName.substring(0, slash);
            name = credentialName.substring(slash + 1);
        }
        Path own = dir.resolve(ns).resolve(name);
        out[0] = first(own, "cert", "tls.crt");
        out[1] = first(own, "key", "tls.key");
        String ca = first(dir.resolve(ns).resolve(name + "-cacert"), "cacert", "ca.crt");
        out[2] = ca != null ? ca : first(own, "cacert", "ca.crt");
        return out;
    }

    private static String first(Path d, String a, String b) {
        if (Files.isRegularFile(d.resolve(a))) {
            return d.resolve(a).toString();
        }
        if (Files.isRegularFile(d.resolve(b))) {
            return d.resolve(b).toString();
        }
        return null;
    }
}
