package dev.meshgate.gateway.testing;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.upstream.Forwarder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.PoolOptions;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway runtime on 127.0.0.1 with every configured service port mapped to a free local port, plus HTTP/1.1
 * and HTTP/2 (prior knowledge) clients.
 */
public final class GatewayHarness implements AutoCloseable {

    public final Vertx vertx;
    public final GatewayRuntime runtime;
    public final HttpClient h1;
    public final HttpClient h2;

    public record Resp(int status, MultiMap headers, String body, HttpVersion version) {
        public String header(String n) {
            return headers.get(n);
        }

        public Map<String, Object> json() {
            return EchoForwarder.parse(body);
        }

        @SuppressWarnings("unchecked")
        public String upstreamHeader(String name) {
            return (String) ((Map<String, Object>) json().get("headers")).get(name);
        }
    }

    /**
     * Every client request starts on this one context: Vert.x 5.0.7 clients driven from plain test threads now and
     * then miss a response on a reused keep-alive connection.
     */
    private final io.vertx.core.Context clientContext;

    private GatewayHarness(Vertx vertx, GatewayRuntime runtime) {
        this.vertx = vertx;
        this.clientContext = vertx.getOrCreateContext();
        this.runtime = runtime;
        this.h1 = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(32));
        this.h2 = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    }

    public static GatewayHarness withEcho(GatewayOptions options) {
        return with(new EchoForwarder(), options);
    }

    public static GatewayHarness with(Forwarder f, GatewayOptions options) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        GatewayRuntime rt = new GatewayRuntime(vertx, f, s -> { }, () -> Future.succeededFuture());
        await(rt.start(options));
        return new GatewayHarness(vertx, rt);
    }

    public static GatewayHarness withRuntime(Vertx vertx, GatewayRuntime rt, GatewayOptions options) {
        await(rt.start(options));
        return new GatewayHarness(vertx, rt);
    }

    /** 80 and 8080 to free ports, loopback, two event loops. */
    public static GatewayOptions testOptions() {
        return GatewayOptions.defaults().withBindHost("127.0.0.1").withEventLoops(2)
                .withPortMap(Map.of(80, 0, 8080, 0, 9080, 0));
    }

    public void apply(ConfigSnapshot s) {
        await(runtime.apply(s));
    }

    public void apply(String... yaml) {
        apply(TestConfig.snapshot(yaml));
    }

    public int port() {
        return runtime.localPort(80);
    }

    public Resp get(String host, String path, String... headers) {
        return send(h1, HttpMethod.GET, port(), host, path, null, headers);
    }

    public Resp send(HttpClient client, HttpMethod method, int port, String host, String path, String body,
                     String... headers) {
        RequestOptions ro = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
                .setURI(path);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            ro.addHeader(headers[i], headers[i + 1]);
        }
        io.vertx.core.Promise<Resp> result = io.vertx.core.Promise.promise();
        clientContext.runOnContext(v -> client.request(ro).compose(req -> {
            if (host != null) {
                // Host for HTTP/1.1, :authority for HTTP/2
                req.authority(io.vertx.core.net.HostAndPort.parseAuthority(host, -1));
            }
            return (body == null ? req.send() : req.send(body))
                    .compose(resp -> resp.body().map(b -> new Resp(resp.statusCode(), resp.headers(), b.toString(),
                            resp.version())));
        }).onComplete(result));
        return await(result.future());
    }

    public static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Override
    public void close() {
        try {
            await(runtime.stop());
        } finally {
            await(vertx.close());
        }
    }

    public static Buffer buf(String s) {
        return Buffer.buffer(s);
    }
}
