package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.exchange.ResponseFlag;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/**
 * Why an upstream attempt ended without a usable response, in Envoy's StreamResetReason terms, with the flag and
 * the text Envoy puts in %RESPONSE_CODE_DETAILS% and in the local reply body.
 */
enum ResetKind {
    CONNECTION_FAILURE("connection failure", "connection_failure", ResponseFlag.UF),
    CONNECTION_TERMINATION("connection termination", "connection_termination", ResponseFlag.UC),
    REMOTE_RESET("remote reset", "remote_reset", ResponseFlag.UR),
    REMOTE_REFUSED_STREAM("remote refused stream reset", "remote_refused_stream_reset", ResponseFlag.UR),
    /** Per-try timeout (Envoy resets the attempt locally; the reply is 504 UT). */
    PER_TRY_TIMEOUT("local reset", "local_reset", ResponseFlag.UT);

    /** HTTP/2 REFUSED_STREAM. */
    private static final long REFUSED_STREAM = 7;

    final String reason;
    final String detail;
    final ResponseFlag flag;

    ResetKind(String reason, String detail, ResponseFlag flag) {
        this.reason = reason;
        this.detail = detail;
        this.flag = flag;
    }

    /** Classifies the failure of {@code HttpClient.request} (no connection could be had). */
    static ResetKind ofConnect(Throwable t) {
        return t instanceof HttpClosedException ? CONNECTION_TERMINATION : CONNECTION_FAILURE;
    }

    /** Classifies the failure of an attempt that had a connection. */
    static ResetKind ofStream(Throwable t) {
        if (t instanceof StreamResetException sre) {
            return sre.getCode() == REFUSED_STREAM ? REMOTE_REFUSED_STREAM : REMOTE_RESET;
        }
        if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
            return CONNECTION_FAILURE;
        }
        return CONNECTION_TERMINATION;
    }
}
