package dev.meshgate.gateway.edge;

import dev.meshgate.cert.CredentialException;
import dev.meshgate.cert.CredentialListener;
import dev.meshgate.cert.CredentialSource;
import dev.meshgate.cert.CredentialStatus;
import dev.meshgate.cert.Registration;
import dev.meshgate.cert.TlsCredential;
import dev.meshgate.cert.source.DirectoryCredentialSource;
import dev.meshgate.cert.source.FileCredentialSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * The credential sources of the edge: Gateway file paths always; {@code credentialName} through an injected source
 * (the Kubernetes Secret source) or else the {@code --credentials-dir} directory.
 */
final class EdgeCredentials {

    private final FileCredentialSource files;
    private final CredentialSource named;
    private final boolean ownsNamed;

    EdgeCredentials(Vertx vertx, EdgeOptions options, CredentialSource injected) {
        this.files = new FileCredentialSource(vertx, options.credentialPoll());
        if (injected != null) {
            this.named = injected;
            this.ownsNamed = false;
        } else if (options.credentialsDir() != null) {
            this.named = new DirectoryCredentialSource(vertx, options.credentialsDir(), options.credentialPoll());
            this.ownsNamed = true;
        } else {
            this.named = null;
            this.ownsNamed = false;
        }
    }

    Future<TlsCredential> resolve(CredentialSpec spec) {
        if (spec instanceof CredentialSpec.Files f) {
            return files.load(f.files());
        }
        CredentialSpec.Named n = (CredentialSpec.Named) spec;
        if (named == null) {
            return Future.failedFuture(new CredentialException(spec.credentialName(),
                    "credentialName needs a credential source: start with --credentials-dir DIR"));
        }
        return named.get(n.namespace(), n.name());
    }

    List<Registration> addListener(CredentialListener l) {
        List<Registration> out = new ArrayList<>();
        out.add(files.addListener(l));
        if (named != null) {
            out.add(named.addListener(l));
        }
        return out;
    }

    /** Re-reads watched files now (tests). */
    Future<Void> pollNow() {
        List<Future<?>> all = new ArrayList<>();
        all.add(files.pollNow());
        if (named instanceof DirectoryCredentialSource d) {
            all.add(d.pollNow());
        }
        return Future.join(all).mapEmpty();
    }

    List<CredentialStatus> inventory() {
        List<CredentialStatus> out = new ArrayList<>(files.inventory());
        if (named != null) {
            out.addAll(named.inventory());
        }
        return out;
    }

    /** The sources themselves (for an inventory view). */
    List<CredentialSource> sources() {
        return named == null ? List.of(files) : List.of(files, named);
    }

    void close() {
        files.close();
        if (ownsNamed) {
            named.close();
        }
    }
}
