package dev.meshgate.admin;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A real HTTP client against the admin server on 127.0.0.1, blocking the test thread only. */
final class Http implements AutoCloseable {

    record Response(int status, MultiMap headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    private final HttpClient client;
    private final int port;
    /** Every request starts on this one context: a pooled connection and its requests then share an event loop. */
    private final Context context;

    Http(Vertx vertx, int port) {
        this(vertx, port, new HttpClientOptions());
    }

    Http(Vertx vertx, int port, HttpClientOptions options) {
        this.client = vertx.createHttpClient(options);
        this.port = port;
        this.context = vertx.getOrCreateContext();
    }

    Response send(HttpMethod method, String path, Map<String, String> headers, String body) {
        RequestOptions ro = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
        headers.forEach(ro::addHeader);
        Promise<Response> done = Promise.promise();
        context.runOnContext(v -> client.request(ro)
                .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), resp.headers(), b.toString())))
                .onComplete(done));
        return await(done.future());
    }

    Response get(String path, Map<String, String> headers) {
        return send(HttpMethod.GET, path, headers, null);
    }

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        await(client.close());
    }
}
