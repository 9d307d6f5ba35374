package dev.meshgate.config.source.file;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFilesTest {

    @TempDir
    Path dir;

    private Path write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private List<String> names(ConfigFiles.Scan scan) {
        return scan.files().stream().map(p -> dir.relativize(p).toString()).toList();
    }

    @Test
    void walksRecursivelyInPathOrderAndSkipsHiddenAndOtherExtensions() throws IOException {
        write("b.yaml", "b");
        write("a/z.yml", "z");
        write("a/deeper/still/x.JSON", "x");
        write("a/notes.txt", "not config");
        write(".hidden.yaml", "hidden");
        write("a/.swp.yaml", "editor swap");
        write(".git/config.yaml", "vcs");
        write("..2026_01_01_00_00_00.1/k.yaml", "configmap internals");

        ConfigFiles.Scan scan = ConfigFiles.scan(List.of(dir));

        assertEquals(List.of("a/deeper/still/x.JSON", "a/z.yml", "b.yaml"), names(scan));
        assertEquals(List.of(), scan.diagnostics());
        assertTrue(scan.directories().contains(dir));
        assertTrue(scan.directories().contains(dir.resolve("a/deeper/still")));
        assertTrue(scan.directories().stream().noneMatch(d -> d.getFileName().toString().startsWith(".")));
    }

    @Test
    void anExplicitFileIsReadWhateverItsExtensionAndOnlyOnce() throws IOException {
        Path txt = write("conf/gateway.txt", "x");
        Path yaml = write("conf/a.yaml", "y");

        ConfigFiles.Scan scan = ConfigFiles.scan(List.of(txt, dir.resolve("conf"), yaml));

        assertEquals(List.of("conf/gateway.txt", "conf/a.yaml"), names(scan));
        assertTrue(scan.directories().contains(dir.resolve("conf")));
    }

    @Test
    void missingPathIsAnErrorAndAnEmptyDirectoryAWarning() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path missing = dir.resolve("nope.yaml");

        ConfigFiles.Scan scan = ConfigFiles.scan(List.of(missing, empty));

        assertEquals(List.of(
                Diagnostic.error(missing.toString(), 0, null, null, "no such file or directory"),
                Diagnostic.warning(empty.toString(), 0, null, null,
                        "no *.yaml, *.yml or *.json files in this directory")), scan.diagnostics());
    }

    @Test
    void danglingSymlinksAreSkippedAndLinksAreReadThrough() throws IOException {
        Path target = write("real/t.yaml", "through the link");
        Files.createSymbolicLink(dir.resolve("link.yaml"), target);
        Files.createSymbolicLink(dir.resolve("gone.yaml"), dir.resolve("real/deleted.yaml"));

        ConfigFiles.Contents c = ConfigFiles.read(ConfigFiles.scan(List.of(dir)));

        assertEquals(List.of(new ConfigFiles.FileText(dir.resolve("link.yaml").toString(), "through the link"),
                new ConfigFiles.FileText(target.toString(), "through the link")), c.files());
        assertEquals(List.of(), c.diagnostics());
    }

    @Test
    void notUtf8IsAnErrorNamingTheFile() throws IOException {
        Path bin = dir.resolve("bin.yaml");
        Files.write(bin, new byte[]{'a', ':', ' ', (byte) 0xC3, (byte) 0x28});

        ConfigFiles.Contents c = ConfigFiles.read(ConfigFiles.scan(List.of(dir)));

        assertEquals(List.of(Diagnostic.error(bin.toString(), 0, null, null, "not UTF-8 text")), c.diagnostics());
        assertEquals(List.of(), c.files());
    }

    @Test
    void fingerprintFollowsContentAndNames() throws IOException {
        Path a = write("a.yaml", "one");
        String f1 = ConfigFiles.read(ConfigFiles.scan(List.of(dir))).fingerprint();
        Files.writeString(a, "one");
        String same = ConfigFiles.read(ConfigFiles.scan(List.of(dir))).fingerprint();
        Files.writeString(a, "two");
        String changed = ConfigFiles.read(ConfigFiles.scan(List.of(dir))).fingerprint();
        Files.move(a, dir.resolve("b.yaml"));
        String renamed = ConfigFiles.read(ConfigFiles.scan(List.of(dir))).fingerprint();

        assertEquals(f1, same);
        assertNotEquals(f1, changed);
        assertNotEquals(changed, renamed);
    }

    @Test
    void parseKeepsReadErrorsFirstThenEachFileInOrder() throws IOException {
        write("a.yaml", "A");
        write("b.yaml", "B");
        Path missing = dir.resolve("missing.yaml");
        FileParser echo = (name, text) -> new FileParser.Parsed(List.of(),
                List.of(Diagnostic.info(name, 1, null, null, "saw " + text.strip())));

        FileParser.Parsed p = ConfigFiles.load(List.of(dir, missing), echo);

        assertEquals(List.of(Severity.ERROR, Severity.INFO, Severity.INFO),
                p.diagnostics().stream().map(Diagnostic::severity).toList());
        assertEquals(List.of("no such file or directory", "saw A", "saw B"),
                p.diagnostics().stream().map(Diagnostic::message).toList());
    }
}
