package dev.meshgate.gateway.observe;

/**
 * What the access log does now: on or off, its encoding and its filter. Built from the flags and replaced by a
 * Telemetry resource's {@code accessLogging} when one applies.
 */
public record AccessLogSettings(boolean enabled, AccessLogFormat format, AccessLogFilter filter) {

    public static final AccessLogSettings OFF = new AccessLogSettings(false, AccessLogFormat.TEXT, AccessLogFilter.ALL);

    public AccessLogSettings {
        format = format == null ? AccessLogFormat.TEXT : format;
        filter = filter == null ? AccessLogFilter.ALL : filter;
    }
}
