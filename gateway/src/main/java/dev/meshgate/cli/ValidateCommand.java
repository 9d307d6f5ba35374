package dev.meshgate.cli;

import dev.meshgate.config.diag.Severity;
import dev.meshgate.config.snapshot.BuildResult;
import dev.meshgate.config.snapshot.SnapshotBuilder;
import dev.meshgate.config.source.file.ConfigFiles;
import dev.meshgate.config.source.file.FileParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Load and validate Istio configuration files and directories (recursive: *.yaml, *.yml, "
                + "*.json) exactly as 'run' would, and print every error and warning.",
                "Exit status: 0 when valid (warnings allowed), 1 when there are errors."})
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Config files and directories.")
    List<Path> paths;

    @Option(names = "--json", description = "Print a JSON array of {severity, file, line, resource, field, "
            + "message} instead of text.")
    boolean json;

    @Mixin
    LoadOptions load = new LoadOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FileParser.Parsed parsed = ConfigFiles.load(paths, ConfigPipeline.parser(load));
        BuildResult result = new SnapshotBuilder(ConfigPipeline.validator())
                .build(parsed.resources(), parsed.diagnostics());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(DiagnosticOutput.json(result.diagnostics()).encodePrettily());
        } else {
            DiagnosticOutput.printText(out, result.diagnostics());
            out.println(summary(result));
        }
        out.flush();
        return result.hasErrors() ? 1 : 0;
    }

    private static String summary(BuildResult r) {
        StringBuilder sb = new StringBuilder(r.hasErrors() ? "invalid: " : "valid: ");
        if (r.hasErrors()) {
            sb.append(DiagnosticOutput.count(r.count(Severity.ERROR), "error")).append(", ");
        }
        sb.append(DiagnosticOutput.count(r.count(Severity.WARNING), "warning")).append("; ")
                .append(DiagnosticOutput.count(r.resources().size(), "resource"))
                .append(r.hasErrors() ? " accepted" : "");
        String sep = " (";
        for (Map.Entry<String, Integer> e : r.countsByKind().entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ", ";
        }
        if (!r.countsByKind().isEmpty()) {
            sb.append(')');
        }
        return sb.toString();
    }
}
