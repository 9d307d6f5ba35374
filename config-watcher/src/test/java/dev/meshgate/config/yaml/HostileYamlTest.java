package dev.meshgate.config.yaml;

import dev.meshgate.config.diag.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input meant to hurt: each case ends as one clear error, never an exception, a hang or an out-of-memory. */
class HostileYamlTest {

    private final ResourceLoader loader = new ResourceLoader(LoaderOptions.defaults());

    private static final String HEAD = "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n";

    /** Set by the constructor of a class a hostile document names in a tag: must stay false. */
    static volatile boolean constructed;

    public static final class Boom {
        public Boom() {
            constructed = true;
        }
    }

    private static String onlyError(LoadResult r) {
        assertTrue(r.resources().isEmpty(), () -> "nothing may be loaded: " + r.resources());
        assertEquals(1, r.errors().size(), () -> r.diagnostics().toString());
        return r.errors().get(0).format();
    }

    @Test
    void billionLaughs() {
        String lol = """
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
                """;
        String msg = onlyError(loader.load("lol.yaml", HEAD + "spec:\n  selector: {}\n" + lol.indent(2)));
        assertTrue(msg.startsWith("lol.yaml:"), msg);
        assertTrue(msg.contains("invalid YAML: Number of aliases for non-scalar nodes exceeds the specified max="
                + LoaderOptions.DEFAULT_MAX_ALIASES), msg);
    }

    @Test
    void aliasExpansionWithinTheAliasLimitIsMeasuredNotExpanded() {
        // 48 aliases (within the limit of 50), each level doubling the one before: 2^25 nodes once expanded
        StringBuilder sb = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i <= 24; i++) {
            sb.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                    .append(i - 1).append("]\n");
        }
        String msg = onlyError(loader.load("dbl.yaml", HEAD + "spec:\n  selector:\n" + sb.toString().indent(4)));
        assertEquals("dbl.yaml:1: document too large: more than " + LoaderOptions.DEFAULT_MAX_NODES_PER_DOCUMENT
                + " YAML nodes once aliases are expanded", msg);
        YamlBinder.Bound<TestModel.Holder> b = YamlBinder.bind("dbl.yaml",
                "anything:\n" + sb.toString().indent(2), TestModel.Holder.class, "spec", LoaderOptions.defaults());
        assertEquals(1, b.diagnostics().size(), b.diagnostics()::toString);
        assertTrue(b.diagnostics().get(0).message().startsWith("document too large"), b.diagnostics()::toString);
    }

    @Test
    void theBindersOwnNodeBudgetIsABackstop() {
        // the budget also holds while binding (e.g. for callers that skip the preflight)
        LoaderOptions small = LoaderOptions.defaults().withMaxNodesPerDocument(50);
        BindContext ctx = new BindContext("x.yaml", small, new java.util.ArrayList<>());
        org.yaml.snakeyaml.nodes.Node root = YamlParser.create(small).compose(new java.io.StringReader(
                "anything: [" + "1, ".repeat(100) + "1]"));
        assertThrows(BindContext.Abort.class,
                () -> new TypeBinding.RecordBinding(TestModel.Holder.class).bind(root, "", ctx));
        assertEquals(1, ctx.diagnostics.size());
        assertTrue(ctx.diagnostics.get(0).format().matches(
                "x\\.yaml:1: anything\\[4\\d]: document too large: more than 50 YAML nodes once aliases are expanded"),
                ctx.diagnostics::toString);
    }

    @Test
    void recursiveAliasIsCaught() {
        assertEquals("rec.yaml:1: recursive alias at line 1: a node may not contain itself",
                onlyError(loader.load("rec.yaml", "a: &a [x, *a]\n")));
        assertEquals("rec.yaml:1: recursive alias at line 5: a node may not contain itself",
                onlyError(loader.load("rec.yaml", HEAD + "spec: &s\n  servers: [*s]\n")));
    }

    @Test
    void deepNesting() {
        int depth = 100_000;
        String flow = "[".repeat(depth) + "]".repeat(depth);
        String msg = onlyError(loader.load("deep.yaml", HEAD + "spec:\n  selector: " + flow + "\n"));
        assertTrue(msg.contains("invalid YAML: Nesting Depth exceeded max 64"), msg);

        StringBuilder block = new StringBuilder(HEAD).append("spec:\n");
        for (int i = 1; i <= 2_000; i++) {
            block.append(" ".repeat(i)).append("k:\n");
        }
        assertTrue(onlyError(loader.load("deep2.yaml", block.toString())).contains("Nesting Depth exceeded"));

        String flowMaps = "{a: ".repeat(depth) + "1" + "}".repeat(depth);
        assertTrue(onlyError(loader.load("deep3.json", flowMaps)).contains("Nesting Depth exceeded"));
    }

    @Test
    void fiftyMegabyteFileIsRefusedBeforeParsing(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.yaml");
        String doc = "---\n" + HEAD + "spec:\n  servers:\n  - hosts: [\"a.example.com\"]\n";
        try (BufferedWriter w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            long written = 0;
            while (written < 50L * 1024 * 1024) {
                w.write(doc);
                written += doc.length();
            }
        }
        assertTrue(Files.size(big) >= 50L * 1024 * 1024);
        String msg = onlyError(loader.load(big));
        assertEquals(big + ": file is " + Files.size(big) + " bytes, larger than the limit of "
                + LoaderOptions.DEFAULT_MAX_FILE_BYTES + " bytes", msg);

        String text = "#".repeat(1025);
        assertTrue(onlyError(new ResourceLoader(LoaderOptions.defaults().withMaxFileBytes(1024)).load("t.yaml", text))
                .contains("larger than the limit of 1024"));
    }

    @Test
    void binaryGarbage(@TempDir Path dir) throws Exception {
        byte[] garbage = new byte[64 * 1024];
        new Random(42).nextBytes(garbage);
        Path bin = dir.resolve("garbage.yaml");
        Files.write(bin, garbage);
        String msg = onlyError(loader.load(bin));
        assertTrue(msg.startsWith(bin + ": not a text file: invalid UTF-8 at byte "), msg);

        // valid UTF-8 but control characters: SnakeYAML's reader refuses them
        String ctl = onlyError(loader.load("ctl.yaml", HEAD + "spec: {}\n\u0000\u0001\u0002\u0003"));
        assertTrue(ctl.startsWith("ctl.yaml:6: invalid YAML: not a text file"), ctl);

        // printable garbage
        Random rnd = new Random(7);
        for (int n = 0; n < 200; n++) {
            StringBuilder sb = new StringBuilder();
            String alphabet = "{}[]:-?&*!|>'\"%@`#, \n\tab1";
            for (int i = 0; i < 200; i++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            LoadResult r = loader.load("fuzz.yaml", sb.toString());
            assertTrue(r.resources().isEmpty());
            for (Diagnostic d : r.diagnostics()) {
                assertFalse(d.message().startsWith("cannot parse") || d.message().startsWith("internal error"),
                        () -> d + " for " + sb);
            }
        }
    }

    @Test
    void javaTagsAreNeverConstructed() {
        String[] attacks = {
            "spec: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL "
                    + "[\"http://127.0.0.1:1/x.jar\"]]]]\n",
            "spec: !!dev.meshgate.config.yaml.HostileYamlTest$Boom {}\n",
            "spec:\n  selector: !<tag:yaml.org,2002:dev.meshgate.config.yaml.HostileYamlTest$Boom> {}\n",
            "spec:\n  selector: !boom {a: b}\n",
            "spec:\n  selector: !!set {a, b}\n",
        };
        for (String a : attacks) {
            String msg = onlyError(loader.load("tag.yaml", HEAD + a));
            assertTrue(msg.contains("Global tag is not allowed") || msg.contains("unsupported YAML tag"), msg);
        }
        assertFalse(constructed, "a class named in a YAML tag was instantiated");
    }

    @Test
    void duplicateKeys() {
        assertEquals("dup.yaml:5: Gateway default/gw: metadata.name: duplicate key \"name\" (first at line 4)",
                onlyError(loader.load("dup.yaml", HEAD + "  name: other\nspec: {}\n")));
        assertEquals("dup.yaml:6: Gateway default/gw: spec: duplicate key \"spec\" (first at line 5)",
                onlyError(loader.load("dup.yaml", HEAD + "spec: {}\nspec: {}\n")));
        assertEquals("dup.yaml:6: Gateway default/gw: spec.selector[app]: duplicate key \"app\" (first at line 6)",
                onlyError(loader.load("dup.yaml", HEAD + "spec:\n  selector: {app: a, app: b}\n")));
    }

    @Test
    void syntaxErrorsNameTheLine() {
        String msg = onlyError(loader.load("syn.yaml", HEAD + "spec:\n  servers: [a\n  hosts: b: c\n"));
        assertTrue(msg.startsWith("syn.yaml:7: invalid YAML: "), msg);
        String json = onlyError(loader.load("syn.json", "{\"apiVersion\": \"v1\",, }"));
        assertTrue(json.startsWith("syn.json:1: invalid YAML: "), json);
    }
}
