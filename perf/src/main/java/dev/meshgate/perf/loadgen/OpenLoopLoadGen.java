package dev.meshgate.perf.loadgen;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed-rate, open-loop HTTP load generator (Istio measures its proxies this way, with fortio). Requests are
 * scheduled at {@code start + i / rate} whatever happens to earlier ones; a request waiting for a free
 * connection waits on the clock. Latency runs from the intended send time to the last byte of the response, so
 * a stall is charged to every request it delayed (no coordinated omission).
 *
 * <p>Usage: {@code java -cp meshgate-perf.jar dev.meshgate.perf.loadgen.OpenLoopLoadGen --url URL [--rate 1000]
 * [--duration 10] [--warmup 2] [--connections 16] [--method GET] [--body-bytes 0] [--histogram FILE]}.
 * Prints one {@code RESULT key=value ...} line; {@code --histogram} writes the compressed HdrHistogram (base64)
 * for the report's percentile curves. Exit 0 when the run finished; errors are counted, not fatal.
 */
public final class OpenLoopLoadGen {

    /** Longer than any bounded run: a request still pending when the run ends is charged as this. */
    private static final long MAX_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Options opts;
    private final Vertx vertx;
    private final HttpClient client;
    private final Context context;
    private final Buffer body;
    private final Histogram histogram = new Histogram(MAX_TRACKABLE_NANOS, 3);
    // all counters are touched only on the client's event loop
    private long completed;
    private long errors;
    private long non2xx;
    private long inFlight;
    private long connections;
    private boolean recording;

    private OpenLoopLoadGen(Options opts) {
        this.opts = opts;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        boolean tls = "https".equals(opts.url.getScheme());
        HttpClientOptions o = new HttpClientOptions()
                .setDefaultHost(opts.url.getHost())
                .setDefaultPort(port(opts.url))
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setSsl(tls)
                .setTrustAll(tls)
                .setVerifyHost(false)
                // send SNI for "localhost" too (automatic SNI skips dotless names); gateways select by SNI
                .setForceSni(tls)
                .setConnectTimeout(5_000);
        if (tls && OpenSSLEngineOptions.isAvailable()) {
            // BoringSSL (netty-tcnative) instead of the JDK engine: a cold JDK TLS stack cannot keep 1000 rps on
            // a busy box and its own queueing would be charged to the proxy under test
            o.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(opts.connections).setMaxWaitQueueSize(-1);
        this.client = vertx.httpClientBuilder().with(o).with(pool)
                .withConnectHandler(conn -> connections++)
                .build();
        this.context = vertx.getOrCreateContext();
        this.body = opts.bodyBytes > 0 ? Buffer.buffer(new byte[opts.bodyBytes]) : null;
    }

    public static void main(String[] args) throws Exception {
        Options opts = Options.parse(args);
        OpenLoopLoadGen gen = new OpenLoopLoadGen(opts);
        try {
            gen.run(System.out);
        } finally {
            gen.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void run(PrintStream out) throws Exception {
        if (opts.warmupSeconds > 0) {
            drive(opts.warmupSeconds, false);
            onLoop(() -> histogram.reset());
        }
        long sent = drive(opts.durationSeconds, true);
        // let the last responses arrive (bounded), then charge what is still missing as MAX
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (onLoop(() -> inFlight) > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        long[] counts = onLoop(() -> {
            recording = false;
            long missing = inFlight;
            if (missing > 0) {
                histogram.recordValueWithCount(histogram.getHighestTrackableValue(), missing);
            }
            return new long[]{completed, errors, non2xx, missing, connections};
        });
        Histogram h = onLoop(histogram::copy);
        double seconds = opts.durationSeconds;
        out.printf(Locale.ROOT, "RESULT target_rate=%d sent=%d completed=%d errors=%d non2xx=%d timeouts=%d new_connections=%d "
                        + "achieved_rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f mean_ms=%.3f%n",
                opts.rate, sent, counts[0], counts[1], counts[2], counts[3], counts[4], counts[0] / seconds,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getMean() / 1e6);
        if (opts.histogramFile != null) {
            ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
            int len = h.encodeIntoCompressedByteBuffer(buf);
            byte[] bytes = new byte[len];
            buf.flip();
            buf.get(bytes);
            Files.writeString(opts.histogramFile, Base64.getEncoder().encodeToString(bytes) + "\n");
        }
    }

    /**
     * Sends at the fixed rate for {@code seconds} from this (scheduler) thread's clock, handing each due request
     * to the event loop. Returns how many were sent.
     */
    private long drive(int seconds, boolean record) throws Exception {
        onLoop(() -> {
            recording = record;
            if (record) {
                completed = 0;
                errors = 0;
                non2xx = 0;
                connections = 0;
            }
            return null;
        });
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / opts.rate;
        long start = System.nanoTime();
        long total = (long) opts.rate * seconds;
        long i = 0;
        while (i < total) {
            long now = System.nanoTime();
            long due = Math.min(total, (now - start) / intervalNanos + 1);
            if (due > i) {
                long from = i;
                long to = due;
                context.runOnContext(v -> {
                    for (long k = from; k < to; k++) {
                        send(start + k * intervalNanos);
                    }
                });
                i = due;
            }
            long next = start + i * intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        return total;
    }

    private void send(long intendedNanos) {
        inFlight++;
        boolean rec = recording;
        RequestOptions ro = new RequestOptions().setMethod(opts.method).setURI(opts.path);
        Future<Buffer> f = client.request(ro).compose(req -> (body == null ? req.send() : req.send(body))
                .compose(resp -> {
                    if (resp.statusCode() / 100 != 2) {
                        non2xx++;
                    }
                    return resp.body();
                }));
        f.onComplete(ar -> {
            inFlight--;
            if (ar.succeeded()) {
                completed++;
            } else {
                errors++;
            }
            if (rec && recording) {
                histogram.recordValue(Math.min(MAX_TRACKABLE_NANOS, System.nanoTime() - intendedNanos));
            }
        });
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    private void onLoop(Runnable task) throws Exception {
        onLoop(() -> {
            task.run();
            return null;
        });
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static int port(URI u) {
        if (u.getPort() > 0) {
            return u.getPort();
        }
        return "https".equals(u.getScheme()) ? 443 : 80;
    }

    /** Command-line options; every run is bounded by --warmup + --duration (+ 5 s drain). */
    record Options(URI url, String path, int rate, int durationSeconds, int warmupSeconds, int connections,
                   HttpMethod method, int bodyBytes, Path histogramFile) {

        static Options parse(String[] args) {
            URI url = null;
            int rate = 1000;
            int duration = 10;
            int warmup = 2;
            int connections = 16;
            HttpMethod method = HttpMethod.GET;
            int bodyBytes = 0;
            Path hist = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw usage("missing value for " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--url" -> url = URI.create(v);
                    case "--rate" -> rate = positive(a, v);
                    case "--duration" -> duration = positive(a, v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--connections" -> connections = positive(a, v);
                    case "--method" -> method = HttpMethod.valueOf(v.toUpperCase(Locale.ROOT));
                    case "--body-bytes" -> bodyBytes = Integer.parseInt(v);
                    case "--histogram" -> hist = Path.of(v);
                    default -> throw usage("unknown option " + a);
                }
            }
            if (url == null || url.getHost() == null) {
                throw usage("--url http(s)://HOST:PORT/PATH is required");
            }
            if (!"127.0.0.1".equals(url.getHost()) && !"localhost".equals(url.getHost())) {
                throw usage("only loopback targets (127.0.0.1, localhost) are allowed");
            }
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            if (url.getRawQuery() != null) {
                path += "?" + url.getRawQuery();
            }
            if (rate > 1_000_000 || duration > 3600) {
                throw usage("--rate at most 1000000 and --duration at most 3600 s");
            }
            return new Options(url, path, rate, duration, Math.max(0, warmup), connections, method, bodyBytes, hist);
        }

        private static int positive(String name, String v) {
            int n = Integer.parseInt(v);
            if (n <= 0) {
                throw usage(name + " must be positive");
            }
            return n;
        }

        private static IllegalArgumentException usage(String why) {
            return new IllegalArgumentException(why + "\nusage: OpenLoopLoadGen --url http://127.0.0.1:PORT/PATH "
                    + "[--rate RPS] [--duration S] [--warmup S] [--connections N] [--method GET|POST] "
                    + "[--body-bytes N] [--histogram FILE]");
        }
    }
}
