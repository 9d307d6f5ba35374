package dev.meshgate.gateway.observe;

import dev.meshgate.gateway.runtime.GatewayRuntime;
import dev.meshgate.gateway.testing.GatewayHarness;
import dev.meshgate.gateway.testing.TestConfig;
import dev.meshgate.gateway.upstream.UpstreamManager;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * gRPC calls (unary, server-, client- and bidirectional streaming, a trailers-only error, a retried 503) through the
 * real runtime and forwarder to an h2c backend that speaks gRPC framing; istio_request_messages_total and
 * istio_response_messages_total in the Prometheus text carry the exact message counts.
 */
class GrpcMessagesE2ETest {

    static final String HOST = "grpc.internal";
    static final Map<String, String> OK = Map.of("destination_service", HOST, "request_protocol", "grpc",
            "response_code", "200", "grpc_response_status", "0", "reporter", "source");

    Vertx vertx;
    GatewayHarness gw;
    Observability obs;
    HttpClient client;
    Context clientContext;
    int backendPort;
    final java.util.concurrent.atomic.AtomicInteger overloadedTries = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpServer backend = vertx.createHttpServer().requestHandler(this::backend);
        backendPort = GatewayHarness.await(backend.listen(0, "127.0.0.1")).actualPort();
        obs = Observability.create(ObserveOptions.defaults().forTests().withDrain(Duration.ZERO, null),
                Map.of("POD_NAME", "istio-ingressgateway-5d8f9c7b5d-x2k4q", "POD_NAMESPACE", "istio-system"),
                Map.of("istio", "ingressgateway"), "istio-system");
        GatewayHarness.await(obs.start(vertx));
        UpstreamManager upstreams = new UpstreamManager(vertx);
        GatewayRuntime rt = new GatewayRuntime(vertx, upstreams, upstreams::apply, upstreams::close)
                .observe(obs.tracker());
        gw = GatewayHarness.withRuntime(vertx, rt, GatewayHarness.testOptions());
        gw.apply(TestConfig.gateway("*"), """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: grpc, namespace: istio-system}
                spec:
                  hosts: [grpc.internal]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9090, name: grpc, protocol: GRPC}]
                  endpoints: [{address: 127.0.0.1, ports: {grpc: %d}}]
                """.formatted(backendPort), """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: grpc, namespace: istio-system}
                spec:
                  hosts: ["*"]
                  gateways: [gw]
                  http:
                  - route: [{destination: {host: grpc.internal, port: {number: 9090}}}]
                """);
        obs.applied(1, true);
        client = gw.h2;
        clientContext = vertx.getOrCreateContext();
    }

    @AfterEach
    void tearDown() {
        if (gw != null) {
            GatewayHarness.await(obs.stop());
            gw.close();
        }
    }

    // ------------------------------------------------------------------ the gRPC-style backend

    private void backend(HttpServerRequest req) {
        HttpServerResponse resp = req.response();
        if (req.version() != HttpVersion.HTTP_2) {
            resp.setStatusCode(505).end();
            return;
        }
        String method = req.path().substring(req.path().lastIndexOf('/') + 1);
        switch (method) {
            case "Unary" -> req.body().onSuccess(body -> {
                List<String> in = Frames.parse(body);
                grpcHead(resp).write(Frames.frame("re:" + in.get(0)));
                ok(resp);
            });
            case "ServerStream" -> req.body().onSuccess(body -> {
                String n = Frames.parse(body).get(0);
                grpcHead(resp);
                Buffer stream = Buffer.buffer();
                for (int i = 0; i < Integer.parseInt(n); i++) {
                    stream.appendBuffer(Frames.frame(i == 1 ? "" : "item-" + i));
                }
                // written in awkward pieces: frame boundaries fall inside writes
                for (int i = 0; i < stream.length(); i += 7) {
                    resp.write(stream.slice(i, Math.min(stream.length(), i + 7)));
                }
                ok(resp);
            });
            case "ClientStream" -> req.body().onSuccess(body -> {
                grpcHead(resp).write(Frames.frame("got " + Frames.parse(body).size()));
                ok(resp);
            });
            case "Chat" -> {
                grpcHead(resp);
                Frames.Parser parser = new Frames.Parser(msg -> resp.write(Frames.frame("echo:" + msg)));
                req.handler(parser::feed);
                req.endHandler(v -> ok(resp));
            }
            case "Unimplemented" -> req.body().onSuccess(body -> resp.putHeader("content-type", "application/grpc")
                    .putHeader("grpc-status", "12").putHeader("grpc-message", "not here").end());
            case "Overloaded" -> req.body().onSuccess(body -> {
                overloadedTries.incrementAndGet();
                // grpc-status 14 in the headers: retried by the default policy's "unavailable"
                resp.setStatusCode(503).putHeader("content-type", "application/grpc").putHeader("grpc-status", "14")
                        .end(Frames.frame("would be a message"));
            });
            default -> resp.setStatusCode(404).end();
        }
    }

    private static HttpServerResponse grpcHead(HttpServerResponse resp) {
        return resp.putHeader("content-type", "application/grpc+proto").setChunked(true);
    }

    private static void ok(HttpServerResponse resp) {
        resp.putTrailer("grpc-status", "0");
        resp.end();
    }

    // ------------------------------------------------------------------ the client side

    record Call(int status, List<String> messages, String grpcStatus) {
    }

    /** Starts a call through the gateway; {@code body} writes the request stream and ends it. */
    private Call call(String method, String contentType, Consumer<HttpClientRequest> body,
                      Consumer<String> onMessage) {
        Promise<Call> done = Promise.promise();
        clientContext.runOnContext(v -> client.request(new RequestOptions().setMethod(HttpMethod.POST)
                .setHost("127.0.0.1").setPort(gw.port()).setURI("/demo.Echo/" + method)
                .putHeader("content-type", contentType).putHeader("te", "trailers")).onSuccess(req -> {
                    req.authority(HostAndPort.create("api.example.com", -1));
                    req.setChunked(true);
                    req.response().onSuccess(resp -> {
                        List<String> got = new ArrayList<>();
                        Frames.Parser parser = new Frames.Parser(msg -> {
                            got.add(msg);
                            if (onMessage != null) {
                                onMessage.accept(msg);
                            }
                        });
                        resp.handler(parser::feed);
                        resp.exceptionHandler(done::tryFail);
                        resp.endHandler(e -> {
                            String status = resp.trailers().get("grpc-status");
                            done.tryComplete(new Call(resp.statusCode(), got,
                                    status != null ? status : resp.getHeader("grpc-status")));
                        });
                    }).onFailure(done::tryFail);
                    body.accept(req);
                }).onFailure(done::tryFail));
        return GatewayHarness.await(done.future());
    }

    private Call unary(String method, String contentType, String message) {
        return call(method, contentType, req -> req.end(Frames.frame(message)), null);
    }

    /**
     * Waits (bounded) until the gateway has recorded {@code n} requests and at least the given message totals (the
     * event loop records the counters one after the other, after the client already has its answer), then returns
     * the Prometheus text for the exact assertions.
     */
    private PromText scrapeAfter(int n, int requestMessages, int responseMessages) throws Exception {
        PromText prom = null;
        for (int i = 0; i < 500; i++) {
            prom = PromText.parse(obs.registry().scrape());
            if (prom.sum("istio_requests_total", Map.of()) >= n
                    && prom.sum("istio_request_messages_total", Map.of()) >= requestMessages
                    && prom.sum("istio_response_messages_total", Map.of()) >= responseMessages) {
                return prom;
            }
            Thread.sleep(10); // bounded poll on the condition
        }
        return prom;
    }

    private static double requestMessages(PromText prom, Map<String, String> labels) {
        return prom.sum("istio_request_messages_total", labels);
    }

    private static double responseMessages(PromText prom, Map<String, String> labels) {
        return prom.sum("istio_response_messages_total", labels);
    }

    @Test
    void unaryAndStreamingCallsCountEveryMessageInBothDirections() throws Exception {
        Call unary = unary("Unary", "application/grpc", "hi");
        assertEquals(200, unary.status());
        assertEquals(List.of("re:hi"), unary.messages());
        assertEquals("0", unary.grpcStatus());
        PromText prom = scrapeAfter(1, 1, 1);
        assertEquals(1, requestMessages(prom, OK));
        assertEquals(1, responseMessages(prom, OK));

        // server streaming: one request, five responses (one of them empty) cut into 7-byte writes
        Call server = unary("ServerStream", "application/grpc", "5");
        assertEquals(List.of("item-0", "", "item-2", "item-3", "item-4"), server.messages());
        prom = scrapeAfter(2, 2, 6);
        assertEquals(2, requestMessages(prom, OK));
        assertEquals(6, responseMessages(prom, OK));

        // client streaming: four requests (two of them empty), the second split across writes, one response
        Call clientStream = call("ClientStream", "application/grpc", req -> {
            Buffer second = Frames.frame("second");
            req.write(Frames.frame("first").appendBuffer(second.slice(0, 3)));
            req.write(Buffer.buffer().appendBuffer(second.slice(3, second.length())).appendBuffer(Frames.frame("")));
            req.end(Frames.frame(""));
        }, null);
        assertEquals(List.of("got 4"), clientStream.messages());
        prom = scrapeAfter(3, 6, 7);
        assertEquals(6, requestMessages(prom, OK));
        assertEquals(7, responseMessages(prom, OK));

        // bidirectional: each message is only sent once the echo of the previous one came back through the gateway
        LinkedBlockingQueue<String> echoes = new LinkedBlockingQueue<>();
        Promise<HttpClientRequest> open = Promise.promise();
        java.util.concurrent.CompletableFuture<Call> chat = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> call("Chat", "application/grpc", open::complete, echoes::add));
        HttpClientRequest req = GatewayHarness.await(open.future());
        for (String m : List.of("a", "bb", "")) {
            GatewayHarness.await(onClient(() -> req.write(Frames.frame(m))));
            assertEquals("echo:" + m, echoes.poll(10, TimeUnit.SECONDS));
        }
        GatewayHarness.await(onClient(req::end));
        Call chatted = chat.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("echo:a", "echo:bb", "echo:"), chatted.messages());
        assertEquals("0", chatted.grpcStatus());
        prom = scrapeAfter(4, 9, 10);
        assertEquals(9, requestMessages(prom, OK));
        assertEquals(10, responseMessages(prom, OK));
        assertEquals(4, prom.sum("istio_requests_total", OK));

        // the same counts through the Prometheus endpoint an Istio scrape config points at
        PromText scraped = PromText.parse(httpScrape());
        assertEquals("counter", scraped.types.get("istio_request_messages_total"));
        assertEquals("counter", scraped.types.get("istio_response_messages_total"));
        assertEquals(9, requestMessages(scraped, OK));
        assertEquals(10, responseMessages(scraped, OK));
        for (PromText.Sample s : scraped.series("istio_request_messages_total")) {
            assertEquals(IstioMetricsTest.HTTP_LABELS, new java.util.TreeSet<>(s.labels().keySet()));
        }
    }

    @Test
    void errorsRetriesAndNonGrpcContentTypes() throws Exception {
        // trailers-only answer: the request message counts, there is no response message
        Call unimplemented = unary("Unimplemented", "application/grpc", "x");
        assertEquals(200, unimplemented.status());
        assertEquals("12", unimplemented.grpcStatus());
        PromText prom = scrapeAfter(1, 1, 0);
        Map<String, String> twelve = Map.of("destination_service", HOST, "grpc_response_status", "12");
        assertEquals(1, requestMessages(prom, twelve));
        assertEquals(0, responseMessages(prom, twelve));

        // UNAVAILABLE is retried (Istio's default policy, 3 tries): the replayed request is not counted again, and
        // a non-200 response's body is not counted as gRPC messages (Envoy's isGrpcResponseHeaders)
        Call overloaded = unary("Overloaded", "application/grpc+proto", "y");
        assertEquals(503, overloaded.status());
        assertEquals(3, overloadedTries.get(), "Istio's default retry policy sent the request three times");
        prom = scrapeAfter(2, 2, 0);
        Map<String, String> unavailable = Map.of("destination_service", HOST, "response_code", "503",
                "request_protocol", "grpc");
        assertEquals(1, prom.sum("istio_requests_total", unavailable));
        assertEquals(1, requestMessages(prom, unavailable));
        assertEquals(0, responseMessages(prom, unavailable));

        // gRPC-Web is not gRPC to Envoy's grpc_stats and Istio's stats filter: http, and no message counters
        Call web = unary("Unary", "application/grpc-web+proto", "w");
        assertEquals(List.of("re:w"), web.messages());
        prom = scrapeAfter(3, 2, 0);
        Map<String, String> http = Map.of("destination_service", HOST, "request_protocol", "http");
        assertEquals(1, prom.sum("istio_requests_total", http));
        assertEquals(0, prom.series("istio_request_messages_total").stream()
                .filter(s -> "http".equals(s.labels().get("request_protocol"))).count());
        assertEquals(2, prom.sum("istio_request_messages_total", Map.of()));
        assertEquals(0, prom.sum("istio_response_messages_total", Map.of()));
    }

    private <T> Future<T> onClient(java.util.function.Supplier<Future<T>> action) {
        Promise<T> p = Promise.promise();
        clientContext.runOnContext(v -> action.get().onComplete(p));
        return p.future();
    }

    private String httpScrape() {
        Promise<String> body = Promise.promise();
        HttpClient plain = vertx.createHttpClient();
        clientContext.runOnContext(v -> plain.request(HttpMethod.GET, obs.statsPort(), "127.0.0.1", StatsEndpoint.PATH)
                .compose(r -> r.send()).compose(resp -> resp.body()).map(Buffer::toString)
                .eventually(plain::close).onComplete(body));
        String text = GatewayHarness.await(body.future());
        assertNotNull(text);
        return text;
    }

    /** gRPC length-prefixed framing for the test's client and backend (whole-message parsing, test-only). */
    static final class Frames {

        static Buffer frame(String message) {
            byte[] b = message.getBytes(StandardCharsets.UTF_8);
            return Buffer.buffer().appendByte((byte) 0).appendInt(b.length).appendBytes(b);
        }

        static List<String> parse(Buffer body) {
            List<String> out = new ArrayList<>();
            Parser p = new Parser(out::add);
            p.feed(body);
            if (p.pending.length() != 0) {
                throw new AssertionError("trailing partial message: " + p.pending.length() + " bytes");
            }
            return out;
        }

        static final class Parser {
            private final Consumer<String> onMessage;
            private Buffer pending = Buffer.buffer();

            Parser(Consumer<String> onMessage) {
                this.onMessage = onMessage;
            }

            void feed(Buffer chunk) {
                pending.appendBuffer(chunk);
                while (pending.length() >= 5) {
                    int len = pending.getInt(1);
                    if (pending.length() < 5 + len) {
                        return;
                    }
                    onMessage.accept(pending.getString(5, 5 + len, "UTF-8"));
                    pending = pending.getBuffer(5 + len, pending.length());
                }
            }
        }
    }
}
