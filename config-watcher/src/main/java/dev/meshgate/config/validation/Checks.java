package dev.meshgate.config.validation;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The small rules every kind shares (ports, durations, percentages, RE2 regexes, labels, addresses), each
 * reporting through a {@link FieldContext} so the message carries the right path and line.
 */
final class Checks {

    /** Istio caps config regexes at 1024 characters (Envoy's RE2 program-size limit is approximated by length). */
    static final int MAX_REGEX_LENGTH = 1024;

    private static final Set<String> PROTOCOLS = Set.of(
            "HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "MONGO", "TCP", "TLS", "REDIS", "MYSQL", "UDP");

    private Checks() {
    }

    static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }

    static boolean required(FieldContext ctx, Object value) {
        boolean missing = value == null
                || (value instanceof String s && s.isEmpty())
                || (value instanceof Collection<?> c && c.isEmpty())
                || (value instanceof Map<?, ?> m && m.isEmpty());
        if (missing) {
            ctx.error("is required");
        }
        return !missing;
    }

    /** A port number 1..65535. */
    static void port(FieldContext ctx, long number) {
        if (number < 1 || number > 65535) {
            ctx.error("port number " + number + " must be in the range 1..65535");
        }
    }

    static void port(FieldContext ctx, Integer number) {
        if (number != null) {
            port(ctx, number.longValue());
        }
    }

    /**
     * A protocol name as Istio parses it (case-insensitive). Null/empty is allowed where the caller allows
     * sniffing; otherwise the caller checks presence first.
     */
    static void protocol(FieldContext ctx, String protocol) {
        if (isBlank(protocol)) {
            return;
        }
        if (!PROTOCOLS.contains(protocol.toUpperCase(Locale.ROOT))) {
            ctx.error("unsupported protocol \"" + protocol + "\"; expected one of HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2, "
                    + "MONGO, TCP, TLS");
        }
    }

    static String normalizeProtocol(String protocol) {
        return protocol == null ? "" : protocol.toUpperCase(Locale.ROOT);
    }

    static boolean isHttpProtocol(String protocol) {
        String p = normalizeProtocol(protocol);
        return p.equals("HTTP") || p.equals("HTTP2") || p.equals("GRPC") || p.equals("GRPC-WEB");
    }

    static boolean isTlsProtocol(String protocol) {
        String p = normalizeProtocol(protocol);
        return p.equals("HTTPS") || p.equals("TLS");
    }

    /** Istio's duration rule: at least 1ms, and a whole number of milliseconds. */
    static void duration(FieldContext ctx, Duration d) {
        if (d == null) {
            return;
        }
        if (d.compareTo(Duration.ofMillis(1)) < 0) {
            ctx.error("duration must be at least 1ms (got " + format(d) + ")");
        } else if (d.getNano() % 1_000_000 != 0) {
            ctx.error("duration must be a whole number of milliseconds (got " + format(d) + ")");
        }
    }

    /** A Percent value: 0, or 0.0001..100 (Envoy's resolution is one millionth). */
    static void percentage(FieldContext ctx, Double value) {
        if (value == null) {
            return;
        }
        double v = value;
        if (Double.isNaN(v) || v < 0.0 || v > 100.0 || (v > 0.0 && v < 0.0001)) {
            ctx.error("percentage " + trim(v) + " must be 0 or in the range 0.0001..100");
        }
    }

    /** An integer percentage 0..100. */
    static void percent(FieldContext ctx, Integer value) {
        if (value != null && (value < 0 || value > 100)) {
            ctx.error("percentage " + value + " must be in the range 0..100");
        }
    }

    static void nonNegative(FieldContext ctx, Number value) {
        if (value != null && value.longValue() < 0) {
            ctx.error("must be >= 0");
        }
    }

    /** Compiles as RE2 (com.google.re2j, the dialect Envoy uses); reports the parser's reason otherwise. */
    static boolean regex(FieldContext ctx, String regex) {
        if (regex == null) {
            return true;
        }
        if (regex.isEmpty()) {
            ctx.error("regex must not be empty");
            return false;
        }
        if (regex.length() > MAX_REGEX_LENGTH) {
            ctx.error("regex is too long (" + regex.length() + " characters, max " + MAX_REGEX_LENGTH + ")");
            return false;
        }
        String problem = re2Problem(regex);
        if (problem != null) {
            ctx.error("invalid RE2 regex \"" + regex + "\": " + problem);
            return false;
        }
        return true;
    }

    static String re2Problem(String regex) {
        try {
            Pattern.compile(regex);
            return null;
        } catch (PatternSyntaxException e) {
            String d = e.getDescription();
            return d == null || d.isEmpty() ? e.getMessage() : d;
        }
    }

    /** Kubernetes label keys ({@code [prefix/]name}) and values; wildcards are not selectors. */
    static void labels(FieldContext ctx, Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String k = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue();
            FieldContext at = ctx.key(k);
            if (isBlank(k)) {
                at.error("label key must not be empty");
                continue;
            }
            if (k.contains("*") || v.contains("*")) {
                at.error("wildcards are not supported in label selectors: \"" + k + "=" + v + "\"");
                continue;
            }
            String problem = labelKeyProblem(k);
            if (problem != null) {
                at.error(problem);
            }
            if (!isLabelValue(v)) {
                at.error("invalid label value \"" + v + "\": at most 63 characters of letters, digits, '-', '_' "
                        + "and '.', starting and ending with a letter or digit");
            }
        }
    }

    private static String labelKeyProblem(String key) {
        int slash = key.indexOf('/');
        String name = key;
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (!HostNames.isDnsSubdomain(prefix)) {
                return "invalid label key \"" + key + "\": prefix \"" + prefix + "\" is not a DNS subdomain";
            }
        }
        if (name.isEmpty() || !isLabelValue(name)) {
            return "invalid label key \"" + key + "\"";
        }
        return null;
    }

    private static boolean isLabelValue(String v) {
        if (v.isEmpty()) {
            return true;
        }
        if (v.length() > 63) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean alnum = Character.isLetterOrDigit(c) && c < 128;
            if (!alnum && !((c == '-' || c == '_' || c == '.') && i > 0 && i < v.length() - 1)) {
                return false;
            }
        }
        return true;
    }

    /** Istio's header-name rule for header matches: letters, digits, '-' and '_'. */
    static boolean isHeaderName(String name) {
        if (isBlank(name)) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Header values Envoy accepts: no control characters other than TAB. */
    static boolean isHeaderValue(String value) {
        if (value == null) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Absolute unix socket path (or an abstract {@code @name}). */
    static String unixAddressProblem(String path) {
        if (isBlank(path)) {
            return "unix address must not be empty";
        }
        if (path.startsWith("@")) {
            return null;
        }
        if (!path.startsWith("/") || path.endsWith("/")) {
            return "\"" + path + "\" is not an absolute path to a file";
        }
        return null;
    }

    static String format(Duration d) {
        if (d.isNegative()) {
            return d.toString();
        }
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            return (nanos / 1_000_000_000L) + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return (nanos / 1_000_000L) + "ms";
        }
        if (nanos % 1_000L == 0) {
            return (nanos / 1_000L) + "us";
        }
        return nanos + "ns";
    }

    private static String trim(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
