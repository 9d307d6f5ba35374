package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.cert.Registration;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.pem.CredentialParser;
import dev.meshgate.cert.pem.PemInput;
import dev.meshgate.cert.source.CredentialFiles;
import dev.meshgate.cert.source.FileCredentialSource;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.ClusterTable;
import dev.meshgate.gateway.upstream.cluster.TlsOrigination;
import dev.meshgate.gateway.upstream.forward.ClientKeyMaterial;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * TLS origination credentials that follow rotations without a config change, like the edge's server credentials:
 * each MUTUAL origination's files (clientCertificate, privateKey and caCertificates, whether written in the
 * DestinationRule or found through credentialName) are watched by cert-manager's {@link FileCredentialSource}
 * (content polled every {@code pollInterval}, a broken update logged and the previous credential kept). The upstream
 * client is built once with a {@link RotatingKeyManager} and a {@link RotatingTrustManager} that hand out the
 * credential in force at each new handshake: connections already open keep the certificate they presented, the
 * next new connection presents the new one (Envoy's SDS behaves the same).
 */
public final class OriginationKeys implements ClientKeyMaterial {

    private static final Logger LOG = Logger.getLogger(OriginationKeys.class.getName());

    /** The managers of one set of files. */
    private record Watched(RotatingKeyManager keys, RotatingTrustManager trust,
                           List<Supplier<Future<?>>> onRotation) {
    }

    private final FileCredentialSource files;
    private final Registration registration;
    private final CredentialParser parser = new CredentialParser();
    /** By client certificate path: the credential name the file source reports changes under. */
    private final Map<String, Watched> byCert = new ConcurrentHashMap<>();
    /** The TLS context renewals of the last rotations (pollNow waits for them). */
    private volatile Future<Void> renewals = Future.succeededFuture();

    public OriginationKeys(Vertx vertx, Duration pollInterval) {
        this.files = new FileCredentialSource(vertx, pollInterval);
        this.registration = files.addListener(this::changed);
    }

    /**
     * Starts watching the MUTUAL originations of a newly compiled table (reading their files now, so the first
     * handshake has them). Called where the table is compiled, not on an event loop.
     */
    public void watch(ClusterTable table) {
        for (Cluster c : table.clusters().values()) {
            TlsOrigination t = c.policy().tls();
            if (t != null && t.mutual() && t.clientCertificate() != null && t.privateKey() != null) {
                watched(t.clientTls());
            }
        }
    }

    @Override
    public Material material(TlsOrigination.ClientTls tls) {
        if (tls.clientCertificate() == null || tls.privateKey() == null) {
            return null; // SIMPLE: the CA file is read once per client (see docs/egress.md)
        }
        Watched w = watched(tls);
        if (w == null) {
            return null;
        }
        return new Material(KeyCertOptions.wrap(w.keys().view()),
                tls.caCertificates() == null || tls.trustAll() ? null : TrustOptions.wrap(w.trust().view()),
                w.onRotation()::add);
    }

    private Watched watched(TlsOrigination.ClientTls tls) {
        CredentialFiles paths = new CredentialFiles(tls.clientCertificate(), tls.privateKey(), tls.caCertificates(),
                null);
        String name = FileCredentialSource.refOf(paths).toString();
        Watched w = byCert.get(name);
        if (w != null) {
            return w;
        }
        TlsCredential first;
        try {
            first = readNow(name, paths);
        } catch (RuntimeException e) {
            // as before: the client is built without a certificate and its handshakes fail (503 UF)
            LOG.log(Level.WARNING, "TLS origination: cannot load " + name + ": " + e.getMessage());
            return null;
        }
        Watched fresh = new Watched(new RotatingKeyManager(first), new RotatingTrustManager(first),
                new CopyOnWriteArrayList<>());
        Watched raced = byCert.putIfAbsent(name, fresh);
        if (raced != null) {
            return raced;
        }
        // the source reloads the files when their content changes and tells changed() about it
        files.load(paths).onFailure(t -> LOG.log(Level.WARNING, "TLS origination: cannot watch " + name + ": "
                + t.getMessage()));
        return fresh;
    }

    private TlsCredential readNow(String name, CredentialFiles paths) {
        return parser.parse(name, paths.serverCertificate() + ", " + paths.privateKey(),
                read(paths.serverCertificate()), read(paths.privateKey()),
                paths.caCertificates() == null ? null : read(paths.caCertificates()), null);
    }

    private static PemInput read(String file) {
        try {
            return new PemInput(file, Files.readAllBytes(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private void changed(TlsCredential credential) {
        Watched w = byCert.get(credential.name());
        if (w != null && w.keys().update(credential)) {
            w.trust().update(credential);
            LOG.info("TLS origination: " + credential.name() + " rotated to serial " + credential.serialHex()
                    + "; new upstream connections present it");
            List<Future<?>> all = new java.util.ArrayList<>();
            for (Supplier<Future<?>> r : w.onRotation()) {
                all.add(r.get());
            }
            Future<Void> done = Future.join(all).mapEmpty();
            Future<Void> before = renewals;
            renewals = Future.join(before, done).mapEmpty();
            done.onFailure(t -> LOG.log(Level.WARNING, "TLS origination: renewing the TLS context after rotating "
                    + credential.name() + " failed: " + t.getMessage()));
        }
    }

    /**
     * Re-reads every watched file now (the timer does it every poll interval); completes once the clients of any
     * rotated credential use it for their next connections.
     */
    public Future<Void> pollNow() {
        return files.pollNow().compose(v -> renewals).otherwiseEmpty();
    }

    /** The serial (hex) of the client certificate now in force for this file, or null (tests, admin). */
    public String serialInForce(String clientCertificate) {
        Watched w = byCert.get(new dev.meshgate.cert.CredentialRef(dev.meshgate.cert.CredentialRef.FILES,
                clientCertificate).toString());
        return w == null ? null : w.keys().serialHex();
    }

    public void close() {
        registration.cancel();
        files.close();
    }
}
