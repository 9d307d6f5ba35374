package dev.meshgate.gateway.upstream;

import dev.meshgate.gateway.route.RetryPolicy;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.meshgate.gateway.upstream.Fixtures.dest;
import static dev.meshgate.gateway.upstream.Fixtures.snapshot;
import static dev.meshgate.gateway.upstream.Fixtures.staticService;
import static dev.meshgate.gateway.upstream.Harness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 50 MB each way through the gateway. Mid-stream the receiving side stops reading; back-pressure must then stop
 * the sender well short of the whole body, and the heap (after GC) must not grow with the body.
 */
class StreamingTest {

    private static final long TOTAL = 50L * 1024 * 1024;
    private static final long HALF = TOTAL / 2;
    private static final long MB = 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final Harness h = new Harness();
    private final HttpClient client = h.client();

    @AfterEach
    void close() {
        h.close();
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    /** Waits (bounded) until the counter stops moving across several GC rounds: the sender is blocked. */
    private static long waitForStall(AtomicLong counter) {
        long last = -1;
        int stable = 0;
        for (int round = 0; round < 200 && stable < 4; round++) {
            System.gc();
            long now = counter.get();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        assertTrue(stable >= 4, "sender never stalled, at " + last);
        return last;
    }

    private static void pump(HttpClientRequest req, AtomicLong sent, long total) {
        while (sent.get() < total && !req.writeQueueFull()) {
            req.write(Buffer.buffer(new byte[CHUNK]));
            sent.addAndGet(CHUNK);
        }
        if (sent.get() >= total) {
            req.end();
        } else {
            req.drainHandler(v -> pump(req, sent, total));
        }
    }

    private static void pump(HttpServerResponse resp, AtomicLong sent, long total) {
        while (sent.get() < total && !resp.writeQueueFull()) {
            resp.write(Buffer.buffer(new byte[CHUNK]));
            sent.addAndGet(CHUNK);
        }
        if (sent.get() >= total) {
            resp.end();
        } else {
            resp.drainHandler(v -> pump(resp, sent, total));
        }
    }

    @Test
    void uploadStreamsWithBackPressure() {
        AtomicLong received = new AtomicLong();
        AtomicReference<HttpServerRequest> paused = new AtomicReference<>();
        int b = h.backend(req -> {
            req.handler(chunk -> {
                if (received.addAndGet(chunk.length()) >= HALF && paused.get() == null) {
                    req.pause();
                    paused.set(req);
                }
            });
            req.endHandler(v -> req.response().end(Long.toString(received.get())));
        });
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        long before = usedHeapAfterGc();

        AtomicLong sent = new AtomicLong();
        CompletableFuture<String> answer = new CompletableFuture<>();
        h.onLoop(() -> client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/upload"))).onSuccess(req -> {
            req.setChunked(true);
            req.response().compose(HttpClientResponse::body).onComplete(ar -> {
                if (ar.succeeded()) {
                    answer.complete(ar.result().toString());
                } else {
                    answer.completeExceptionally(ar.cause());
                }
            });
            pump(req, sent, TOTAL);
        });
        Harness.eventually(() -> paused.get() != null, "backend paused half way");
        long stalledAt = waitForStall(sent);
        long during = usedHeapAfterGc();
        assertTrue(stalledAt < TOTAL - 2 * MB, "client stalled at " + stalledAt / MB + " MB");
        assertTrue(during - before < 20 * MB, "heap grew " + (during - before) / MB + " MB mid-upload");
        paused.get().resume();

        assertEquals(Long.toString(TOTAL), answer.join());
        long after = usedHeapAfterGc();
        assertTrue(after - before < 10 * MB, "heap grew " + (after - before) / MB + " MB");
    }

    @Test
    void downloadStreamsWithBackPressure() {
        AtomicLong written = new AtomicLong();
        int b = h.backend(req -> {
            HttpServerResponse resp = req.response().setChunked(true);
            pump(resp, written, TOTAL);
        });
        h.apply(snapshot(staticService("default", "svc.test", b)));
        h.route(dest("svc.test"), null, RetryPolicy.ISTIO_DEFAULT);
        long before = usedHeapAfterGc();

        AtomicLong received = new AtomicLong();
        AtomicReference<HttpClientResponse> paused = new AtomicReference<>();
        CompletableFuture<Long> done = new CompletableFuture<>();
        h.onLoop(() -> client.request(HttpMethod.GET, "/download").compose(HttpClientRequest::send)).onSuccess(resp -> {
            resp.handler(chunk -> {
                if (received.addAndGet(chunk.length()) >= HALF && paused.get() == null) {
                    resp.pause();
                    paused.set(resp);
                }
            });
            resp.endHandler(v -> done.complete(received.get()));
            resp.exceptionHandler(done::completeExceptionally);
        });
        Harness.eventually(() -> paused.get() != null, "client paused half way");
        long stalledAt = waitForStall(written);
        long during = usedHeapAfterGc();
        assertTrue(stalledAt < TOTAL - 2 * MB, "backend stalled at " + stalledAt / MB + " MB");
        assertTrue(during - before < 20 * MB, "heap grew " + (during - before) / MB + " MB mid-download");
        paused.get().resume();

        assertEquals(TOTAL, done.join());
        long after = usedHeapAfterGc();
        assertTrue(after - before < 10 * MB, "heap grew " + (after - before) / MB + " MB");
        await(client.close());
    }
}
