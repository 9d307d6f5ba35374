package dev.meshgate.gateway.tls;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * Which TLS engine terminates connections, as proven by a real handshake at startup.
 *
 * @param engine         "BoringSSL" (netty-tcnative) or "JDK"
 * @param version        the native library's version string, or the Java version for the JDK engine
 * @param probe          protocol and cipher of the probe handshake (e.g. "TLSv1.3 TLS_AES_128_GCM_SHA256"), or null
 * @param fallbackReason why the native engine is not used, or null when it is
 */
public record TlsEngineStatus(boolean nativeEngine, String engine, String version, String probe,
                              String fallbackReason) {

  /** Fresh Vert.x engine options for this engine. */
  public SSLEngineOptions engineOptions() {
    return nativeEngine ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }

  public static TlsEngineStatus jdk(String reason) {
    return new TlsEngineStatus(false, "JDK", "Java " + System.getProperty("java.version"), null, reason);
  }
}
