package dev.meshgate.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code meshgate run} inside the test JVM, on loopback with every auxiliary port chosen by the OS; {@link #close()}
 * stops it the way SIGTERM does and checks that it exits 0.
 */
final class InProcessRun implements AutoCloseable {

    /** Flags every in-process run needs: loopback only, one event loop, OS-chosen admin/stats/health ports. */
    private static final String[] LOOPBACK = {"--bind", "127.0.0.1", "--event-loops", "1", "--admin-port", "0",
            "--stats-port", "0", "--health-port", "0", "--probe-bind", "127.0.0.1"};

    private final RunCommand command;
    private final CompletableFuture<Integer> exit;

    private InProcessRun(RunCommand command, CompletableFuture<Integer> exit) {
        this.command = command;
        this.exit = exit;
    }

    /** Starts {@code run <flags> <LOOPBACK flags>} and waits until it serves its first snapshot. */
    static InProcessRun start(String... flags) throws Exception {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        RunCommand command = cl.getSubcommands().get("run").getCommand();
        String[] args = Stream.of(new String[] {"run"}, flags, LOOPBACK).flatMap(Arrays::stream)
                .toArray(String[]::new);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute(args));
        command.ready().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new InProcessRun(command, exit);
    }

    int adminPort() {
        return command.adminPort();
    }

    int healthPort() {
        return command.healthPort();
    }

    int statsPort() {
        return command.statsPort();
    }

    @Override
    public void close() throws Exception {
        command.stop();
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
    }
}
