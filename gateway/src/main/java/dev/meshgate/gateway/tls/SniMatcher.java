package dev.meshgate.gateway.tls;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the value for a TLS server name the way Envoy matches filter chains on {@code server_names}: exact name
 * first, then the longest wildcard suffix ({@code *.b.example.com}, then {@code *.example.com}, ...), then
 * {@code *}. Lookups are hash probes, one per label: no list scans.
 */
public final class SniMatcher<T> {

  private final Map<String, T> exact = new HashMap<>();
  private final Map<String, T> suffixes = new HashMap<>(); // ".example.com" for "*.example.com"
  private T any;

  /** Adds a host pattern; returns false (and keeps the earlier value) when the pattern is already taken. */
  public boolean add(String pattern, T value) {
    String p = pattern.toLowerCase(Locale.ROOT);
    if (p.equals("*")) {
      if (any != null) {
        return false;
      }
      any = value;
      return true;
    }
    if (p.startsWith("*.")) {
      return suffixes.putIfAbsent(p.substring(1), value) == null;
    }
    return exact.putIfAbsent(p, value) == null;
  }

  /** The value for {@code serverName} (null or empty: only {@code *} matches), or null. */
  public T lookup(String serverName) {
    if (serverName == null || serverName.isEmpty()) {
      return any; // Envoy: a chain without server_names (Istio's "*") also takes ClientHellos without SNI
    }
    String name = serverName.toLowerCase(Locale.ROOT);
    T v = exact.get(name);
    if (v != null) {
      return v;
    }
    int dot = name.indexOf('.');
    while (dot >= 0) {
      v = suffixes.get(name.substring(dot));
      if (v != null) {
        return v;
      }
      dot = name.indexOf('.', dot + 1);
    }
    return any;
  }
}
