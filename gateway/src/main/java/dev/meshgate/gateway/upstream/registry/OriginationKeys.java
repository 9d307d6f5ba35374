package dev.meshgate.gateway.upstream.registry;

import dev.meshgate.cert.Registration;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.pem.CredentialParser;
import dev.meshgate.cert.pem.PemCodec;
import dev.meshgate.cert.pem.PemException;
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
 * next new connection presents the new one (Envoy's SDS behaves the same). The CA file of a SIMPLE origination
 * (no client certificate) is polled on its own. Each rotation renews the clients' TLS contexts (see
 * {@link ClientKeyMaterial.Material#onRotation()}).
 *
 * <p>With a credential source ({@link #source}: the Kubernetes Secret source of {@code --kubernetes}, shared with
 * the edge) a {@code credentialName} is read from it instead of files, and the source's reloads (a Secret update)
 * rotate it the same way. Until its first read completes the client presents no certificate and trusts nothing,
 * so a handshake in that short window fails (503 UF) rather than use a wrong credential.
 */
public final class OriginationKeys implements ClientKeyMaterial {

    private static final Logger LOG = Logger.getLogger(OriginationKeys.class.getName());

    /** The managers of one set of files. */
    private record Watched(RotatingKeyManager keys, RotatingTrustManager trust,
                           List<Supplier<Future<?>>> onRotation) {
    }

    private final Vertx vertx;
    private final FileCredentialSource files;
    /** CA files of SIMPLE originations, by path. */
    private final Map<String, CaWatched> byCa = new ConcurrentHashMap<>();
    private final long caTimer;
    private volatile boolean caPolling;
    private final Registration registration;
    private final CredentialParser parser = new CredentialParser();
    /** By client certificate path: the credential name the file source reports changes under. */
    private final Map<String, Watched> byCert = new ConcurrentHashMap<>();
    /** credentialName read from the credential source, by {@code namespace/name}. */
    private final Map<String, Watched> byRef = new ConcurrentHashMap<>();
    private volatile dev.meshgate.cert.CredentialSource source;
    private volatile Registration sourceRegistration;
    /** First reads of source credentials (pollNow waits for them). */
    private volatile Future<Void> firstReads = Future.succeededFuture();
    /** The TLS context renewals of the last rotations (pollNow waits for them). */
    private volatile Future<Void> renewals = Future.succeededFuture();

    public OriginationKeys(Vertx vertx, Duration pollInterval) {
        this.vertx = vertx;
        this.files = new FileCredentialSource(vertx, pollInterval);
        this.registration = files.addListener(this::changed);
        this.caTimer = vertx.setPeriodic(Math.max(10, pollInterval.toMillis()), id -> {
            if (!caPolling) {
                caPolling = true;
                pollCas().onComplete(ar -> caPolling = false);
            }
        });
    }

    /**
     * Starts watching the MUTUAL originations of a newly compiled table (reading their files now, so the first
     * handshake has them). Called where the table is compiled, not on an event loop.
     */
    public void watch(ClusterTable table) {
        for (Cluster c : table.clusters().values()) {
            TlsOrigination t = c.policy().tls();
            if (t == null) {
                continue;
            }
            TlsOrigination.ClientTls tls = t.clientTls();
            if (tls.credentialRef() != null && !tls.credentialKeys()) {
                if (!tls.trustAll()) {
                    watchedCaRef(tls.credentialRef());
                }
            } else if (tls.credentialRef() != null) {
                watchedRef(tls.credentialRef());
            } else if (tls.clientCertificate() != null && tls.privateKey() != null) {
                watched(tls);
            } else if (tls.caCertificates() != null && !tls.trustAll()) {
                watchedCa(tls.caCertificates());
            }
        }
    }

    /** Reads credentialName from this source (rotations included) from now on; call before the first table. */
    public void source(dev.meshgate.cert.CredentialSource s) {
        this.source = s;
        this.sourceRegistration = s.addListener(this::changedRef);
    }

    @Override
    public Material material(TlsOrigination.ClientTls tls) {
        if (tls.credentialRef() != null && !tls.credentialKeys()) {
            // SIMPLE: the Secret's CA only
            CaWatched ca = tls.trustAll() ? null : watchedCaRef(tls.credentialRef());
            return ca == null ? null : new Material(null, TrustOptions.wrap(ca.trust.view()), ca.onRotation::add);
        }
        if (tls.credentialRef() != null) {
            Watched w = watchedRef(tls.credentialRef());
            if (w == null) {
                return null;
            }
            return new Material(tls.credentialKeys() ? KeyCertOptions.wrap(w.keys().view()) : null,
                    tls.trustAll() ? null : TrustOptions.wrap(w.trust().view()), w.onRotation()::add);
        }
        if (tls.clientCertificate() == null || tls.privateKey() == null) {
            // SIMPLE: only the CA file, watched on its own
            CaWatched ca = tls.caCertificates() == null || tls.trustAll() ? null : watchedCa(tls.caCertificates());
            return ca == null ? null : new Material(null, TrustOptions.wrap(ca.trust.view()), ca.onRotation::add);
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

    private Watched watchedRef(String ref) {
        Watched w = byRef.get(ref);
        dev.meshgate.cert.CredentialSource src = source;
        if (w != null || src == null) {
            return w;
        }
        Watched fresh = new Watched(new RotatingKeyManager(), new RotatingTrustManager(),
                new CopyOnWriteArrayList<>());
        Watched raced = byRef.putIfAbsent(ref, fresh);
        if (raced != null) {
            return raced;
        }
        int slash = ref.indexOf('/');
        Future<Void> read = src.get(ref.substring(0, slash), ref.substring(slash + 1))
                .onSuccess(c -> rotated(fresh, c))
                .onFailure(t -> LOG.log(Level.WARNING, "TLS origination: cannot load credentialName " + ref + ": "
                        + t.getMessage() + " (handshakes fail until it loads)"))
                .<Void>mapEmpty().otherwiseEmpty();
        Future<Void> before = firstReads;
        firstReads = Future.join(before, read).mapEmpty();
        return fresh;
    }

    /** CA-only credentialName of SIMPLE originations, by namespace/name (re-read with the CA files' timer). */
    private final Map<String, CaWatched> byCaRef = new ConcurrentHashMap<>();

    private CaWatched watchedCaRef(String ref) {
        CaWatched w = byCaRef.get(ref);
        dev.meshgate.cert.CredentialSource src = source;
        if (w != null || src == null) {
            return w;
        }
        CaWatched fresh = new CaWatched(ref, new RotatingTrustManager(), "");
        CaWatched raced = byCaRef.putIfAbsent(ref, fresh);
        if (raced != null) {
            return raced;
        }
        Future<Void> read = readCaRef(fresh).<Void>mapEmpty().otherwiseEmpty();
        Future<Void> before = firstReads;
        firstReads = Future.join(before, read).mapEmpty();
        return fresh;
    }

    /** Reads a CA-only credentialName from the source; renews the clients when it changed. */
    private Future<Boolean> readCaRef(CaWatched w) {
        int slash = w.path.indexOf('/');
        return source.caOnly(w.path.substring(0, slash), w.path.substring(slash + 1)).compose(in -> {
            String hash = CredentialParser.contentHash(in);
            if (hash.equals(w.hash)) {
                return Future.succeededFuture(false);
            }
            try {
                w.trust.update(PemCodec.certificates(in), w.path);
            } catch (PemException e) {
                return Future.failedFuture(e);
            }
            w.hash = hash;
            LOG.info("TLS origination: CA of " + w.path + " loaded; new upstream connections verify with it");
            List<Future<?>> all = new java.util.ArrayList<>();
            for (Supplier<Future<?>> r : w.onRotation) {
                all.add(r.get());
            }
            return Future.join(all).map(true);
        }).onFailure(t -> LOG.log(Level.WARNING, "TLS origination: CA of credentialName " + w.path
                + " not (re)loaded, keeping the one in force: " + t.getMessage()));
    }

    private void changedRef(TlsCredential credential) {
        Watched w = byRef.get(credential.name());
        if (w != null) {
            rotated(w, credential);
        }
    }

    /** A source credential read or reloaded: hand it out and renew the clients' TLS contexts. */
    private void rotated(Watched w, TlsCredential credential) {
        // The renewal is registered before the new serial becomes visible, so whoever sees the new serial and then
        // calls pollNow() waits for the clients' renewed TLS contexts too.
        io.vertx.core.Promise<Void> renewed = io.vertx.core.Promise.promise();
        synchronized (this) {
            renewals = Future.join(renewals, renewed.future()).mapEmpty();
        }
        synchronized (w) {
            if (!w.keys().update(credential)) {
                renewed.complete();
                return;
            }
            w.trust().updateOrDefault(credential);
        }
        LOG.info("TLS origination: " + credential.name() + " now serial " + credential.serialHex()
                + "; new upstream connections present it");
        List<Future<?>> all = new java.util.ArrayList<>();
        for (Supplier<Future<?>> r : w.onRotation()) {
            all.add(r.get());
        }
        Future<Void> done = Future.join(all).mapEmpty();
        done.onComplete(renewed);
        done.onFailure(t -> LOG.log(Level.WARNING, "TLS origination: renewing the TLS context after rotating "
                + credential.name() + " failed: " + t.getMessage()));
    }

    /** A CA file of a SIMPLE origination: its content hash, checked every poll interval like the credentials. */
    private static final class CaWatched {
        final String path;
        final RotatingTrustManager trust;
        final List<Supplier<Future<?>>> onRotation = new CopyOnWriteArrayList<>();
        volatile String hash;

        CaWatched(String path, RotatingTrustManager trust, String hash) {
            this.path = path;
            this.trust = trust;
            this.hash = hash;
        }
    }

    private CaWatched watchedCa(String path) {
        CaWatched w = byCa.get(path);
        if (w != null) {
            return w;
        }
        try {
            byte[] pem = read(path).data();
            CaWatched fresh = new CaWatched(path, new RotatingTrustManager(
                    PemCodec.certificates(new PemInput(path, pem)), path), CredentialParser.contentHash(
                    new PemInput(path, pem)));
            CaWatched raced = byCa.putIfAbsent(path, fresh);
            return raced != null ? raced : fresh;
        } catch (RuntimeException | PemException e) {
            // as before: Vert.x reads the file itself and the handshake fails if it cannot
            LOG.log(Level.WARNING, "TLS origination: cannot load CA " + path + ": " + e.getMessage());
            return null;
        }
    }

    /** Re-reads the CA files of SIMPLE originations (worker thread) and renews the clients of changed ones. */
    private Future<Void> pollCas() {
        List<Future<?>> all = new java.util.ArrayList<>();
        for (CaWatched w : byCaRef.values()) {
            all.add(readCaRef(w).otherwise(false));
        }
        all.add(pollCaFiles());
        return Future.join(all).mapEmpty();
    }

    private Future<Void> pollCaFiles() {
        if (byCa.isEmpty()) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            List<CaWatched> changed = new java.util.ArrayList<>();
            for (CaWatched w : byCa.values()) {
                try {
                    PemInput in = read(w.path);
                    String hash = CredentialParser.contentHash(in);
                    if (!hash.equals(w.hash)) {
                        w.trust.update(PemCodec.certificates(in), w.path);
                        w.hash = hash;
                        changed.add(w);
                    }
                } catch (RuntimeException | PemException e) {
                    LOG.log(Level.WARNING, "TLS origination: CA " + w.path + " not reloaded, keeping the one in force: "
                            + e.getMessage());
                }
            }
            return changed;
        }, false).compose(changed -> {
            List<Future<?>> all = new java.util.ArrayList<>();
            for (CaWatched w : changed) {
                LOG.info("TLS origination: CA " + w.path + " rotated; new upstream connections verify with it");
                for (Supplier<Future<?>> r : w.onRotation) {
                    all.add(r.get());
                }
            }
            return Future.join(all).mapEmpty();
        });
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
        return Future.join(files.pollNow().compose(v -> firstReads).compose(v -> renewals), pollCas())
                .<Void>mapEmpty().otherwiseEmpty();
    }

    /**
     * The serial (hex) of the client certificate now in force for this file, or for this {@code namespace/name}
     * of the credential source, or null (tests, admin).
     */
    public String serialInForce(String clientCertificate) {
        Watched byName = byRef.get(clientCertificate);
        if (byName != null) {
            return byName.keys().serialHex();
        }
        Watched w = byCert.get(new dev.meshgate.cert.CredentialRef(dev.meshgate.cert.CredentialRef.FILES,
                clientCertificate).toString());
        return w == null ? null : w.keys().serialHex();
    }

    public void close() {
        vertx.cancelTimer(caTimer);
        registration.cancel();
        if (sourceRegistration != null) {
            sourceRegistration.cancel();
        }
        files.close();
    }
}
