package dev.meshgate.gateway.observe;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Istio's two built-in access-log encodings. TEXT is {@code EnvoyTextLogFormat} from
 * {@code pilot/pkg/model/telemetry_logging.go} operator by operator; JSON is {@code EnvoyJSONLogFormatIstio}
 * with its keys, in the alphabetical order Envoy prints a JSON log format (it arrives as a protobuf Struct).
 * %START_TIME% uses Envoy's default {@code %Y-%m-%dT%H:%M:%S.%3fZ} in UTC.
 */
public enum AccessLogFormat {
    TEXT,
    JSON;

    /** Istio's default TEXT format string (without the trailing newline), for reference and docs. */
    public static final String ISTIO_TEXT_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
            + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "
            + "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
            + "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" "
            + "\"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER_RAW% "
            + "%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% "
            + "%REQUESTED_SERVER_NAME% %ROUTE_NAME%";

    static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    public static AccessLogFormat parse(String s) {
        if (s == null) {
            return TEXT;
        }
        return switch (s.trim().toUpperCase(Locale.ROOT)) {
            case "TEXT" -> TEXT;
            case "JSON" -> JSON;
            default -> throw new IllegalArgumentException("access log encoding '" + s + "': expected TEXT or JSON");
        };
    }

    /** One log line, with the trailing newline. */
    public String format(AccessLogEntry e) {
        StringBuilder sb = new StringBuilder(400);
        if (this == TEXT) {
            text(e, sb);
        } else {
            json(e, sb);
        }
        return sb.append('\n').toString();
    }

    static String startTime(long epochMillis) {
        return START_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    private static void text(AccessLogEntry e, StringBuilder sb) {
        sb.append('[').append(startTime(e.startEpochMillis())).append("] \"");
        dash(sb, e.method()).append(' ');
        dash(sb, e.path()).append(' ');
        dash(sb, e.protocol()).append("\" ");
        sb.append(e.responseCode()).append(' ');
        dash(sb, e.responseFlags()).append(' ');
        dash(sb, e.responseCodeDetails()).append(' ');
        dash(sb, e.connectionTerminationDetails()).append(" \"");
        dash(sb, e.upstreamTransportFailureReason()).append("\" ");
        sb.append(e.bytesReceived()).append(' ');
        sb.append(e.bytesSent()).append(' ');
        sb.append(e.durationMillis()).append(' ');
        dash(sb, e.upstreamServiceTime()).append(" \"");
        dash(sb, e.xForwardedFor()).append("\" \"");
        dash(sb, e.userAgent()).append("\" \"");
        dash(sb, e.requestId()).append("\" \"");
        dash(sb, e.authority()).append("\" \"");
        dash(sb, e.upstreamHost()).append("\" ");
        dash(sb, e.upstreamCluster()).append(' ');
        dash(sb, e.upstreamLocalAddress()).append(' ');
        dash(sb, e.downstreamLocalAddress()).append(' ');
        dash(sb, e.downstreamRemoteAddress()).append(' ');
        dash(sb, e.requestedServerName()).append(' ');
        dash(sb, e.routeName());
    }

    private static StringBuilder dash(StringBuilder sb, String v) {
        return sb.append(v == null || v.isEmpty() ? "-" : v);
    }

    private static void json(AccessLogEntry e, StringBuilder sb) {
        sb.append('{');
        str(sb, "authority", e.authority(), true);
        num(sb, "bytes_received", e.bytesReceived());
        num(sb, "bytes_sent", e.bytesSent());
        str(sb, "connection_termination_details", e.connectionTerminationDetails(), false);
        str(sb, "downstream_local_address", e.downstreamLocalAddress(), false);
        str(sb, "downstream_remote_address", e.downstreamRemoteAddress(), false);
        num(sb, "duration", e.durationMillis());
        str(sb, "method", e.method(), false);
        str(sb, "path", e.path(), false);
        str(sb, "protocol", e.protocol(), false);
        str(sb, "request_id", e.requestId(), false);
        str(sb, "requested_server_name", e.requestedServerName(), false);
        num(sb, "response_code", e.responseCode());
        str(sb, "response_code_details", e.responseCodeDetails(), false);
        str(sb, "response_flags", e.responseFlags() == null ? "-" : e.responseFlags(), false);
        str(sb, "route_name", e.routeName(), false);
        str(sb, "start_time", startTime(e.startEpochMillis()), false);
        str(sb, "upstream_cluster", e.upstreamCluster(), false);
        str(sb, "upstream_host", e.upstreamHost(), false);
        str(sb, "upstream_local_address", e.upstreamLocalAddress(), false);
        str(sb, "upstream_service_time", e.upstreamServiceTime(), false);
        str(sb, "upstream_transport_failure_reason", e.upstreamTransportFailureReason(), false);
        str(sb, "user_agent", e.userAgent(), false);
        str(sb, "x_forwarded_for", e.xForwardedFor(), false);
        sb.append('}');
    }

    private static void num(StringBuilder sb, String key, long v) {
        sb.append(",\"").append(key).append("\":").append(v);
    }

    private static void str(StringBuilder sb, String key, String v, boolean first) {
        if (!first) {
            sb.append(',');
        }
        sb.append('"').append(key).append("\":");
        if (v == null || v.isEmpty()) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
