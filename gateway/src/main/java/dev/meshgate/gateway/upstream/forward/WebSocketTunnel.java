package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.upstream.cluster.Cluster;
import dev.meshgate.gateway.upstream.cluster.Host;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;

import java.util.Set;

/**
 * WebSocket upgrades (HTTP/1.1 {@code Upgrade: websocket}): the handshake goes upstream with the upgrade headers
 * restored (routing stripped them as hop-by-hop), the 101 comes back with the upstream's headers, then the two
 * sockets are spliced with back-pressure both ways. A non-101 answer is relayed as an ordinary response. Like
 * Envoy, an upgrade is not retried and the route timeout does not cover the tunnel.
 */
final class WebSocketTunnel {

    private WebSocketTunnel() {
    }

    static boolean isUpgrade(HttpServerRequest req) {
        if (req.version() != HttpVersion.HTTP_1_1 || req.method() != HttpMethod.GET) {
            return false;
        }
        String upgrade = req.headers().get("upgrade");
        String connection = req.headers().get("connection");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket") && connection != null
                && connection.toLowerCase().contains("upgrade");
    }

    static void forward(UpstreamClients clients, Exchange ex, Cluster cluster) {
        HttpServerRequest down = ex.request();
        Host host = cluster.loadBalancer().choose(null, Set.of());
        if (host == null) {
            LocalReply.noHealthyUpstream(ex);
            return;
        }
        ex.upstreamHost(host.hostPort());
        host.stats().requestStarted();
        RequestOptions opts = new RequestOptions().setHost(host.address()).setPort(host.port())
                .setMethod(HttpMethod.GET).setURI(ex.path());
        io.vertx.core.http.HttpClient client;
        try {
            client = clients.client(cluster.clientProfile());
        } catch (IllegalStateException shuttingDown) {
            host.stats().requestFinished();
            LocalReply.reset(ex, ResetKind.CONNECTION_FAILURE, false);
            return;
        }
        client.request(opts).onComplete(ar -> {
            if (ar.failed()) {
                host.stats().requestFinished();
                LocalReply.reset(ex, ResetKind.ofConnect(ar.cause()), false);
                return;
            }
            HttpClientRequest req = ar.result();
            MultiMap h = req.headers();
            h.addAll(ex.upstreamHeaders());
            h.remove("host");
            h.set("connection", "Upgrade");
            h.set("upgrade", down.headers().get("upgrade"));
            h.set(UpstreamCall.ATTEMPT_COUNT, "1");
            HostAndPort authority = ex.authority() == null ? null : HostAndPort.parseAuthority(ex.authority(), -1);
            if (authority != null) {
                req.authority(authority);
            }
            req.exceptionHandler(t -> { });
            down.handler(req::write);
            down.resume();
            req.connect().onComplete(rar -> {
                if (rar.failed()) {
                    host.stats().requestFinished();
                    LocalReply.reset(ex, ResetKind.ofStream(rar.cause()), false);
                    return;
                }
                HttpClientResponse resp = rar.result();
                if (resp.statusCode() != 101) {
                    relay(ex, resp, host);
                    return;
                }
                splice(ex, resp, host);
            });
        });
    }

    private static void splice(Exchange ex, HttpClientResponse resp, Host host) {
        HttpServerRequest down = ex.request();
        HttpServerResponse downResp = down.response();
        ex.responseCodeDetails("via_upstream");
        downResp.setStatusCode(101);
        downResp.headers().addAll(resp.headers());
        for (HeaderOps ops : ex.responseHeaderOps()) {
            ops.applyTo(downResp.headers());
        }
        NetSocket upstream = resp.netSocket();
        down.toNetSocket().onComplete(sar -> {
            if (sar.failed()) {
                host.stats().requestFinished();
                upstream.close();
                return;
            }
            NetSocket client = sar.result();
            boolean[] closed = new boolean[1];
            Runnable onClose = () -> {
                if (!closed[0]) {
                    closed[0] = true;
                    host.stats().requestFinished();
                }
            };
            client.pipeTo(upstream).onComplete(v -> onClose.run());
            upstream.pipeTo(client).onComplete(v -> onClose.run());
        });
    }

    private static void relay(Exchange ex, HttpClientResponse resp, Host host) {
        HttpServerResponse downResp = ex.request().response();
        ex.responseCodeDetails("via_upstream");
        downResp.setStatusCode(resp.statusCode());
        HopByHop.copyResponseHeaders(resp.headers(), downResp.headers());
        for (HeaderOps ops : ex.responseHeaderOps()) {
            ops.applyTo(downResp.headers());
        }
        resp.body().onComplete(b -> {
            host.stats().requestFinished();
            if (b.succeeded()) {
                downResp.end(b.result());
            } else {
                downResp.reset();
            }
        });
    }
}
