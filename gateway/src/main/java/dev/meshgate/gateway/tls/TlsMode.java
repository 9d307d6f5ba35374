package dev.meshgate.gateway.tls;

/** Server TLS modes this factory terminates. PASSTHROUGH, AUTO_PASSTHROUGH and ISTIO_MUTUAL are handled elsewhere. */
public enum TlsMode {
  /** No client certificate requested. */
  SIMPLE,
  /** A client certificate is required and validated against the CA (and CRL). */
  MUTUAL,
  /** A client certificate is requested; if presented it must validate. */
  OPTIONAL_MUTUAL
}
