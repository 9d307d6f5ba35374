package dev.meshgate.cert.ca;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What to put in an issued certificate. Build with {@link #forDns(String...)} and the {@code with...} methods.
 *
 * @param notBefore null for "now minus one minute" (tolerates small clock skew)
 * @param lifetime  validity length counted from notBefore
 */
public record LeafSpec(String commonName, List<String> dnsNames, List<String> ipAddresses, List<String> uris,
                       Instant notBefore, Duration lifetime, KeyType keyType) {

  public static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);

  public LeafSpec {
    Objects.requireNonNull(commonName, "commonName");
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    uris = List.copyOf(uris);
    Objects.requireNonNull(lifetime, "lifetime");
    Objects.requireNonNull(keyType, "keyType");
  }

  /** A certificate for these DNS names; the first is also the common name. */
  public static LeafSpec forDns(String... dnsNames) {
    if (dnsNames.length == 0) {
      throw new IllegalArgumentException("at least one DNS name");
    }
    return new LeafSpec(dnsNames[0], List.of(dnsNames), List.of(), List.of(), null, DEFAULT_LIFETIME,
        KeyType.EC_P256);
  }

  /** A certificate whose identity is a URI SAN such as {@code spiffe://cluster.local/ns/default/sa/sleep}. */
  public static LeafSpec forUri(String uri) {
    return new LeafSpec(uri, List.of(), List.of(), List.of(uri), null, DEFAULT_LIFETIME, KeyType.EC_P256);
  }

  public LeafSpec withCommonName(String cn) {
    return new LeafSpec(cn, dnsNames, ipAddresses, uris, notBefore, lifetime, keyType);
  }

  public LeafSpec withIps(String... ips) {
    return new LeafSpec(commonName, dnsNames, List.of(ips), uris, notBefore, lifetime, keyType);
  }

  public LeafSpec withUris(String... u) {
    return new LeafSpec(commonName, dnsNames, ipAddresses, List.of(u), notBefore, lifetime, keyType);
  }

  public LeafSpec withLifetime(Duration d) {
    return new LeafSpec(commonName, dnsNames, ipAddresses, uris, notBefore, d, keyType);
  }

  public LeafSpec withValidity(Instant from, Instant to) {
    return new LeafSpec(commonName, dnsNames, ipAddresses, uris, from, Duration.between(from, to), keyType);
  }

  public LeafSpec withKeyType(KeyType t) {
    return new LeafSpec(commonName, dnsNames, ipAddresses, uris, notBefore, lifetime, t);
  }
}
