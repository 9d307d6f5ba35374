package dev.meshgate.gateway.tls;

import dev.meshgate.cert.ca.CertificateAuthority;
import dev.meshgate.cert.ca.IssuedCertificate;
import dev.meshgate.cert.ca.LeafSpec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;

/**
 * Proves that BoringSSL (netty-tcnative) really works, with a complete in-memory TLS handshake between two native
 * engines. {@code OpenSsl.isAvailable()} is not enough: a tcnative built for another Netty loads fine and then
 * fails on the first handshake with an UnsatisfiedLinkError (stack.md). When the probe fails the JDK engine is used
 * and the reason is logged as an error, loudly, once.
 */
public final class NativeTls {

  private static final System.Logger LOG = System.getLogger("dev.meshgate.gateway.tls");
  private static final String PROBE_HOST = "probe.meshgate.invalid";

  private NativeTls() {
  }

  /** The engine status for this JVM (probed once, on first use). */
  public static TlsEngineStatus status() {
    return Holder.STATUS;
  }

  /** Runs the probe now (tests; {@link #status()} caches it). Never throws. */
  public static TlsEngineStatus probe() {
    if (Boolean.getBoolean("meshgate.tls.forceJdk")) {
      return TlsEngineStatus.jdk("disabled by -Dmeshgate.tls.forceJdk=true");
    }
    try {
      if (!OpenSsl.isAvailable()) {
        Throwable cause = OpenSsl.unavailabilityCause();
        return TlsEngineStatus.jdk("netty-tcnative not available: " + (cause == null ? "unknown" : cause));
      }
      String version = OpenSsl.versionString();
      if (version == null || !version.contains("BoringSSL")) {
        return TlsEngineStatus.jdk("native library is " + version + ", not BoringSSL");
      }
      return new TlsEngineStatus(true, "BoringSSL", version, handshake(), null);
    } catch (Exception | LinkageError e) {
      return TlsEngineStatus.jdk("native handshake failed: " + e);
    }
  }

  private static String handshake() throws SSLException {
    CertificateAuthority ca = CertificateAuthority.create("meshgate native TLS probe");
    IssuedCertificate leaf = ca.issue(LeafSpec.forDns(PROBE_HOST));
    SslContext server = SslContextBuilder.forServer(leaf.privateKey(), leaf.certificate())
        .sslProvider(SslProvider.OPENSSL).build();
    SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
        .trustManager(ca.certificate()).build();
    SSLEngine s = server.newEngine(ByteBufAllocator.DEFAULT);
    SSLEngine c = client.newEngine(ByteBufAllocator.DEFAULT, PROBE_HOST, 443);
    try {
      ByteBuffer empty = ByteBuffer.allocate(0);
      ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
      ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
      ByteBuffer appServer = ByteBuffer.allocate(64 * 1024);
      ByteBuffer appClient = ByteBuffer.allocate(64 * 1024);
      c.beginHandshake();
      s.beginHandshake();
      for (int round = 0; round < 50 && !(done(c) && done(s)); round++) {
        c.wrap(empty, toServer);
        runTasks(c);
        toServer.flip();
        s.unwrap(toServer, appServer);
        runTasks(s);
        toServer.compact();
        s.wrap(empty, toClient);
        runTasks(s);
        toClient.flip();
        c.unwrap(toClient, appClient);
        runTasks(c);
        toClient.compact();
      }
      if (!(done(c) && done(s))) {
        throw new SSLException("probe handshake did not complete: client " + c.getHandshakeStatus() + ", server "
            + s.getHandshakeStatus());
      }
      String protocol = s.getSession().getProtocol();
      if (protocol == null || protocol.equals("NONE")) {
        throw new SSLException("probe handshake finished without a session");
      }
      return protocol + " " + s.getSession().getCipherSuite();
    } finally {
      ReferenceCountUtil.release(c);
      ReferenceCountUtil.release(s);
      ReferenceCountUtil.release(client);
      ReferenceCountUtil.release(server);
    }
  }

  private static boolean done(SSLEngine e) {
    HandshakeStatus hs = e.getHandshakeStatus();
    return hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED;
  }

  private static void runTasks(SSLEngine e) {
    Runnable task;
    while ((task = e.getDelegatedTask()) != null) {
      task.run();
    }
  }

  private static final class Holder {
    static final TlsEngineStatus STATUS = announce(probe());

    private static TlsEngineStatus announce(TlsEngineStatus st) {
      if (st.nativeEngine()) {
        LOG.log(System.Logger.Level.INFO, "TLS engine: {0} ({1}), probe handshake {2}", st.engine(), st.version(),
            st.probe());
      } else {
        LOG.log(System.Logger.Level.ERROR, "\n************************************************************\n"
            + "*  NATIVE TLS (BoringSSL) UNAVAILABLE: USING THE JDK TLS ENGINE\n"
            + "*  reason: " + st.fallbackReason() + "\n"
            + "*  TLS works, but slower and with JDK cipher/ALPN behaviour.\n"
            + "************************************************************");
      }
      return st;
    }
  }
}
