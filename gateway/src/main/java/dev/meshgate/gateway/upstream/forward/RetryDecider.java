package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.route.RetryPolicy;

import java.util.Set;

/** Envoy's RetryStateImpl decisions (wouldRetryFromHeaders / wouldRetryFromReset) for a compiled RetryPolicy. */
final class RetryDecider {

    private RetryDecider() {
    }

    static boolean onResponse(RetryPolicy p, int status, String grpcStatus) {
        Set<String> on = p.retryOn();
        if (on.isEmpty() && p.retriableStatusCodes().isEmpty()) {
            return false;
        }
        if (on.contains("5xx") && status >= 500 && status < 600) {
            return true;
        }
        if (on.contains("gateway-error") && (status == 502 || status == 503 || status == 504)) {
            return true;
        }
        if (on.contains("retriable-4xx") && status == 409) {
            return true;
        }
        // Istio adds retriable-status-codes whenever retryOn names a code; accept the codes either way
        if (p.retriableStatusCodes().contains(status)) {
            return true;
        }
        if (grpcStatus != null) {
            return switch (grpcStatus.trim()) {
                case "1" -> on.contains("cancelled");
                case "4" -> on.contains("deadline-exceeded");
                case "8" -> on.contains("resource-exhausted");
                case "13" -> on.contains("internal");
                case "14" -> on.contains("unavailable");
                default -> false;
            };
        }
        return false;
    }

    /**
     * @param requestStarted the attempt had a connection and its headers were sent (Envoy's upstream_request_started)
     */
    static boolean onReset(RetryPolicy p, ResetKind kind, boolean requestStarted) {
        Set<String> on = p.retryOn();
        if (kind == ResetKind.CONNECTION_FAILURE && on.contains("connect-failure")) {
            return true;
        }
        if (on.contains("reset-before-request") && !requestStarted) {
            return true;
        }
        if (on.contains("5xx") || on.contains("gateway-error") || on.contains("reset")) {
            return true;
        }
        return kind == ResetKind.REMOTE_REFUSED_STREAM && on.contains("refused-stream");
    }
}
