package dev.meshgate.cli;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Blocking HTTP calls to loopback for the run-level tests (never on an event loop). */
final class HttpProbe implements AutoCloseable {

    record Resp(int status, MultiMap headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    final Vertx vertx = Vertx.vertx();
    private final HttpClient client = vertx.createHttpClient();
    /**
     * Every request starts on this one context: Vert.x 5.0.7 clients driven from plain threads now and then miss
     * a response on a reused keep-alive connection.
     */
    private final io.vertx.core.Context context = vertx.getOrCreateContext();

    Resp send(HttpMethod method, int port, String authority, String path, String token, String contentType,
              String body) {
        RequestOptions ro = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
        io.vertx.core.Promise<Resp> onContext = io.vertx.core.Promise.promise();
        context.runOnContext(v -> request(ro, authority, token, contentType, body).onComplete(onContext));
        return await(onContext.future());
    }

    private Future<Resp> request(RequestOptions ro, String authority, String token, String contentType,
                                 String body) {
        return client.request(ro).compose(req -> {
            if (authority != null) {
                req.authority(HostAndPort.parseAuthority(authority, -1));
            }
            if (token != null) {
                req.putHeader("Authorization", "Bearer " + token);
            }
            if (contentType != null) {
                req.putHeader("Content-Type", contentType);
            }
            Future<HttpClientResponse> sent = body == null ? req.send() : req.send(Buffer.buffer(body));
            return sent.compose(resp -> resp.body().map(b -> new Resp(resp.statusCode(), resp.headers(),
                    b.toString())));
        });
    }

    Resp get(int port, String authority, String path) {
        return send(HttpMethod.GET, port, authority, path, null, null, null);
    }

    /** Bearer token for {@link #admin} reads; null for none. */
    volatile String adminToken;

    JsonObject admin(int adminPort, String path) {
        Resp r = send(HttpMethod.GET, adminPort, null, path, adminToken, null, null);
        if (r.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    /** Polls (bounded) until the response satisfies the condition; returns the last response. */
    Resp until(int seconds, java.util.function.Supplier<Resp> call, Predicate<Resp> done) {
        return until(seconds, () -> true, call, done);
    }

    /**
     * As {@link #until(int, java.util.function.Supplier, Predicate)}, giving up early once {@code keepTrying} turns
     * false (e.g. the polled child process exited): the bound is then only a safety net for a hung child.
     */
    Resp until(int seconds, java.util.function.BooleanSupplier keepTrying, java.util.function.Supplier<Resp> call,
               Predicate<Resp> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Resp last = null;
        while (System.nanoTime() < deadline && keepTrying.getAsBoolean()) {
            try {
                last = call.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                // not up yet (connection refused): try again until the deadline
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return last;
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        await(vertx.close());
    }
}
