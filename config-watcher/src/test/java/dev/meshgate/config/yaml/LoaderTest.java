package dev.meshgate.config.yaml;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.Severity;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.Gateway;
import dev.meshgate.config.model.networking.HTTPRoute;
import dev.meshgate.config.model.networking.VirtualService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoaderTest {

    private final ResourceLoader loader = new ResourceLoader(LoaderOptions.defaults());

    private static final String GATEWAY = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: gw
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*"]
            """;

    private static final String VS = """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: reviews
              namespace: shop
            spec:
              hosts: [reviews]
              gateways: [gw]
              http:
              - match:
                - uri: {prefix: /v1}
                timeout: 1.5s
                retries: {attempts: 3, perTryTimeout: 2s}
                route:
                - destination: {host: reviews, subset: v1}
                  weight: 80
                - destination: {host: reviews, subset: v2}
                  weight: 20
            """;

    private static String formatted(LoadResult r) {
        return r.diagnostics().stream().map(Diagnostic::format).toList().toString();
    }

    @Test
    void multiDocumentYamlWithCommentsAndEmptyDocuments() {
        String text = "# leading comment\n---\n" + GATEWAY + "---\n---\n# only a comment\n---\n" + VS + "...\n";
        LoadResult r = loader.load("all.yaml", text);
        assertTrue(r.diagnostics().isEmpty(), formatted(r));
        assertEquals(2, r.resources().size());
        Resource<Gateway> gw = r.resources().get(0).as(Gateway.class);
        assertEquals("default", gw.namespace(), "a missing namespace is the default one");
        assertEquals("networking.istio.io/v1", gw.apiVersion());
        assertEquals(80, gw.spec().servers().get(0).port().number());
        Resource<VirtualService> vs = r.resources().get(1).as(VirtualService.class);
        assertEquals("shop", vs.namespace());
        HTTPRoute route = vs.spec().http().get(0);
        assertEquals(Duration.ofMillis(1500), route.timeout());
        assertEquals(3, route.retries().attempts());
        assertEquals(20, route.route().get(1).weight());
        assertEquals("all.yaml", vs.source().file());
        assertEquals(16, vs.source().line(), "line of the resource's first key");
    }

    @Test
    void fieldLinesLetValidatorsReportAnyPath() {
        LoadResult r = loader.load("vs.yaml", VS);
        Resource<?> vs = r.resources().get(0);
        assertEquals(1, vs.source().lineOf("apiVersion"));
        assertEquals(4, vs.source().lineOf("metadata.name"));
        assertEquals(9, vs.source().lineOf("spec.http"));
        assertEquals(10, vs.source().lineOf("spec.http[0]"));
        assertEquals(12, vs.source().lineOf("spec.http[0].timeout"));
        assertEquals(13, vs.source().lineOf("spec.http[0].retries.attempts"));
        assertEquals(17, vs.source().lineOf("spec.http[0].route[1]"));
        assertEquals(18, vs.source().lineOf("spec.http[0].route[1].weight"));
        assertEquals(17, vs.source().lineOf("spec.http[0].route[1].destination.host"));
        assertEquals(3, vs.source().lineOf("metadata.labels[app]"), "unknown paths fall back to the nearest parent");
    }

    @Test
    void jsonLoadsToo() {
        String json = "{\n\t\"apiVersion\": \"networking.istio.io/v1\",\n\t\"kind\": \"Gateway\",\n"
                + "\t\"metadata\": {\"name\": \"gw\", \"namespace\": \"edge\"},\n"
                + "\t\"spec\": {\"servers\": [{\"port\": {\"number\": 443, \"name\": \"https\", \"protocol\": \"HTTPS\"},"
                + " \"hosts\": [\"a.example.com\"], \"tls\": {\"mode\": \"SIMPLE\", \"credentialName\": \"cert\"}}]}\n}\n";
        LoadResult r = loader.load("gw.json", json);
        assertTrue(r.diagnostics().isEmpty(), formatted(r));
        Gateway gw = (Gateway) r.resources().get(0).spec();
        assertEquals(443, gw.servers().get(0).port().number());
        assertEquals("cert", gw.servers().get(0).tls().credentialName());
        assertEquals(4, r.resources().get(0).source().lineOf("metadata.name"));
    }

    @Test
    void kindListWithItems() {
        String list = """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: networking.istio.io/v1
                  kind: Gateway
                  metadata: {name: a}
                  spec: {}
                - apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: web}
                - apiVersion: networking.istio.io/v1
                  kind: VirtualService
                  metadata: {name: b}
                  spec: {hosts: [b]}
                """;
        LoadResult r = loader.load("list.yaml", list);
        assertFalse(r.hasErrors(), formatted(r));
        assertEquals(List.of("a", "b"), r.resources().stream().map(Resource::name).toList());
        assertEquals(11, r.resources().get(1).source().line());
        assertEquals(1, r.diagnostics().size());
        assertEquals(Severity.INFO, r.diagnostics().get(0).severity());
    }

    @Test
    void foreignKindsAreSkippedWithOneNotice() {
        String text = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec: {replicas: 2, template: {spec: {containers: [{name: x, image: y}]}}}
                ---
                apiVersion: gateway.networking.k8s.io/v1
                kind: Gateway
                metadata: {name: gapi}
                spec: {gatewayClassName: istio}
                ---
                """ + GATEWAY;
        LoadResult r = loader.load("mixed.yaml", text);
        assertFalse(r.hasErrors());
        assertEquals(1, r.resources().size());
        assertEquals(Kind.GATEWAY, r.resources().get(0).kind());
        assertEquals(List.of(
                        "mixed.yaml:1: skipped apps/v1 Deployment \"web\": not a kind Meshgate serves",
                        "mixed.yaml:6: skipped gateway.networking.k8s.io/v1 Gateway \"gapi\": not a kind Meshgate serves"),
                r.diagnostics().stream().map(Diagnostic::format).toList());
        assertTrue(r.diagnostics().stream().allMatch(d -> d.severity() == Severity.INFO));
    }

    @Test
    void istioKindsWeDoNotServeWarnAndTyposFail() {
        LoadResult ef = loader.load("ef.yaml", "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\n"
                + "metadata: {name: f}\nspec: {configPatches: []}\n");
        assertFalse(ef.hasErrors());
        assertEquals(Severity.WARNING, ef.diagnostics().get(0).severity());
        LoadResult typo = loader.load("t.yaml", "apiVersion: networking.istio.io/v1\nkind: VirtualServce\n"
                + "metadata: {name: f}\n");
        assertEquals("t.yaml:1: kind: unknown kind \"VirtualServce\" in networking.istio.io; did you mean "
                + "\"VirtualService\"?", typo.errors().get(0).format());
    }

    @Test
    void unknownVersionOfOurKindNamesTheServedVersions() {
        LoadResult r = loader.load("v.yaml", GATEWAY.replace("networking.istio.io/v1", "networking.istio.io/v2"));
        assertTrue(r.resources().isEmpty());
        assertEquals(List.of("v.yaml:1: Gateway default/gw: apiVersion: version \"v2\" is not served for "
                + "networking.istio.io Gateway; served versions: v1, v1beta1, v1alpha3"),
                r.diagnostics().stream().map(Diagnostic::format).toList());
        LoadResult none = loader.load("n.yaml", GATEWAY.replace("apiVersion: networking.istio.io/v1\n", ""));
        assertEquals("n.yaml:1: apiVersion: is required (e.g. networking.istio.io/v1)", none.errors().get(0).format());
    }

    @Test
    void missingNameIsAnErrorAndTheDefaultNamespaceIsConfigurable() {
        LoadResult r = loader.load("m.yaml", GATEWAY.replace("  name: gw\n", "  labels: {a: b}\n"));
        assertEquals(List.of("m.yaml:3: Gateway default/<unnamed>: metadata.name: is required"),
                r.diagnostics().stream().map(Diagnostic::format).toList());
        LoadResult none = loader.load("m.yaml", "apiVersion: networking.istio.io/v1\nkind: Gateway\n");
        assertEquals("metadata.name", none.errors().get(0).field());
        LoadResult ns = new ResourceLoader(LoaderOptions.defaults().withDefaultNamespace("istio-system"))
                .load("gw.yaml", GATEWAY);
        assertEquals("istio-system", ns.resources().get(0).namespace());
    }

    @Test
    void kubernetesMetadataAndStatusAreAcceptedAndIgnored() {
        String text = """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: gw
                  namespace: edge
                  uid: 3d3f8a
                  generation: 4
                  resourceVersion: "1234"
                  creationTimestamp: "2024-05-01T10:00:00Z"
                  labels: {app: web, tier: edge}
                  annotations: {kubectl.kubernetes.io/last-applied-configuration: "{}"}
                  managedFields: [{manager: kubectl, operation: Update}]
                  ownerReferences: [{kind: X, name: y}]
                  finalizers: [a]
                spec: {}
                status: {conditions: [{type: Ready}]}
                """;
        LoadResult r = loader.load("k.yaml", text);
        assertTrue(r.diagnostics().isEmpty(), formatted(r));
        ObjectMeta m = r.resources().get(0).metadata();
        assertEquals(4L, m.generation());
        assertEquals("1234", m.resourceVersion());
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), m.creationTimestamp());
        assertEquals("web", m.labels().get("app"));
    }

    @Test
    void unknownFieldsAreErrorsWithSuggestionOrWarningsWhenAsked() {
        String text = VS.replace("    retries:", "    retires:");
        LoadResult r = loader.load("reviews.yaml", text);
        assertTrue(r.resources().isEmpty());
        assertEquals(List.of("reviews.yaml:13: VirtualService shop/reviews: spec.http[0].retires: unknown field; "
                + "did you mean \"retries\"?"), r.diagnostics().stream().map(Diagnostic::format).toList());

        LoadResult lenient = new ResourceLoader(LoaderOptions.defaults().withUnknownFieldsAsWarnings(true))
                .load("reviews.yaml", text + "extra: 1\n");
        assertFalse(lenient.hasErrors(), formatted(lenient));
        assertEquals(1, lenient.resources().size());
        assertNull(((VirtualService) lenient.resources().get(0).spec()).http().get(0).retries());
        assertEquals(List.of(Severity.WARNING, Severity.WARNING),
                lenient.diagnostics().stream().map(Diagnostic::severity).toList());
        assertEquals(List.of("extra", "spec.http[0].retires"),
                lenient.diagnostics().stream().map(Diagnostic::field).toList());

        LoadResult top = loader.load("t.yaml", GATEWAY.replace("spec:", "sepc:"));
        assertEquals("t.yaml:5: Gateway default/gw: sepc: unknown field; did you mean \"spec\"?",
                top.errors().get(0).format());
    }

    @Test
    void aResourceWithErrorsIsDroppedTheOthersAreKept() {
        String bad = VS.replace("weight: 80", "weight: eighty").replace("name: reviews", "name: bad");
        LoadResult r = loader.load("f.yaml", GATEWAY + "---\n" + bad + "---\n" + VS);
        assertEquals(List.of("gw", "reviews"), r.resources().stream().map(Resource::name).toList());
        assertEquals(List.of("f.yaml:26: VirtualService shop/bad: spec.http[0].route[0].weight: "
                + "expected an integer, got a string \"eighty\""), r.diagnostics().stream().map(Diagnostic::format).toList());
    }

    @Test
    void wrongTypesEverywhereGiveErrorsNotExceptions() {
        String[] docs = {
            "apiVersion: [networking.istio.io/v1]\nkind: Gateway\nmetadata: {name: a}\n",
            "apiVersion: networking.istio.io/v1\nkind: {a: b}\nmetadata: {name: a}\n",
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: [a]\n",
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: [a]}\n",
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a, labels: [x]}\n",
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a}\nspec: [1, 2]\n",
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a}\nspec: {servers: {port: 1}}\n",
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a}\nspec: {servers: [{port: 80}]}\n",
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: a}\nspec: {selector: x}\n",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}\nspec: {http: [{timeout: 5}]}\n",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}\nspec: {http: [{retries: 3}]}\n",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}\nspec: {hosts: {a: b}}\n",
            "- apiVersion: networking.istio.io/v1\n",
            "just a string\n",
            "42\n",
            "apiVersion: v1\nkind: List\nitems: {a: b}\n",
            "apiVersion: v1\nkind: List\nitems: [1, [2]]\n",
            "? [a, b]\n: c\n",
        };
        for (String doc : docs) {
            LoadResult r = loader.load("w.yaml", doc);
            assertTrue(r.hasErrors(), () -> "no error for: " + doc);
            assertTrue(r.resources().isEmpty(), doc);
            for (Diagnostic d : r.errors()) {
                assertEquals("w.yaml", d.file());
                assertTrue(d.line() >= 1, () -> "no line for " + d + " in " + doc);
                assertFalse(d.message().contains("Exception"), d::toString);
            }
        }
        assertEquals("w.yaml:4: Gateway default/a: spec.servers: expected a list, got a mapping",
                loader.load("w.yaml", docs[6]).errors().get(0).format());
    }

    @Test
    void anchorsAndMergeKeysAcrossResources() {
        String text = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: a}
                spec:
                  host: a
                  trafficPolicy: &tp
                    connectionPool:
                      tcp: {maxConnections: 10, connectTimeout: 3s}
                  subsets:
                  - name: v1
                    labels: &v1 {version: v1}
                    trafficPolicy:
                      <<: *tp
                """;
        LoadResult r = loader.load("dr.yaml", text);
        assertFalse(r.hasErrors(), formatted(r));
        var dr = (dev.meshgate.config.model.networking.DestinationRule) r.resources().get(0).spec();
        assertEquals(dr.trafficPolicy(), dr.subsets().get(0).trafficPolicy());
    }

    @Test
    void loadsFilesAndRefusesNonText(@TempDir Path dir) throws Exception {
        Path ok = dir.resolve("gw.yaml");
        Files.writeString(ok, "\uFEFF" + GATEWAY, StandardCharsets.UTF_8);
        LoadResult r = loader.load(ok);
        assertFalse(r.hasErrors(), formatted(r));
        assertEquals(ok.toString(), r.resources().get(0).source().file());

        Path utf16 = dir.resolve("gw16.yaml");
        byte[] body = GATEWAY.getBytes(StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[body.length + 2];
        withBom[0] = (byte) 0xFF;
        withBom[1] = (byte) 0xFE;
        System.arraycopy(body, 0, withBom, 2, body.length);
        Files.write(utf16, withBom);
        assertEquals(1, loader.load(utf16).resources().size());

        LoadResult missing = loader.load(dir.resolve("nope.yaml"));
        assertTrue(missing.errors().get(0).message().startsWith("cannot read file"));
    }

    @Test
    void integerKeyedMapsAndCaseInsensitiveEnumsOnTheRealModel() {
        String text = """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: pa, namespace: edge}
                spec:
                  mtls: {mode: strict}
                  portLevelMtls:
                    8080: {mode: DISABLE}
                    "9090": {mode: PERMISSIVE}
                """;
        LoadResult r = loader.load("pa.yaml", text);
        assertFalse(r.hasErrors(), formatted(r));
        var pa = (dev.meshgate.config.model.security.PeerAuthentication) r.resources().get(0).spec();
        assertEquals("STRICT", pa.mtls().mode().name());
        assertEquals("DISABLE", pa.portLevelMtls().get(8080).mode().name());
        assertEquals("PERMISSIVE", pa.portLevelMtls().get(9090).mode().name());
        assertEquals(7, r.resources().get(0).source().lineOf("spec.portLevelMtls[8080].mode"));
        LoadResult bad = loader.load("pa.yaml", text.replace("DISABLE", "OFF"));
        assertTrue(bad.errors().get(0).format().startsWith("pa.yaml:7: PeerAuthentication edge/pa: "
                + "spec.portLevelMtls[8080].mode: unknown value \"OFF\"; allowed values: "), formatted(bad));
    }

    @Test
    void manyResourcesInOneStream() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            sb.append(VS.replace("name: reviews", "name: vs-" + i)).append("---\n");
        }
        LoadResult r = loader.load("many.yaml", sb.toString());
        assertFalse(r.hasErrors());
        assertEquals(500, r.resources().size());
        assertEquals("vs-499", r.resources().get(499).name());
        assertEquals(499 * 19 + 17, r.resources().get(499).source().lineOf("spec.http[0].route[1]"));
    }
}
