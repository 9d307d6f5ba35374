package dev.meshgate.gateway.tls;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Istio lists cipher suites by their OpenSSL names; Vert.x wants IANA (JSSE) names and lets Netty translate them
 * back for BoringSSL. Envoy's equal-preference groups ({@code [A|B]}) are flattened in order.
 */
public final class CipherSuites {

  /** The names Istio documents for {@code cipherSuites}. */
  static final Map<String, String> OPENSSL_TO_IANA = Map.ofEntries(
      Map.entry("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
      Map.entry("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
      Map.entry("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
      Map.entry("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
      Map.entry("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
      Map.entry("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
      Map.entry("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
      Map.entry("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
      Map.entry("ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
      Map.entry("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
      Map.entry("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
      Map.entry("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"),
      Map.entry("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
      Map.entry("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"),
      Map.entry("DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"));

  /**
   * Envoy's default server cipher list for TLS 1.2 (used when {@code cipherSuites} is empty, so both engines offer
   * the same suites).
   */
  public static final List<String> ENVOY_DEFAULT = List.of(
      "[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]",
      "[ECDHE-RSA-AES128-GCM-SHA256|ECDHE-RSA-CHACHA20-POLY1305]",
      "ECDHE-ECDSA-AES256-GCM-SHA384",
      "ECDHE-RSA-AES256-GCM-SHA384");

  /** TLS 1.3 suites are not configurable in Envoy; they stay enabled whatever cipherSuites says. */
  static final List<String> TLS13 = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256");

  private CipherSuites() {
  }

  /** IANA names for Istio/OpenSSL names (IANA names pass through); unknown names are an error naming them. */
  public static Set<String> toIana(List<String> names) {
    Set<String> out = new LinkedHashSet<>();
    List<String> unknown = new ArrayList<>();
    for (String raw : names) {
      String trimmed = raw.trim();
      if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
        trimmed = trimmed.substring(1, trimmed.length() - 1);
      }
      for (String name : trimmed.split("\\|")) {
        String n = name.trim();
        if (n.isEmpty()) {
          continue;
        }
        String iana = n.startsWith("TLS_") ? n : OPENSSL_TO_IANA.get(n);
        if (iana == null) {
          unknown.add(n);
        } else {
          out.add(iana);
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unsupported cipher suite(s) " + unknown + "; supported: "
          + new java.util.TreeSet<>(OPENSSL_TO_IANA.keySet()));
    }
    return out;
  }
}
