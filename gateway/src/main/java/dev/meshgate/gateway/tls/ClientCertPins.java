package dev.meshgate.gateway.tls;

import dev.meshgate.cert.SubjectAltNames;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Istio's extra checks on a client certificate (ServerTLSSettings {@code subjectAltNames},
 * {@code verifyCertificateSpki}, {@code verifyCertificateHash}), which Envoy applies in the handshake after the CA
 * check: one SAN of any type must equal one of {@code subjectAltNames}; and when pins are given, the leaf's SPKI
 * or its hash must match one of them (either list is enough when both are set).
 *
 * @param spkiSha256 base64 SHA-256 of the SubjectPublicKeyInfo
 * @param sha256     hex SHA-256 of the DER certificate, colons and case ignored
 */
public record ClientCertPins(List<String> subjectAltNames, List<String> spkiSha256, List<String> sha256) {

  public static final ClientCertPins NONE = new ClientCertPins(List.of(), List.of(), List.of());

  public ClientCertPins {
    subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
    spkiSha256 = spkiSha256 == null ? List.of() : List.copyOf(spkiSha256);
    sha256 = sha256 == null ? List.of() : sha256.stream().map(ClientCertPins::normalizeHash).toList();
  }

  public boolean isEmpty() {
    return subjectAltNames.isEmpty() && spkiSha256.isEmpty() && sha256.isEmpty();
  }

  static String normalizeHash(String h) {
    return h.replace(":", "").trim().toLowerCase(Locale.ROOT);
  }

  /** @throws CertificateException naming the failed check */
  void check(X509Certificate leaf) throws CertificateException {
    if (!subjectAltNames.isEmpty()) {
      SubjectAltNames all = SubjectAltNames.of(leaf);
      Set<String> sans = new java.util.HashSet<>();
      sans.addAll(all.dns());
      sans.addAll(all.uris());
      sans.addAll(all.ips());
      sans.addAll(all.emails());
      if (subjectAltNames.stream().noneMatch(sans::contains)) {
        throw new CertificateException("client certificate " + leaf.getSubjectX500Principal().getName()
            + ": no SAN matches subjectAltNames " + subjectAltNames + " (it has " + sans + ")");
      }
    }
    if (spkiSha256.isEmpty() && sha256.isEmpty()) {
      return;
    }
    String spki = Base64.getEncoder().encodeToString(digest(leaf.getPublicKey().getEncoded()));
    String hash;
    try {
      hash = HexFormat.of().formatHex(digest(leaf.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new CertificateException(e);
    }
    if (!spkiSha256.contains(spki) && !sha256.contains(hash)) {
      throw new CertificateException("client certificate " + leaf.getSubjectX500Principal().getName()
          + " (SPKI " + spki + ", hash " + hash + ") matches neither verifyCertificateSpki nor verifyCertificateHash");
    }
  }

  private static byte[] digest(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "pins(san=" + subjectAltNames + ", spki=" + spkiSha256.size() + ", hash="
        + sha256.stream().map(h -> h.substring(0, Math.min(8, h.length()))).collect(Collectors.joining(",")) + ")";
  }
}
