package dev.meshgate.gateway.upstream;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.exchange.Exchange;
import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.route.ForwardAction;
import dev.meshgate.gateway.route.RetryPolicy;
import dev.meshgate.gateway.route.WeightedDestination;
import dev.meshgate.gateway.upstream.forward.ForwardOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A minimal stand-in for routing: a real HttpServer on 127.0.0.1 that builds the Exchange (hop-by-hop headers
 * removed), picks the ForwardAction the test set, and calls the UpstreamManager. Plus backends and clients.
 */
final class Harness implements AutoCloseable {

    private static final Set<String> HOP = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "upgrade", "te", "host", "http2-settings");

    final Vertx vertx = Vertx.vertx();
    final UpstreamManager manager;
    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();
    volatile Function<HttpServerRequest, ForwardAction> route;
    volatile Function<HttpServerRequest, WeightedDestination> destination;
    volatile HeaderOps responseOps = HeaderOps.NONE;
    volatile String authority = "svc.test";
    final int port;

    Harness() {
        this(ForwardOptions.DEFAULT);
    }

    Harness(ForwardOptions options) {
        this(options, null);
    }

    Harness(ForwardOptions options, java.nio.file.Path credentialsDir) {
        this(options, credentialsDir, null, null);
    }

    Harness(ForwardOptions options, java.nio.file.Path credentialsDir, String dnsServer, Duration dnsRefresh) {
        this(new UpstreamOptions("istio-system", "istio-system", options, credentialsDir)
                .withDns(dnsServer, dnsRefresh));
    }

    Harness(UpstreamOptions upstream) {
        manager = new UpstreamManager(vertx, upstream);
        HttpServer gw = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        gw.requestHandler(this::onRequest);
        port = await(gw.listen()).actualPort();
        servers.add(gw);
    }

    private void onRequest(HttpServerRequest req) {
        req.pause();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (var e : req.headers()) {
            if (!HOP.contains(e.getKey().toLowerCase()) && !e.getKey().startsWith(":")) {
                headers.add(e.getKey(), e.getValue());
            }
        }
        Exchange ex = new Exchange(req, port, req.uri(), authority, headers);
        ex.addResponseHeaderOps(responseOps);
        exchanges.add(ex);
        ForwardAction action = route.apply(req);
        WeightedDestination d = destination != null ? destination.apply(req) : action.destinations().get(0);
        manager.forward(ex, action, d);
    }

    static ForwardAction action(WeightedDestination d, Duration timeout, RetryPolicy retries) {
        return new ForwardAction(List.of(d), timeout, retries, List.of());
    }

    void apply(ConfigSnapshot s) {
        manager.apply(s);
    }

    void route(WeightedDestination d, Duration timeout, RetryPolicy retries) {
        ForwardAction a = action(d, timeout, retries);
        route = r -> a;
    }

    /** A backend HttpServer on 127.0.0.1 (HTTP/1.1 and h2c prior knowledge). */
    int backend(Handler<HttpServerRequest> handler) {
        HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        s.requestHandler(handler);
        servers.add(s);
        return await(s.listen()).actualPort();
    }

    /** A port with nothing listening (bound, then closed). */
    int deadPort() {
        HttpServer s = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        s.requestHandler(r -> { });
        int p = await(s.listen()).actualPort();
        await(s.close());
        return p;
    }

    HttpClient client() {
        return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    }

    HttpClient h2Client() {
        return vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    }

    private final io.vertx.core.Context clientContext = vertx.getOrCreateContext();

    /**
     * Runs a client call on an event loop. Vert.x 5.0.7 clients driven from a plain thread sometimes never see a
     * response on a reused keep-alive connection (seen with no gateway in between); test clients stay on a loop.
     */
    <T> Future<T> onLoop(java.util.function.Supplier<Future<T>> call) {
        io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
        clientContext.runOnContext(v -> call.get().onComplete(p));
        return p.future();
    }

    Exchange lastExchange() {
        return exchanges.get(exchanges.size() - 1);
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Bounded wait on a condition (for effects with no future to wait on, such as a backend seeing a close). */
    static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    static HostAndPort hp(String h, int p) {
        return HostAndPort.create(h, p);
    }

    @Override
    public void close() {
        await(manager.close());
        await(vertx.close());
    }
}
