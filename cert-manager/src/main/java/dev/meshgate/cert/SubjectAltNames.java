package dev.meshgate.cert;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The subject alternative names of a certificate, by kind. */
public record SubjectAltNames(List<String> dns, List<String> ips, List<String> uris, List<String> emails) {

  private static final int EMAIL = 1;
  private static final int DNS = 2;
  private static final int URI = 6;
  private static final int IP = 7;

  public SubjectAltNames {
    dns = List.copyOf(dns);
    ips = List.copyOf(ips);
    uris = List.copyOf(uris);
    emails = List.copyOf(emails);
  }

  public static SubjectAltNames of(X509Certificate cert) {
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    List<String> uris = new ArrayList<>();
    List<String> emails = new ArrayList<>();
    Collection<List<?>> names;
    try {
      names = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      names = null;
    }
    if (names != null) {
      for (List<?> entry : names) {
        int kind = (Integer) entry.get(0);
        Object value = entry.get(1);
        switch (kind) {
          case DNS -> dns.add(value.toString());
          case URI -> uris.add(value.toString());
          case EMAIL -> emails.add(value.toString());
          case IP -> ips.add(normaliseIp(value.toString()));
          default -> { }
        }
      }
    }
    return new SubjectAltNames(dns, ips, uris, emails);
  }

  /** All names in one list, prefixed the way openssl prints them ("DNS:", "IP:", "URI:", "email:"). */
  public List<String> all() {
    List<String> out = new ArrayList<>();
    dns.forEach(n -> out.add("DNS:" + n));
    ips.forEach(n -> out.add("IP:" + n));
    uris.forEach(n -> out.add("URI:" + n));
    emails.forEach(n -> out.add("email:" + n));
    return out;
  }

  // The JDK prints IPv6 SANs in full form; a canonical form makes comparisons with config values work.
  private static String normaliseIp(String ip) {
    try {
      return InetAddress.getByName(ip).getHostAddress();
    } catch (UnknownHostException e) {
      return ip;
    }
  }
}
