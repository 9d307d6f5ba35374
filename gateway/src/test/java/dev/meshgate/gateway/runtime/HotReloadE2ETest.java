package dev.meshgate.gateway.runtime;

import dev.meshgate.gateway.testing.Backends;
import dev.meshgate.gateway.testing.GatewayHarness;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Continuous HTTP/1.1 and HTTP/2 traffic while the config changes 50 times: config i routes to v1 or v2 by parity
 * and stamps {@code x-config: i} on the response. Every response must come from a config that was in force at some
 * point while the request was in flight, and no request may fail.
 */
class HotReloadE2ETest {

    private static String config(int i, Backends b) {
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 80, name: http, protocol: HTTP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: app, namespace: default}
                spec:
                  host: app
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: app, namespace: default}
                spec:
                  hosts: [app.test]
                  gateways: [istio-system/gw]
                  http:
                  - headers: {response: {set: {x-config: "%d"}}}
                    route: [{destination: {host: app, subset: %s}}]
                ---
                """.formatted(i, i % 2 == 0 ? "v1" : "v2") + b.registry("default", "app", 80);
    }

    @Test
    void fiftyConfigChangesUnderTrafficDropNothing() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        Backends b = new Backends(vertx);
        b.start("app", "v1");
        b.start("app", "v2");
        GatewayOptions opts = GatewayHarness.testOptions();
        try (GatewayHarness gw = GatewayHarness.withRuntime(vertx, GatewayRuntime.create(vertx, opts), opts)) {
            gw.apply(config(0, b));
            AtomicInteger started = new AtomicInteger(0);
            AtomicInteger completed = new AtomicInteger(0);
            AtomicInteger answered = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Queue<String> errors = new ConcurrentLinkedQueue<>();
            List<io.vertx.core.Promise<Void>> workers = new ArrayList<>();
            int port = gw.port();
            // every request starts on one event-loop context: a Vert.x 5.0.7 client driven from a plain thread
            // now and then misses a response on a reused connection (see GatewayHarness)
            io.vertx.core.Context clients = vertx.getOrCreateContext();
            for (int w = 0; w < 6; w++) {
                io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
                workers.add(done);
                HttpClient client = w % 2 == 0 ? gw.h1 : gw.h2;
                clients.runOnContext(v -> loop(client, port, started, completed, answered, stop, errors, done));
            }
            for (int i = 1; i <= 50; i++) {
                started.set(i);
                gw.apply(config(i, b));
                completed.set(i);
                int target = answered.get() + 10;
                for (int spin = 0; spin < 2000 && answered.get() < target && errors.isEmpty(); spin++) {
                    Thread.onSpinWait();
                    Thread.sleep(1); // bounded polling on a condition, not a stand-in for synchronisation
                }
            }
            stop.set(true);
            for (io.vertx.core.Promise<Void> p : workers) {
                GatewayHarness.await(p.future());
            }
            assertTrue(errors.isEmpty(), "errors: " + errors.stream().limit(5).toList());
            assertTrue(answered.get() >= 500, "traffic flowed: " + answered.get());
            assertEquals(50, Integer.parseInt(gw.get("app.test", "/").header("x-config")));
        }
    }

    private static void loop(HttpClient client, int port, AtomicInteger started, AtomicInteger completed,
                             AtomicInteger answered, AtomicBoolean stop, Queue<String> errors,
                             io.vertx.core.Promise<Void> done) {
        if (stop.get() || !errors.isEmpty()) {
            done.tryComplete();
            return;
        }
        int before = completed.get();
        client.request(HttpMethod.GET, port, "127.0.0.1", "/x")
                .compose(req -> {
                    req.authority(HostAndPort.create("app.test", -1));
                    return req.send();
                })
                .compose(resp -> resp.body().map(body -> {
                    int after = started.get();
                    String cfg = resp.getHeader("x-config");
                    if (resp.statusCode() != 200 || cfg == null) {
                        errors.add("status " + resp.statusCode() + " body " + body);
                        return null;
                    }
                    int v = Integer.parseInt(cfg);
                    String expected = v % 2 == 0 ? "app-v1" : "app-v2";
                    if (v < before || v > after) {
                        errors.add("config " + v + " outside [" + before + "," + after + "]");
                    } else if (!body.toString().equals(expected)) {
                        errors.add("config " + v + " answered by " + body + ", expected " + expected);
                    }
                    answered.incrementAndGet();
                    return null;
                }))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        errors.add("request failed: " + ar.cause());
                    }
                    loop(client, port, started, completed, answered, stop, errors, done);
                });
    }
}
