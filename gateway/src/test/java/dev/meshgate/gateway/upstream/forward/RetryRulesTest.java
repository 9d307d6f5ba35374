package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.route.RetryPolicy;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryRulesTest {

    private static RetryPolicy on(String... policies) {
        return new RetryPolicy(2, null, Set.of(policies), Set.of(), Duration.ofMillis(25), true);
    }

    @Test
    void statusRules() {
        assertTrue(RetryDecider.onResponse(on("5xx"), 500, null));
        assertFalse(RetryDecider.onResponse(on("gateway-error"), 500, null));
        assertTrue(RetryDecider.onResponse(on("gateway-error"), 504, null));
        assertTrue(RetryDecider.onResponse(on("retriable-4xx"), 409, null));
        assertFalse(RetryDecider.onResponse(on("retriable-4xx"), 404, null));
        assertFalse(RetryDecider.onResponse(RetryPolicy.ISTIO_DEFAULT, 503, null), "Istio 1.24+: no 503 by default");
        RetryPolicy codes = new RetryPolicy(1, null, Set.of("retriable-status-codes"), Set.of(418), null, true);
        assertTrue(RetryDecider.onResponse(codes, 418, null));
        assertFalse(RetryDecider.onResponse(RetryPolicy.NONE, 503, null));
    }

    @Test
    void grpcRules() {
        assertTrue(RetryDecider.onResponse(RetryPolicy.ISTIO_DEFAULT, 200, "14"), "unavailable");
        assertTrue(RetryDecider.onResponse(RetryPolicy.ISTIO_DEFAULT, 200, "1"), "cancelled");
        assertFalse(RetryDecider.onResponse(RetryPolicy.ISTIO_DEFAULT, 200, "4"));
        assertTrue(RetryDecider.onResponse(on("deadline-exceeded"), 200, "4"));
        assertTrue(RetryDecider.onResponse(on("resource-exhausted"), 200, "8"));
        assertTrue(RetryDecider.onResponse(on("internal"), 200, "13"));
        assertFalse(RetryDecider.onResponse(on("internal"), 200, "0"));
    }

    @Test
    void resetRules() {
        assertEquals(ResetKind.CONNECTION_FAILURE, ResetKind.ofConnect(new ConnectException("refused")));
        assertEquals(ResetKind.CONNECTION_TERMINATION, ResetKind.ofStream(new HttpClosedException("closed")));
        assertEquals(ResetKind.REMOTE_REFUSED_STREAM, ResetKind.ofStream(new StreamResetException(7)));
        assertEquals(ResetKind.REMOTE_RESET, ResetKind.ofStream(new StreamResetException(2)));

        assertTrue(RetryDecider.onReset(RetryPolicy.ISTIO_DEFAULT, ResetKind.CONNECTION_FAILURE, false));
        assertTrue(RetryDecider.onReset(RetryPolicy.ISTIO_DEFAULT, ResetKind.REMOTE_REFUSED_STREAM, true));
        assertFalse(RetryDecider.onReset(RetryPolicy.ISTIO_DEFAULT, ResetKind.CONNECTION_TERMINATION, true),
                "the default policy does not retry a connection closed after the request went out");
        assertTrue(RetryDecider.onReset(on("reset"), ResetKind.CONNECTION_TERMINATION, true));
        assertTrue(RetryDecider.onReset(on("5xx"), ResetKind.PER_TRY_TIMEOUT, true));
        assertFalse(RetryDecider.onReset(on("connect-failure"), ResetKind.PER_TRY_TIMEOUT, true));
        assertTrue(RetryDecider.onReset(on("reset-before-request"), ResetKind.CONNECTION_TERMINATION, false));
        assertFalse(RetryDecider.onReset(on("reset-before-request"), ResetKind.CONNECTION_TERMINATION, true));
    }

    @Test
    void backoffIsJitteredExponentialAndCapped() {
        for (int run = 0; run < 200; run++) {
            Backoff b = new Backoff(25);
            long bound = 25;
            for (int i = 0; i < 8; i++) {
                long d = b.nextDelayMs();
                assertTrue(d >= 0 && d < bound, "delay " + d + " < " + bound);
                bound = Math.min(bound * 2, 250);
            }
        }
    }

    @Test
    void shadowAuthority() {
        assertEquals("svc.test-shadow", Mirrors.shadowAuthority("svc.test"));
        assertEquals("svc.test-shadow:8080", Mirrors.shadowAuthority("svc.test:8080"));
        assertEquals("[::1]-shadow:80", Mirrors.shadowAuthority("[::1]:80"));
    }
}
