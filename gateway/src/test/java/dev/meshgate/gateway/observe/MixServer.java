package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.ResponseFlag;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the listener in tests: a real HTTP server on 127.0.0.1 whose handler creates an {@link Exchange}
 * as the routing code does, starts it on an {@link ExchangeTracker} and answers like the data plane would for
 * the known mix (200 via upstream, 404 NR, 503 UO, 504 UT, a gRPC call, a request that never gets an answer).
 */
final class MixServer {

    static final String REVIEWS = "outbound|9080||reviews.default.svc.cluster.local";
    static final String GRPC = "outbound|9090||grpc.default.svc.cluster.local";

    final Vertx vertx;
    private io.vertx.core.Context clientContext;
    final ExchangeTracker tracker;
    final List<Exchange> hanging = new ArrayList<>();
    HttpServer server;
    HttpClient client;

    MixServer(Vertx vertx, ExchangeTracker tracker) {
        this.vertx = vertx;
        this.tracker = tracker;
    }

    int start() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle);
        await(server.listen(0, "127.0.0.1"));
        client = vertx.createHttpClient();
        clientContext = vertx.getOrCreateContext();
        return server.actualPort();
    }

    void close() throws Exception {
        if (client != null) {
            await(client.close());
        }
        if (server != null) {
            await(server.close());
        }
    }

    private void handle(HttpServerRequest req) {
        MultiMap up = MultiMap.caseInsensitiveMultiMap();
        String peer = req.remoteAddress().hostAddress();
        String xff = req.getHeader("x-forwarded-for");
        up.set("x-forwarded-for", xff == null ? peer : xff + "," + peer);
        String rid = req.getHeader("x-request-id");
        up.set("x-request-id", rid == null ? UUID.randomUUID().toString() : rid);
        String authority = req.authority() == null ? "" : req.authority().toString();
        String path = req.query() == null ? req.path() : req.path() + "?" + req.query();
        Exchange ex = new Exchange(req, 80, path, authority, up);
        tracker.begin(ex);
        switch (req.path()) {
            case "/ok" -> req.body().onSuccess(b -> {
                ex.routeName("reviews.default");
                ex.upstreamCluster(REVIEWS);
                ex.upstreamHost("10.0.0.7:9080");
                ex.upstreamLocalAddress("10.0.0.1:40000");
                ex.responseCodeDetails("via_upstream");
                req.response().putHeader("x-envoy-upstream-service-time", "3").end("hello");
            });
            case "/nr" -> {
                ex.flag(ResponseFlag.NR);
                ex.responseCodeDetails("route_not_found");
                req.response().setStatusCode(404).end();
            }
            case "/uo" -> {
                ex.routeName("reviews.default");
                ex.upstreamCluster(REVIEWS);
                ex.flag(ResponseFlag.UO);
                ex.responseCodeDetails("upstream_reset_before_response_started{overflow}");
                req.response().setStatusCode(503).end("upstream connect error or disconnect/reset before headers. "
                        + "reset reason: overflow");
            }
            case "/ut" -> {
                ex.routeName("reviews.default");
                ex.upstreamCluster(REVIEWS);
                ex.upstreamHost("10.0.0.7:9080");
                ex.flag(ResponseFlag.UT);
                ex.responseCodeDetails("upstream_response_timeout");
                req.response().setStatusCode(504).end("upstream request timeout");
            }
            case "/grpc.Greeter/Hello" -> req.body().onSuccess(b -> {
                ex.routeName("grpc.default");
                ex.upstreamCluster(GRPC);
                ex.upstreamHost("10.0.0.8:9090");
                ex.responseCodeDetails("via_upstream");
                ex.addGrpcRequestMessages(1);
                ex.addGrpcResponseMessages(2);
                req.response().putHeader("content-type", "application/grpc").setChunked(true);
                req.response().trailers().set("grpc-status", "0");
                req.response().end(Buffer.buffer(new byte[] {0, 0, 0, 0, 0}));
            });
            case "/hang" -> hanging.add(ex);
            default -> req.response().setStatusCode(500).end();
        }
    }

    /** Sends one request and returns the status; the body is read fully. */
    int send(HttpMethod method, String uri, String host, String body, MultiMap headers) throws Exception {
        RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(server.actualPort())
                .setURI(uri);
        // every request starts on one event-loop context: Vert.x 5.0.7 clients driven from plain threads now and
        // then miss a response on a reused keep-alive connection
        io.vertx.core.Promise<Integer> result = io.vertx.core.Promise.promise();
        clientContext.runOnContext(v -> client.request(o).compose(r -> {
            r.authority(io.vertx.core.net.HostAndPort.parseAuthority(host, -1));
            r.putHeader("user-agent", "mix-test/1.0");
            if (headers != null) {
                r.headers().addAll(headers);
            }
            Future<HttpClientResponse> sent = body == null ? r.send() : r.send(body);
            return sent.compose(resp -> resp.body().map(b -> resp.statusCode()));
        }).onComplete(result));
        return await(result.future());
    }

    /** The known mix: 3x200, 2x404 NR, 503 UO, 504 UT, one gRPC 200. */
    void sendMix() throws Exception {
        for (int i = 0; i < 3; i++) {
            MultiMap h = MultiMap.caseInsensitiveMultiMap().set("x-request-id", "ok-" + i);
            check(200, send(HttpMethod.POST, "/ok?i=" + i, "reviews.example.com", "ping", h));
        }
        for (int i = 0; i < 2; i++) {
            check(404, send(HttpMethod.GET, "/nr", "nope.example.com", null,
                    MultiMap.caseInsensitiveMultiMap().set("x-request-id", "nr-" + i)));
        }
        check(503, send(HttpMethod.GET, "/uo", "reviews.example.com", null,
                MultiMap.caseInsensitiveMultiMap().set("x-request-id", "uo")));
        check(504, send(HttpMethod.GET, "/ut", "reviews.example.com", null,
                MultiMap.caseInsensitiveMultiMap().set("x-request-id", "ut")
                        .set("x-forwarded-for", "203.0.113.9")));
        check(200, send(HttpMethod.POST, "/grpc.Greeter/Hello", "grpc.example.com", "\0\0\0\0\0",
                MultiMap.caseInsensitiveMultiMap().set("content-type", "application/grpc")
                        .set("x-request-id", "grpc")));
    }

    private static void check(int expected, int actual) {
        if (expected != actual) {
            throw new AssertionError("expected status " + expected + " got " + actual);
        }
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
