package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.upstream.cluster.TlsOrigination;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;

/**
 * Where an upstream client's TLS origination material comes from when it must follow rotations of the files
 * (DestinationRule clientCertificate/privateKey/caCertificates, credentialName): the client keeps the options it
 * was built with, and the managers behind them hand out the credential in force at each new handshake.
 */
public interface ClientKeyMaterial {

    /**
     * Key and trust options for this origination; a null member means: read the files once, as Vert.x does.
     *
     * @param onRotation registers a callback run after each rotation (the client then renews its TLS context, so
     *                   new connections do not resume a TLS session of the old credential); it completes when the
     *                   new context is in place
     */
    record Material(KeyCertOptions keyCert, TrustOptions trust,
                    java.util.function.Consumer<java.util.function.Supplier<io.vertx.core.Future<?>>> onRotation) {
    }

    Material material(TlsOrigination.ClientTls tls);
}
