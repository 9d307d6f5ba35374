package dev.meshgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The main class of meshgate.jar. */
@Command(name = "meshgate", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "A standalone Istio ingress/egress gateway: Istio YAML in, Istio behaviour out, "
                + "no istiod, no Envoy.",
        subcommands = {RunCommand.class, DemoCommand.class, ValidateCommand.class, CertsCommand.class, VersionCommand.class,
                HelpCommand.class})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        CliLogging.configure();
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it in-process with their own out/err writers. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** {@code meshgate} alone: usage on stderr, exit status 2 like any other usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }
}
