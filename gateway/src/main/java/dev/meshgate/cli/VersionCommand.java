package dev.meshgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print the Meshgate version and the Java, Vert.x, Netty and TLS library versions.")
final class VersionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        VersionInfo.lines().forEach(out::println);
        out.flush();
    }
}
