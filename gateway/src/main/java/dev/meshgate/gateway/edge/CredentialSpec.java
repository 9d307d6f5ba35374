package dev.meshgate.gateway.edge;

import dev.meshgate.cert.CredentialRef;
import dev.meshgate.cert.source.CredentialFiles;
import dev.meshgate.cert.source.FileCredentialSource;

/** Where a terminating server's certificate comes from: Gateway file paths, or a {@code credentialName}. */
public sealed interface CredentialSpec {

    /** The name the credential sources give it ({@code ns/name} or {@code file:<serverCertificate>}). */
    String credentialName();

    record Files(CredentialFiles files) implements CredentialSpec {
        @Override
        public String credentialName() {
            return FileCredentialSource.refOf(files).toString();
        }
    }

    /** @param namespace the gateway instance's namespace, where Istio looks credentialName up */
    record Named(String namespace, String name) implements CredentialSpec {
        @Override
        public String credentialName() {
            return new CredentialRef(namespace, name).toString();
        }
    }
}
