package dev.meshgate.config.validation;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.ValidationResult;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.yaml.LoadResult;
import dev.meshgate.config.yaml.ResourceLoader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every resource of the shared Istio corpus passes the field rules; the whole corpus analyses without error. */
class CorpusValidationTest {

    /**
     * Corpus files that are wrong on purpose, with the reason. None so far: every Istio sample in the corpus is a
     * valid configuration (missing Gateways/DestinationRules across files only give analyzer warnings).
     */
    static final Map<String, String> WRONG_ON_PURPOSE = Map.of();

    private final ResourceLoader loader = new ResourceLoader();
    private final ConfigValidator validator = new ConfigValidator();

    static Path corpusDir() {
        String prop = System.getProperty("meshgate.corpus.dir");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop);
        }
        Path fallback = Path.of("/work/shared/istio-corpus");
        assertTrue(Files.isDirectory(fallback), "corpus not found: set -Dmeshgate.corpus.dir");
        return fallback;
    }

    static List<Path> corpusFiles() {
        try (Stream<Path> s = Files.walk(corpusDir())) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")
                    || p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusResourceValidatesWithoutError() {
        List<Path> files = corpusFiles();
        assertTrue(files.size() >= 30, "corpus looks incomplete: " + files.size() + " files");
        return files.stream().map(f -> DynamicTest.dynamicTest(corpusDir().relativize(f).toString(), () -> {
            LoadResult loaded = loader.load(f);
            assertFalse(loaded.hasErrors(), () -> loaded.errors().toString());
            String rel = corpusDir().relativize(f).toString();
            ValidationResult result = validator.validate(loaded.resources());
            List<String> errors = result.diagnostics().stream().filter(Diagnostic::isError)
                    .map(Diagnostic::format).toList();
            if (WRONG_ON_PURPOSE.containsKey(rel)) {
                assertFalse(errors.isEmpty(), rel + " is listed as wrong on purpose but validates");
            } else {
                assertEquals(List.of(), errors);
                assertEquals(loaded.resources().size(), result.accepted().size());
            }
        }));
    }

    @Test
    void wholeCorpusTogetherHasNoErrors() {
        List<Resource<?>> all = new ArrayList<>();
        for (Path f : corpusFiles()) {
            if (!WRONG_ON_PURPOSE.containsKey(corpusDir().relativize(f).toString())) {
                all.addAll(loader.load(f).resources());
            }
        }
        ValidationResult result = validator.validate(all);
        // the samples define several variants of the same resource (e.g. VirtualService default/reviews), which
        // as one snapshot are duplicates; everything else must be clean
        List<String> errors = result.diagnostics().stream().filter(Diagnostic::isError)
                .filter(d -> !d.message().startsWith("defined more than once"))
                .map(Diagnostic::format).toList();
        assertEquals(List.of(), errors);
    }
}
