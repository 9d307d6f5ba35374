package dev.meshgate.config.yaml;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * google.protobuf.Duration as Istio YAML writes it. Parsing accepts the protobuf JSON form ({@code "1.5s"}) and
 * Go's time.ParseDuration form ({@code "1h30m"}, {@code "100ms"}, {@code "10us"}, {@code "5ns"}), which Istio's
 * CRDs accept too; formatting always writes the protobuf form, seconds with the shortest exact fraction.
 */
public final class Durations {

    private static final BigInteger MAX_NANOS =
            BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.valueOf(1_000_000_000L));

    private Durations() {
    }

    /** The duration, or an IllegalArgumentException whose message says what is wrong (lower case). */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw invalid(text);
        }
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) {
            return Duration.ZERO;
        }
        if (i == s.length()) {
            throw invalid(text);
        }
        BigDecimal totalNanos = BigDecimal.ZERO;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            long unitNanos = unitNanos(s.substring(unitStart, i), text);
            totalNanos = totalNanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos)));
        }
        BigInteger nanos = totalNanos.setScale(0, java.math.RoundingMode.DOWN).toBigInteger();
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too large");
        }
        if (negative && nanos.signum() != 0) {
            throw new IllegalArgumentException("duration \"" + text + "\" must not be negative");
        }
        BigInteger[] sn = nanos.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
        return Duration.ofSeconds(sn[0].longValueExact(), sn[1].longValue());
    }

    private static long unitNanos(String unit, String text) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "\u00b5s", "\u03bcs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw invalid(text);
        };
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration \"" + text
                + "\": use a number with a unit (h, m, s, ms, us, ns) such as \"1.5s\", \"100ms\" or \"1h30m\"");
    }

    /** Protobuf JSON form: {@code 7s}, {@code 1.5s}, {@code 0.000000005s}, {@code -2s}. */
    public static String format(Duration d) {
        boolean negative = d.isNegative();
        Duration abs = d.abs();
        long seconds = abs.getSeconds();
        int nanos = abs.getNano();
        StringBuilder sb = new StringBuilder();
        if (negative) {
            sb.append('-');
        }
        sb.append(seconds);
        if (nanos != 0) {
            String frac = String.format("%09d", nanos);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(frac, 0, end);
        }
        return sb.append('s').toString();
    }
}
