package dev.meshgate.config.yaml;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.Severity;
import dev.meshgate.config.yaml.TestModel.Mode;
import dev.meshgate.config.yaml.TestModel.Spec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinderTest {

    private static YamlBinder.Bound<Spec> bind(String yaml) {
        return YamlBinder.bind("t.yaml", yaml, Spec.class, "spec", LoaderOptions.defaults());
    }

    private static Spec ok(String yaml) {
        YamlBinder.Bound<Spec> b = bind(yaml);
        assertFalse(b.hasErrors(), () -> b.diagnostics().toString());
        assertNotNull(b.value());
        return b.value();
    }

    /** The single error, formatted as tools print it. */
    private static String error(String yaml) {
        YamlBinder.Bound<Spec> b = bind(yaml);
        assertNull(b.value(), "a value with errors must not be returned");
        List<Diagnostic> errors = b.diagnostics().stream().filter(Diagnostic::isError).toList();
        assertEquals(1, errors.size(), () -> errors.toString());
        return errors.get(0).format();
    }

    @Test
    void bindsEveryTypeTheConventionsAllow() {
        Spec s = ok("""
                hosts: [a.example.com, "*.b.example.com"]
                http:
                - name: r1
                  retries: {attempts: 3, perTryTimeout: 1.5s, retryOn: "5xx,reset"}
                  timeout: 10s
                  headers:
                    x-b: {exact: "1"}
                    x-a: {prefix: v}
                  children: [{name: inner}]
                labels: {z: "1", a: "2", m: "3"}
                portLevel:
                  8080: {number: 8080, mode: MUTUAL}
                  "9090": {number: 9090}
                extra: {nested: {list: [1, 2.5, true, text, null]}, n: 7}
                mode: GRPC-WEB
                enabled: false
                flag: true
                port: 443
                big: 9000000000
                ratio: 0.25
                count: 0
                total: -5
                weight: 1e2
                timeout: 1h30m
                at: 2024-01-31T12:00:00Z
                default: yes
                modes: [simple, Mutual]
                """);
        assertEquals(List.of("a.example.com", "*.b.example.com"), s.hosts());
        TestModel.Route r = s.http().get(0);
        assertEquals("r1", r.name());
        assertEquals(new TestModel.Retries(3, Duration.ofMillis(1500), "5xx,reset"), r.retries());
        assertEquals(Duration.ofSeconds(10), r.timeout());
        assertEquals(List.of("x-b", "x-a"), List.copyOf(r.headers().keySet()), "header maps keep their order");
        assertEquals("v", r.headers().get("x-a").prefix());
        assertEquals("inner", r.children().get(0).name());
        assertEquals(List.of("z", "a", "m"), List.copyOf(s.labels().keySet()), "label maps keep their order");
        assertEquals(new TestModel.PortSettings(8080, Mode.MUTUAL), s.portLevel().get(8080));
        assertEquals(new TestModel.PortSettings(9090, null), s.portLevel().get(9090));
        assertEquals(Map.of("list", List.of(1L, 2.5, true, "text")), s.extra().get("nested"),
                "free-form values are plain Java values; nulls are dropped");
        assertEquals(7L, s.extra().get("n"));
        assertEquals(Mode.GRPC_WEB, s.mode());
        assertEquals(Boolean.FALSE, s.enabled());
        assertTrue(s.flag());
        assertEquals(443, s.port());
        assertEquals(9_000_000_000L, s.big());
        assertEquals(0.25, s.ratio());
        assertEquals(0, s.count(), "a wrapper keeps an explicit zero");
        assertEquals(-5L, s.total());
        assertEquals(100.0, s.weight());
        assertEquals(Duration.ofMinutes(90), s.timeout());
        assertEquals(Instant.parse("2024-01-31T12:00:00Z"), s.at());
        assertEquals("yes", s.defaultValue(), "@JsonName component; YAML 1.1 'yes' stays text for a String");
        assertEquals(List.of(Mode.SIMPLE, Mode.MUTUAL), s.modes(), "enums match case-insensitively");
    }

    @Test
    void absentFieldsAreNullOrZeroAndCollectionsAreNeverNull() {
        Spec s = ok("{}");
        assertEquals(List.of(), s.hosts());
        assertEquals(Map.of(), s.labels());
        assertNull(s.enabled());
        assertNull(s.count());
        assertFalse(s.flag());
        assertEquals(0, s.port());
        Spec explicitNulls = ok("hosts: ~\nenabled: null\nport:\ncount: ~\n");
        assertEquals(List.of(), explicitNulls.hosts());
        assertNull(explicitNulls.enabled());
        assertEquals(0, explicitNulls.port());
        assertEquals(s, ok(""), "an empty document binds like an empty mapping");
    }

    @Test
    void stringsStayAsWrittenWhateverYaml11ThinksTheyAre() {
        Spec s = ok("hosts: [on, off, yes, No, 0x1F, 1.0, 012, 2024-01-01, ~x, 1_000, .inf]\n");
        assertEquals(List.of("on", "off", "yes", "No", "0x1F", "1.0", "012", "2024-01-01", "~x", "1_000", ".inf"),
                s.hosts());
        assertEquals(Map.of("on", "off", "true", ""), ok("labels: {on: off, true: }\n").labels(),
                "keys are text too; `key:` in a string map is the empty value");
    }

    @Test
    void numbersMayBeQuotedButBooleansMayNot() {
        assertEquals(80, ok("port: \"80\"\n").port(), "protobuf JSON accepts quoted integers");
        assertEquals(0.5, ok("ratio: '0.5'\n").ratio());
        assertEquals("t.yaml:1: spec.enabled: expected a boolean (true or false), got a string \"true\"",
                error("enabled: \"true\"\n"));
        assertTrue(ok("enabled: on\n").enabled(), "Kubernetes' YAML 1.1 reader takes on/yes as true");
    }

    @Test
    void wrongTypesGiveErrorsNamingPathAndLine() {
        assertEquals("t.yaml:2: spec.hosts: expected a list, got a string \"a.example.com\"",
                error("port: 1\nhosts: a.example.com\n"));
        assertEquals("t.yaml:1: spec.hosts[1]: expected a string, got a list", error("hosts: [a, [b]]\n"));
        assertEquals("t.yaml:1: spec.port: expected an integer, got a string \"http\"", error("port: http\n"));
        assertEquals("t.yaml:1: spec.port: expected an integer, got a number 1.5", error("port: 1.5\n"));
        assertEquals("t.yaml:1: spec.port: value 3000000000 is out of range for a 32-bit integer",
                error("port: 3000000000\n"));
        assertEquals("t.yaml:1: spec.ratio: expected a number, got a string \"NaN\"", error("ratio: NaN\n"));
        assertEquals("t.yaml:1: spec.labels: expected a mapping, got a list", error("labels: [a]\n"));
        assertEquals("t.yaml:1: spec.labels[a]: expected a string, got a mapping", error("labels: {a: {b: c}}\n"));
        assertEquals("t.yaml:1: spec.http[0]: expected a mapping, got a string \"r1\"", error("http: [r1]\n"));
        assertEquals("t.yaml:1: spec.flag: expected a boolean (true or false), got a number 1", error("flag: 1\n"));
        assertEquals("t.yaml:1: spec.portLevel[http]: expected an integer key, got \"http\"",
                error("portLevel: {http: {number: 1}}\n"));
        assertEquals("t.yaml:1: spec.hosts[1]: null is not allowed in a list", error("hosts: [a, ~]\n"));
        assertEquals("t.yaml:1: spec.at: invalid timestamp \"yesterday\": expected RFC 3339 such as "
                + "2024-01-31T12:00:00Z", error("at: yesterday\n"));
    }

    @Test
    void nestedErrorPathsAreExact() {
        String yaml = """
                http:
                - name: ok
                - name: bad
                  retries:
                    attempts: three
                """;
        assertEquals("t.yaml:5: spec.http[1].retries.attempts: expected an integer, got a string \"three\"",
                error(yaml));
        assertEquals("t.yaml:3: spec.http[0].headers[x-id].exact: expected a string, got a list",
                error("http:\n- headers:\n    x-id: {exact: [1]}\n"));
    }

    @Test
    void everyErrorOfADocumentIsReported() {
        YamlBinder.Bound<Spec> b = bind("port: x\nflag: 2\nmode: NOPE\nhosts: 1\n");
        assertNull(b.value());
        assertEquals(List.of("spec.port", "spec.flag", "spec.mode", "spec.hosts"),
                b.diagnostics().stream().map(Diagnostic::field).toList());
    }

    @Test
    void durationsInProtobufAndGoForms() {
        assertEquals(Duration.ofMillis(100), ok("timeout: 100ms").timeout());
        assertEquals(Duration.ofNanos(10_000), ok("timeout: 10us").timeout());
        assertEquals(Duration.ofNanos(5), ok("timeout: 5ns").timeout());
        assertEquals(Duration.ofMinutes(1), ok("timeout: 1m").timeout());
        assertEquals(Duration.ofHours(1), ok("timeout: \"1h\"").timeout());
        assertEquals(Duration.ZERO, ok("timeout: 0s").timeout());
        assertEquals(Duration.ZERO, ok("timeout: 0").timeout());
        assertEquals("t.yaml:1: spec.timeout: duration \"-1s\" must not be negative", error("timeout: -1s"));
        assertTrue(error("timeout: 1d").startsWith("t.yaml:1: spec.timeout: invalid duration \"1d\": use a number"));
        assertTrue(error("timeout: 5").contains("spec.timeout: expected a duration such as \"1s\""));
        assertTrue(error("timeout: 1.2.3s").contains("invalid duration"));
        assertTrue(error("timeout: s").contains("invalid duration"));
        assertTrue(error("timeout: {s: 1}").contains("spec.timeout: expected a duration such as \"1s\", got a mapping"));
    }

    @Test
    void enumsExactThenCaseInsensitiveElseListTheAllowedValues() {
        assertEquals(Mode.MUTUAL, ok("mode: MUTUAL").mode());
        assertEquals(Mode.GRPC_WEB, ok("mode: grpc-web").mode());
        assertEquals("t.yaml:1: spec.mode: unknown value \"GRPC_WEB\"; allowed values: SIMPLE, MUTUAL, GRPC-WEB",
                error("mode: GRPC_WEB"), "the Java name of a renamed constant is not an Istio name");
        assertEquals("t.yaml:1: spec.modes[1]: unknown value \"ISTIO\"; allowed values: SIMPLE, MUTUAL, GRPC-WEB",
                error("modes: [SIMPLE, ISTIO]"));
    }

    @Test
    void unknownFieldIsAnErrorWithTheNearestKnownName() {
        String yaml = """
                http:
                - name: r
                  retires:
                    attempts: 3
                """;
        YamlBinder.Bound<Spec> b = bind(yaml);
        assertNull(b.value());
        assertEquals(List.of(Diagnostic.error("t.yaml", 3, null, "spec.http[0].retires",
                "unknown field; did you mean \"retries\"?")), b.diagnostics());
        assertEquals("t.yaml:3: spec.http[0].retires: unknown field; did you mean \"retries\"?",
                b.diagnostics().get(0).format());
        assertEquals("t.yaml:1: spec.per_try_timeout: unknown field; did you mean \"perTryTimeout\"?",
                YamlBinder.bind("t.yaml", "per_try_timeout: 1s", TestModel.Retries.class, "spec",
                        LoaderOptions.defaults()).diagnostics().get(0).format(), "snake_case proto names are hinted");
        assertEquals("t.yaml:1: spec.colour: unknown field", error("colour: red"), "no far-fetched suggestion");
    }

    @Test
    void unknownFieldsAsWarningsWhenAskedTo() {
        YamlBinder.Bound<Spec> b = YamlBinder.bind("t.yaml", "port: 1\nprot: 2\n", Spec.class, "spec",
                LoaderOptions.defaults().withUnknownFieldsAsWarnings(true));
        assertFalse(b.hasErrors());
        assertEquals(1, b.value().port());
        assertEquals(List.of(new Diagnostic(Severity.WARNING, "t.yaml", 2, null, "spec.prot",
                "unknown field, ignored; did you mean \"port\"?")), b.diagnostics());
    }

    @Test
    void fieldLinesRecordEveryBoundPath() {
        YamlBinder.Bound<Spec> b = bind("""
                port: 1
                http:
                - name: a
                  retries:
                    attempts: 2
                  headers:
                    x-id:
                      exact: v
                labels:
                  app: web
                """);
        assertFalse(b.hasErrors());
        Map<String, Integer> lines = b.fieldLines();
        assertEquals(1, lines.get("spec.port"));
        assertEquals(2, lines.get("spec.http"));
        assertEquals(3, lines.get("spec.http[0]"));
        assertEquals(3, lines.get("spec.http[0].name"));
        assertEquals(4, lines.get("spec.http[0].retries"));
        assertEquals(5, lines.get("spec.http[0].retries.attempts"));
        assertEquals(7, lines.get("spec.http[0].headers[x-id]"));
        assertEquals(8, lines.get("spec.http[0].headers[x-id].exact"));
        assertEquals(10, lines.get("spec.labels[app]"));
    }

    @Test
    void duplicateKeysAreErrorsNamingTheKey() {
        assertEquals("t.yaml:3: spec.port: duplicate key \"port\" (first at line 1)", error("port: 1\nflag: true\nport: 2\n"));
        assertEquals("t.yaml:1: spec.labels[a]: duplicate key \"a\" (first at line 1)", error("labels: {a: x, a: y}\n"));
    }

    @Test
    void anchorsAliasesAndMergeKeys() {
        Spec s = ok("""
                http:
                - &base
                  name: a
                  retries: &r {attempts: 2, retryOn: gateway-error}
                - <<: *base
                  name: b
                - name: c
                  retries: *r
                """);
        assertEquals("b", s.http().get(1).name(), "an explicit key overrides the merged one");
        assertEquals(s.http().get(0).retries(), s.http().get(1).retries());
        assertEquals(2, s.http().get(2).retries().attempts());
    }

    @Test
    void constructorRejectionsBecomeErrors() {
        YamlBinder.Bound<TestModel.Holder> b = YamlBinder.bind("h.yaml", "checked:\n  weight: 101\n",
                TestModel.Holder.class, "spec", LoaderOptions.defaults());
        assertNull(b.value());
        assertEquals("h.yaml:2: spec.checked: invalid Checked: weight must be <= 100", b.diagnostics().get(0).format());
    }

    @Test
    void foreignTagsAreRefusedNotConstructed() {
        YamlBinder.Bound<TestModel.Holder> b = YamlBinder.bind("h.yaml", "anything: !custom {a: 1}\n",
                TestModel.Holder.class, "", LoaderOptions.defaults());
        assertNull(b.value());
        assertTrue(b.diagnostics().get(0).format().startsWith("h.yaml:1: anything: unsupported YAML tag !custom"),
                b.diagnostics().toString());
    }

    @Test
    void plansAreComputedOncePerClass() {
        assertSame(RecordPlan.of(Spec.class), RecordPlan.of(Spec.class));
        assertSame(EnumPlan.of(Mode.class), EnumPlan.of(Mode.class));
        assertEquals("defaultValue", Spec.class.getRecordComponents()[16].getName());
        assertEquals(16, RecordPlan.of(Spec.class).indexOf("default"), "@JsonName is the YAML name");
        assertEquals(-1, RecordPlan.of(Spec.class).indexOf("defaultValue"));
    }

    @Test
    void suggestionDistance() {
        assertEquals(1, Suggest.distance("retires", "retries"));
        assertEquals("retries", Suggest.nearest("retires", List.of("route", "retries", "rewrite")));
        assertEquals("maxConnections", Suggest.nearest("max_connections", List.of("maxConnections")));
        assertNull(Suggest.nearest("foo", List.of("retries", "timeout")));
    }
}
