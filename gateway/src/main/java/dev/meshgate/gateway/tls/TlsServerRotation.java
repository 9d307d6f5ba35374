package dev.meshgate.gateway.tls;

import dev.meshgate.cert.CredentialSource;
import dev.meshgate.cert.Registration;
import dev.meshgate.cert.TlsCredential;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a listening HTTPS server's certificates current: when a credential it uses is reloaded, the settings are
 * rebuilt with the new credential and applied with {@code HttpServer.updateSSLOptions}. New handshakes get the new
 * certificate; established connections keep theirs. A settings build that fails (e.g. a CA went missing for a
 * MUTUAL server) is logged and the server keeps its current options.
 */
public final class TlsServerRotation {

  private static final System.Logger LOG = System.getLogger("dev.meshgate.gateway.tls");

  private final HttpServer server;
  private final ServerTlsFactory factory;
  private volatile ServerTlsConfig current;
  private Future<Boolean> last = Future.succeededFuture(false); // guarded by this; updates apply one at a time

  public TlsServerRotation(HttpServer server, ServerTlsFactory factory, ServerTlsConfig current) {
    this.server = server;
    this.factory = factory;
    this.current = current;
  }

  /** Listens to {@code source} until the returned registration is cancelled. */
  public Registration follow(CredentialSource source) {
    return source.addListener(this::credentialChanged);
  }

  public ServerTlsConfig current() {
    return current;
  }

  /**
   * Applies {@code updated} to every server that uses a credential of the same name. Completes with false when no
   * server uses it or the update was refused (logged).
   */
  public synchronized Future<Boolean> credentialChanged(TlsCredential updated) {
    last = last.transform(ar -> apply(updated));
    return last;
  }

  /** Completes when every update requested so far has been applied (or refused). */
  public synchronized Future<Void> settled() {
    return last.transform(ar -> Future.succeededFuture());
  }

  private Future<Boolean> apply(TlsCredential updated) {
    ServerTlsSettings settings = current.settings();
    List<SniServer> servers = new ArrayList<>();
    boolean used = false;
    for (SniServer s : settings.servers()) {
      if (s.credential().name().equals(updated.name())) {
        servers.add(s.withCredential(updated));
        used = true;
      } else {
        servers.add(s);
      }
    }
    if (!used) {
      return Future.succeededFuture(false);
    }
    ServerTlsConfig next;
    try {
      next = factory.build(settings.withServers(servers));
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.ERROR, "credential " + updated.name() + " reloaded but not applied to "
          + settings.listener() + ": " + e.getMessage());
      return Future.succeededFuture(false);
    }
    return server.updateSSLOptions(next.sslOptions()).map(changed -> {
      current = next;
      LOG.log(System.Logger.Level.INFO, "{0}: now serving {1} serial {2}", settings.listener(), updated.name(),
          updated.serialHex());
      return true;
    }).recover(err -> {
      LOG.log(System.Logger.Level.ERROR, settings.listener() + ": updating TLS options for credential "
          + updated.name() + " failed; keeping the previous certificate", err);
      return Future.succeededFuture(false);
    });
  }
}
