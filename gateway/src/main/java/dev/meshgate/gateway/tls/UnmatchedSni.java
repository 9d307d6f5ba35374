package dev.meshgate.gateway.tls;

import java.util.Locale;
import java.util.Objects;

/**
 * What a port does with a ClientHello whose SNI is missing or matches none of its servers.
 *
 * <ul>
 *   <li>{@link Refuse}: the handshake fails, as in Istio, where such a connection finds no filter chain
 *       ({@code filter_chain_not_found}). A server with host {@code *} still catches every name.</li>
 *   <li>{@link ServeAs}: handled as if the client had sent {@code host} (the gateway's {@code --default-sni}); when no
 *       server of the port matches {@code host}, the connection is refused.</li>
 *   <li>{@link FirstServer}: the first server answers (the factory's original behaviour, kept for its own tests and
 *       embedders that want it).</li>
 * </ul>
 */
public sealed interface UnmatchedSni {

  UnmatchedSni REFUSE = new Refuse();
  UnmatchedSni FIRST_SERVER = new FirstServer();

  static UnmatchedSni serveAs(String host) {
    return new ServeAs(host);
  }

  record Refuse() implements UnmatchedSni {
  }

  record FirstServer() implements UnmatchedSni {
  }

  record ServeAs(String host) implements UnmatchedSni {
    public ServeAs {
      host = Objects.requireNonNull(host, "host").toLowerCase(Locale.ROOT);
    }
  }
}
