package dev.meshgate.cli;

import dev.meshgate.gateway.demo.DemoBackends;
import dev.meshgate.gateway.demo.DemoConfig;
import dev.meshgate.gateway.runtime.GatewayOptions;
import dev.meshgate.gateway.runtime.GatewayRuntime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code meshgate demo}: two in-process backends (v1, v2) and a gateway on the built-in config (a 90/10 canary and a
 * header-based A/B route), with the curl lines that show both.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a gateway on a built-in config with two demo backends (v1, v2): a 90/10 canary "
                + "and a header-based A/B route. Prints curl commands to try; Ctrl-C stops it."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "Local port of the gateway (the demo Gateway's port 80); 0 picks a free one "
                    + "(default: ${DEFAULT-VALUE}).")
    int port = 8080;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the gateway and backends bind (default: ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1";

    @Spec
    CommandSpec spec;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final Promise<Integer> ready = Promise.promise();

    /** The gateway's bound port once the demo serves. For tests. */
    public Future<Integer> ready() {
        return ready.future();
    }

    public void stop() {
        stop.countDown();
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Vertx vertx = Vertx.vertx();
        Thread hook = new Thread(this::stop, "meshgate-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        GatewayRuntime runtime = null;
        try {
            HttpServer v1 = await(DemoBackends.start(vertx, "v1", bind));
            HttpServer v2 = await(DemoBackends.start(vertx, "v2", bind));
            GatewayOptions options = GatewayOptions.defaults().withBindHost(bind).withPortMap(Map.of(80, port));
            runtime = GatewayRuntime.create(vertx, options);
            await(runtime.start(options));
            await(runtime.apply(DemoConfig.snapshot(v1.actualPort(), v2.actualPort())));
            int gw = runtime.localPort(80);
            String url = "http://" + (bind.equals("0.0.0.0") ? "127.0.0.1" : bind) + ":" + gw + "/";
            out.println("Meshgate demo: gateway on " + url + " (backends v1 on port " + v1.actualPort()
                    + ", v2 on port " + v2.actualPort() + ")");
            out.println("Config: the built-in " + DemoConfig.RESOURCE + " (Gateway, ServiceEntry, WorkloadEntries, "
                    + "DestinationRule, VirtualService)");
            out.println();
            out.println("  # canary: about 9 in 10 answers come from v1, 1 in 10 from v2");
            out.println("  for i in $(seq 20); do curl -s " + url + "; done | sort | uniq -c");
            out.println();
            out.println("  # A/B by header: end-user: jason always gets v2");
            out.println("  curl -s -H 'end-user: jason' " + url);
            out.println();
            out.println("  # which route answered");
            out.println("  curl -si " + url + " | grep -i x-meshgate-route");
            out.println();
            out.println("Press Ctrl-C to stop.");
            out.flush();
            ready.tryComplete(gw);
            stop.await();
            return 0;
        } catch (Exception e) {
            ready.tryFail(e);
            throw e;
        } finally {
            if (runtime != null) {
                try {
                    await(runtime.stop());
                } catch (Exception ignored) {
                    // shutting down anyway
                }
            }
            await(vertx.close());
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: that is why we got here
            }
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
