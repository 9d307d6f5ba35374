package dev.meshgate.gateway.tls;

import java.util.Locale;

/** Istio's {@code ServerTLSSettings.TLSProtocol}, with the JSSE protocol name each one means. */
public enum TlsProtocolVersion {
  TLS_AUTO(null),
  TLSV1_0("TLSv1"),
  TLSV1_1("TLSv1.1"),
  TLSV1_2("TLSv1.2"),
  TLSV1_3("TLSv1.3");

  private final String jsseName;

  TlsProtocolVersion(String jsseName) {
    this.jsseName = jsseName;
  }

  /** Istio's spelling ({@code TLSV1_2}); case-insensitive. */
  public static TlsProtocolVersion parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown TLS protocol version '" + value
          + "' (expected TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2 or TLSV1_3)");
    }
  }

  /** TLS_AUTO as a minimum means TLS 1.2 (Envoy's server default). */
  TlsProtocolVersion asMin() {
    return this == TLS_AUTO ? TLSV1_2 : this;
  }

  /** TLS_AUTO as a maximum means TLS 1.3. */
  TlsProtocolVersion asMax() {
    return this == TLS_AUTO ? TLSV1_3 : this;
  }

  String jsseName() {
    return jsseName;
  }
}
