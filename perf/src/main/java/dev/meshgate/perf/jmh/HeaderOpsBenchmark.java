package dev.meshgate.perf.jmh;

import dev.meshgate.gateway.exchange.HeaderOps;
import dev.meshgate.gateway.route.RequestFacts;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Header work per request: copying a typical browser request's headers into Vert.x's header map (what the
 * forwarder does for the upstream request), applying a VirtualService's {@code headers.request}
 * set/add/remove, and the header lookup a header-match route does ({@link RequestFacts#header}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HeaderOpsBenchmark {

    private MultiMap request;
    private HeaderOps ops;
    private RequestFacts facts;

    @Setup
    public void setUp() {
        request = HttpHeaders.headers()
                .add("host", "shop.example.com")
                .add("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)")
                .add("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .add("accept-language", "en-GB,en;q=0.9")
                .add("accept-encoding", "gzip, deflate, br")
                .add("cookie", "session=4f1c2a9e0b7d; theme=dark")
                .add("x-request-id", "8a3f5c1e-9d2b-4e7a-b6c0-1f2e3d4c5b6a")
                .add("x-forwarded-for", "203.0.113.7")
                .add("end-user", "jason")
                .add("cache-control", "no-cache");
        ops = new HeaderOps(Map.of("x-canary", "v2", "x-env", "prod"), Map.of("x-trace", "on", "via", "meshgate"),
                List.of("cookie", "x-debug"));
        facts = new RequestFacts("/productpage", null, "GET", "http", "shop.example.com", request);
    }

    @Benchmark
    public MultiMap copyHeaders() {
        return HttpHeaders.headers().addAll(request);
    }

    @Benchmark
    public MultiMap copyAndApplyOps() {
        MultiMap m = HttpHeaders.headers().addAll(request);
        ops.applyTo(m);
        return m;
    }

    @Benchmark
    public String headerMatchLookup() {
        return facts.header("end-user");
    }

    @Benchmark
    public String headerMissLookup() {
        return facts.header("x-absent");
    }
}
