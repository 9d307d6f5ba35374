package dev.meshgate.cert;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;

import java.security.cert.X509Certificate;
import java.util.List;

/** Trusted CA certificates (for validating client certificates), parsed and as PEM. */
public record CaBundle(List<X509Certificate> certificates, Buffer pem, String origin) {

  public CaBundle {
    certificates = List.copyOf(certificates);
    pem = pem.copy();
  }

  /** Ready for Vert.x; a fresh object each call because Vert.x options are mutable. */
  public PemTrustOptions toTrustOptions() {
    return new PemTrustOptions().addCertValue(pem.copy());
  }

  /** A copy: Buffers are mutable and this record is not. */
  @Override
  public Buffer pem() {
    return pem.copy();
  }

  @Override
  public String toString() {
    return "CaBundle[" + certificates.size() + " certificate(s) from " + origin + "]";
  }
}
