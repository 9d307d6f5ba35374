package dev.meshgate.config.yaml;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.yaml.TestModel.Spec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncoderTest {

    private final ResourceLoader loader = new ResourceLoader(LoaderOptions.defaults());

    private static final String SPEC = """
            hosts: [a.example.com]
            http:
            - name: r1
              retries: {attempts: 3, perTryTimeout: 1.5s, retryOn: "5xx"}
              timeout: 100ms
              headers: {x-b: {exact: "1"}, x-a: {prefix: v}}
            labels: {z: "1", a: "2"}
            portLevel: {8080: {number: 8080, mode: MUTUAL}}
            extra: {nested: {list: [1, 2.5, true, text]}}
            mode: GRPC-WEB
            enabled: false
            flag: false
            port: 0
            count: 0
            timeout: 1h30m
            at: 2024-01-31T12:00:00Z
            default: "on"
            modes: []
            """;

    private static Spec bind(String yaml) {
        YamlBinder.Bound<Spec> b = YamlBinder.bind("t.yaml", yaml, Spec.class);
        assertFalse(b.hasErrors(), b.diagnostics()::toString);
        return b.value();
    }

    @Test
    void encodesInModelOrderOmittingNullsEmptiesAndZeroPrimitives() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) ResourceEncoder.encode(bind(SPEC));
        assertEquals(List.of("hosts", "http", "labels", "portLevel", "extra", "mode", "enabled", "count", "timeout",
                "at", "default"), List.copyOf(m.keySet()), "flag/port are zero primitives, modes is empty");
        assertEquals("GRPC-WEB", m.get("mode"), "enums by their Istio name");
        assertEquals("5400s", m.get("timeout"), "durations in protobuf form");
        assertEquals(Boolean.FALSE, m.get("enabled"), "a wrapper's explicit false is kept");
        assertEquals(0, m.get("count"));
        assertEquals("2024-01-31T12:00:00Z", m.get("at"));
        assertEquals(Map.of("8080", Map.of("number", 8080, "mode", "MUTUAL")), m.get("portLevel"));
        @SuppressWarnings("unchecked")
        Map<String, Object> route = ((List<Map<String, Object>>) m.get("http")).get(0);
        assertEquals(Map.of("attempts", 3, "perTryTimeout", "1.5s", "retryOn", "5xx"), route.get("retries"));
        assertEquals("0.1s", route.get("timeout"));
        assertEquals(List.of("x-b", "x-a"), List.copyOf(((Map<?, ?>) route.get("headers")).keySet()));
        assertNull(ResourceEncoder.encode(List.of()));
    }

    @Test
    void yamlAndJsonRoundTripToEqualRecords() {
        Spec original = bind(SPEC);
        String yaml = ResourceEncoder.toYaml((Object) original);
        assertEquals(original, bind(yaml), yaml);
        String json = ResourceEncoder.toJson(original);
        assertTrue(json.startsWith("{\n  \"hosts\": [\n    \"a.example.com\"\n  ],"), json);
        assertEquals(original, bind(json), json);
        assertEquals(original, bind(ResourceEncoder.canonicalJson(original)));
    }

    @Test
    void canonicalJsonSortsKeysAndIgnoresSourceOrder() {
        String a = "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g, labels: {b: '2', a: '1'}}\n"
                + "spec: {selector: {y: '1', x: '2'}, servers: [{hosts: [h], port: {number: 80, protocol: HTTP, name: p}}]}\n";
        String b = "kind: Gateway\nspec:\n  servers:\n  - port: {name: p, protocol: HTTP, number: 80}\n    hosts: [h]\n"
                + "  selector: {x: '2', y: '1'}\napiVersion: networking.istio.io/v1\n"
                + "metadata: {labels: {a: '1', b: '2'}, name: g, namespace: default}\n";
        Resource<?> ra = loader.load("a.yaml", a).resources().get(0);
        Resource<?> rb = loader.load("b.yaml", b).resources().get(0);
        String ca = ResourceEncoder.canonicalJson(ra);
        assertEquals(ca, ResourceEncoder.canonicalJson(rb));
        assertEquals("{\"apiVersion\":\"networking.istio.io/v1\",\"kind\":\"Gateway\",\"metadata\":{\"labels\":{\"a\":\"1\","
                + "\"b\":\"2\"},\"name\":\"g\",\"namespace\":\"default\"},\"spec\":{\"selector\":{\"x\":\"2\",\"y\":\"1\"},"
                + "\"servers\":[{\"hosts\":[\"h\"],\"port\":{\"name\":\"p\",\"number\":80,\"protocol\":\"HTTP\"}}]}}", ca);
        Resource<?> changed = loader.load("c.yaml", a.replace("number: 80", "number: 81")).resources().get(0);
        assertNotEquals(ca, ResourceEncoder.canonicalJson(changed));
    }

    @Test
    void jsonEscapesStrings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("q", "a\"b\\c\nd\te\u0001");
        assertEquals("{\"q\":\"a\\\"b\\\\c\\nd\\te\\u0001\"}", ResourceEncoder.canonicalJson(m));
    }

    @Test
    void durationsFormatAsProtobufSeconds() {
        assertEquals("7s", Durations.format(Duration.ofSeconds(7)));
        assertEquals("1.5s", Durations.format(Duration.ofMillis(1500)));
        assertEquals("0.000000005s", Durations.format(Duration.ofNanos(5)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("-2s", Durations.format(Duration.ofSeconds(-2)));
        for (String s : List.of("1s", "100ms", "1.5s", "1h", "1m", "1h30m", "10us", "5ns", "0.000001s", "2562047h")) {
            Duration d = Durations.parse(s);
            assertEquals(d, Durations.parse(Durations.format(d)), s);
        }
    }

    @Test
    void multiDocumentYamlOfResources() {
        LoadResult r = loader.load(CorpusLoaderTest.corpusDir()
                .resolve("samples/bookinfo/networking/bookinfo-gateway.yaml"));
        String yaml = ResourceEncoder.toYaml(r.resources());
        assertTrue(yaml.startsWith("---\napiVersion: networking.istio.io/v1alpha3\nkind: Gateway\n"), yaml);
        assertEquals(2, yaml.split("(?m)^---$").length - 1, yaml);
        LoadResult again = loader.load("again.yaml", yaml);
        assertFalse(again.hasErrors(), again.diagnostics()::toString);
        assertEquals(strip(r.resources()), strip(again.resources()));
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusResourceRoundTrips() {
        return CorpusLoaderTest.corpusFiles().stream().map(f -> DynamicTest.dynamicTest(
                CorpusLoaderTest.corpusDir().relativize(f).toString(), () -> roundTrip(f)));
    }

    private void roundTrip(Path f) {
        for (Resource<?> res : loader.load(f).resources()) {
            for (String text : List.of(ResourceEncoder.toYaml(res), ResourceEncoder.toJson(res),
                    ResourceEncoder.canonicalJson(res))) {
                LoadResult again = loader.load("again", text);
                assertFalse(again.hasErrors(), () -> again.diagnostics() + "\n" + text);
                assertEquals(strip(List.of(res)), strip(again.resources()), text);
            }
        }
    }

    /** Resources without their source reference, which is not content. */
    private static List<Resource<?>> strip(List<Resource<?>> rs) {
        return rs.stream().<Resource<?>>map(r -> r.withSource(null)).toList();
    }
}
