package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.Host;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Shadow copies of one request (Envoy's request mirror policies): sent once the downstream request is complete,
 * only when its body fitted the replay buffer, with Host/:authority suffixed {@code -shadow}. Fire and forget:
 * the answer is drained and dropped, failures are ignored, and nothing waits for them.
 */
final class Mirrors {

    private final UpstreamClients clients;
    private final List<Cluster> targets;
    private final Duration timeout;

    Mirrors(UpstreamClients clients, List<Cluster> targets, Duration timeout) {
        this.clients = clients;
        this.targets = targets;
        this.timeout = timeout;
    }

    /** @param body the complete body, or null when it did not fit the replay buffer (then nothing is sent) */
    void send(Exchange ex, List<Buffer> body) {
        if (body == null) {
            return;
        }
        for (Cluster c : targets) {
            Host host = c.loadBalancer().choose(null, Set.of());
            if (host != null) {
                sendOne(ex, c, host, body);
            }
        }
    }

    private void sendOne(Exchange ex, Cluster c, Host host, List<Buffer> body) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(ex.upstreamHeaders());
        headers.remove("host");
        headers.remove("transfer-encoding");
        RequestOptions opts = new RequestOptions()
                .setHost(host.address())
                .setPort(host.port())
                .setMethod(ex.request().method())
                .setURI(ex.path())
                .setHeaders(headers)
                .setIdleTimeout(timeout.toMillis());
        long length = 0;
        for (Buffer b : body) {
            length += b.length();
        }
        long contentLength = length;
        host.stats().requestStarted();
        boolean[] finished = new boolean[1];
        Runnable done = () -> {
            if (!finished[0]) {
                finished[0] = true;
                host.stats().requestFinished();
            }
        };
        io.vertx.core.http.HttpClient client;
        try {
            client = clients.client(c.clientProfile());
        } catch (IllegalStateException shuttingDown) {
            done.run();
            return;
        }
        client.request(opts).onComplete(ar -> {
            if (ar.failed()) {
                done.run();
                return;
            }
            HttpClientRequest req = ar.result();
            HostAndPort authority = ex.authority() == null ? null
                    : HostAndPort.parseAuthority(shadowAuthority(ex.authority()), -1);
            if (authority != null) {
                req.authority(authority);
            }
            req.exceptionHandler(t -> { });
            if (contentLength > 0 || req.headers().contains("content-length")) {
                req.headers().set("content-length", Long.toString(contentLength));
            }
            req.response().onComplete(r -> {
                if (r.succeeded()) {
                    r.result().handler(b -> { }).exceptionHandler(t -> done.run()).endHandler(v -> done.run());
                } else {
                    done.run();
                }
            });
            for (Buffer b : body) {
                req.write(b);
            }
            req.end();
        });
    }

    /** Envoy: {@code host:port} becomes {@code host-shadow:port}. */
    static String shadowAuthority(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon > 0 && authority.indexOf(']', colon) < 0 && authority.indexOf(':') == colon) {
            return authority.substring(0, colon) + "-shadow" + authority.substring(colon);
        }
        if (authority.startsWith("[") && authority.contains("]:")) {
            int end = authority.indexOf("]:");
            return authority.substring(0, end + 1) + "-shadow" + authority.substring(end + 1);
        }
        return authority + "-shadow";
    }
}
