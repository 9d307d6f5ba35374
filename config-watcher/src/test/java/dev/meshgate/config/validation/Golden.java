package dev.meshgate.config.validation;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.yaml.LoadResult;
import dev.meshgate.config.yaml.ResourceLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Loads YAML through the real ResourceLoader and renders findings as {@code SEVERITY file:line: ...}. */
final class Golden {

    private static final ResourceLoader LOADER = new ResourceLoader();
    private static final ConfigValidator VALIDATOR = new ConfigValidator();

    private Golden() {
    }

    static List<Resource<?>> load(String file, String yaml) {
        LoadResult r = LOADER.load(file, yaml);
        assertEquals(List.of(), r.errors().stream().map(Diagnostic::format).toList(), "the snippet must load");
        return r.resources();
    }

    /** Field rules only (no cross-resource analysis). */
    static List<String> fieldFindings(String file, String yaml) {
        List<String> out = new ArrayList<>();
        for (Resource<?> r : load(file, yaml)) {
            VALIDATOR.validateResource(r).forEach(d -> out.add(d.toString()));
        }
        return out;
    }

    /** Cross-resource findings only. */
    static List<String> analysis(String file, String yaml) {
        return new Analyzer().analyze(load(file, yaml)).stream().map(Diagnostic::toString).toList();
    }

    static String resource(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/validation/" + name)) {
            assertNotNull(in, "missing test resource validation/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
