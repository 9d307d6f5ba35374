package dev.meshgate.gateway.upstream.registry;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a DestinationRule {@code tls.credentialName} to PEM files in the credentials directory, laid out like
 * mounted Secrets ({@code <dir>/<namespace>/<name>/}): {@code cert}/{@code key} else {@code tls.crt}/{@code tls.key};
 * CA from the {@code <name>-cacert} companion, else the credential itself, as {@code cacert} else {@code ca.crt}.
 * Gateways read credentialName Secrets from their own namespace.
 */
public final class OriginationCredentials {

    public static final OriginationCredentials NONE = new OriginationCredentials(null, "istio-system");

    private final Path dir;
    private final String namespace;

    public OriginationCredentials(Path dir, String namespace) {
        this.dir = dir;
        this.namespace = namespace;
    }

    /** @return {cert, key, ca} paths (each null when absent) */
    String[] resolve(String credentialName) {
        String[] out = new String[3];
        if (dir == null || credentialName == null) {
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
