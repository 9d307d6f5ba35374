package dev.meshgate.perf.jmh;

import dev.meshgate.gateway.route.CompiledRoute;
import dev.meshgate.gateway.route.HostNames;
import dev.meshgate.gateway.route.ListenerRoutes;
import dev.meshgate.gateway.route.PathNormalizer;
import dev.meshgate.gateway.route.RequestFacts;
import dev.meshgate.gateway.route.VirtualHost;
import io.vertx.core.MultiMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a request pays to find its route, as RequestHandler does it: host selection (VirtualHostTable), path
 * normalization and the first-match scan of the virtual host's routes, on tables of 1 to 10 000 routes built
 * from Istio YAML by the real compiler.
 *
 * <ul>
 *   <li>{@code first}: the request matches the first route (the best case for an ordered list);</li>
 *   <li>{@code spread}: requests spread uniformly over all routes (a pre-drawn ring of 1024 paths or hosts);</li>
 *   <li>{@code worst}: the request matches the last route.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RouteLookupBenchmark {

    @Param({"1", "100", "1000", "10000"})
    public int routes;

    /** {@code prefix}: n prefix routes on one host; {@code hosts}: n hosts with one route each. */
    @Param({"prefix", "hosts"})
    public String shape;

    private ListenerRoutes table;
    private String[] spreadHosts;
    private String[] spreadPaths;
    private int next;
    private final MultiMap headers = MultiMap.caseInsensitiveMultiMap()
            .add("user-agent", "wrk").add("accept", "*/*");

    @Setup(Level.Trial)
    public void setUp() {
        table = RouteTables.compile(shape, routes);
        SplittableRandom rnd = new SplittableRandom(42);
        spreadHosts = new String[1024];
        spreadPaths = new String[1024];
        for (int i = 0; i < spreadHosts.length; i++) {
            int r = rnd.nextInt(routes);
            spreadHosts[i] = host(r);
            spreadPaths[i] = path(r);
        }
        // fail fast when the table does not route what the benchmark sends
        if (lookup(host(routes - 1), path(routes - 1)) == null || lookup(host(0), path(0)) == null) {
            throw new IllegalStateException("route table does not match the benchmark's requests");
        }
    }

    private String host(int i) {
        return shape.equals("hosts") ? "h" + i + ".bench.local:8080" : "bench.local:8080";
    }

    private String path(int i) {
        return shape.equals("prefix") ? "/r" + i + "/ok" : "/ok";
    }

    private CompiledRoute lookup(String authority, String rawPath) {
        VirtualHost vh = table.hosts().select(HostNames.hostForMatching(authority));
        if (vh == null) {
            return null;
        }
        String normalized = PathNormalizer.normalize(rawPath);
        return vh.match(new RequestFacts(normalized, null, "GET", "http", authority, headers));
    }

    @Benchmark
    public CompiledRoute first() {
        return lookup(host(0), path(0));
    }

    @Benchmark
    public CompiledRoute spread() {
        int i = next++ & 1023;
        return lookup(spreadHosts[i], spreadPaths[i]);
    }

    @Benchmark
    public CompiledRoute worst() {
        return lookup(host(routes - 1), path(routes - 1));
    }
}
