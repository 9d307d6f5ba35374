package dev.meshgate.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** {@code 200ms}, {@code 2s}, {@code 1m}, {@code 0}: the duration forms a person types on a command line. */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String v = value.trim();
        try {
            if (v.equals("0")) {
                return Duration.ZERO;
            }
            if (v.endsWith("ms")) {
                return check(Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))), value);
            }
            if (v.endsWith("s")) {
                return check(Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000)),
                        value);
            }
            if (v.endsWith("m")) {
                return check(Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1))), value);
            }
            if (v.endsWith("h")) {
                return check(Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1))), value);
            }
            if (v.endsWith("d")) {
                return check(Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1))), value);
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new TypeConversionException("'" + value + "' is not a duration such as 200ms, 2s, 1m, 1h or 90d");
    }

    private static Duration check(Duration d, String value) {
        if (d.isNegative()) {
            throw new TypeConversionException("'" + value + "' is negative");
        }
        return d;
    }
}
