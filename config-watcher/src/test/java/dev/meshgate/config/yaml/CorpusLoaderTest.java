package dev.meshgate.config.yaml;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.Severity;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.Resource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every file of the shared Istio corpus loads without error; what is not ours is skipped with a notice. */
class CorpusLoaderTest {

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

    private final ResourceLoader loader = new ResourceLoader(LoaderOptions.defaults());

    @TestFactory
    Stream<DynamicTest> everyCorpusFileLoadsWithoutError() {
        List<Path> files = corpusFiles();
        assertTrue(files.size() >= 30, "corpus looks incomplete: " + files.size() + " files");
        return files.stream().map(f -> DynamicTest.dynamicTest(corpusDir().relativize(f).toString(), () -> {
            LoadResult r = loader.load(f);
            assertFalse(r.hasErrors(), () -> r.errors().stream().map(Diagnostic::format).toList().toString());
            boolean gatewayApi = Files.readString(f).contains("gateway.networking.k8s.io");
            if (gatewayApi) {
                assertTrue(r.diagnostics().stream().anyMatch(d -> d.severity() == Severity.INFO
                        && d.message().contains("gateway.networking.k8s.io")), r.diagnostics()::toString);
            }
            for (Resource<?> res : r.resources()) {
                assertEquals(f.toString(), res.source().file());
                assertTrue(res.source().line() > 0);
                assertTrue(res.source().fieldLines().containsKey("metadata.name"));
            }
        }));
    }

    @Test
    void corpusHoldsOurKinds() {
        long ours = corpusFiles().stream().mapToLong(f -> loader.load(f).resources().size()).sum();
        assertTrue(ours >= 30, "expected many Istio resources in the corpus, got " + ours);
        LoadResult gw = loader.load(corpusDir().resolve("samples/bookinfo/networking/bookinfo-gateway.yaml"));
        assertEquals(List.of(Kind.GATEWAY, Kind.VIRTUAL_SERVICE), gw.resources().stream().map(Resource::kind).toList());
        assertEquals("default", gw.resources().get(0).namespace());
    }
}
