package dev.meshgate.gateway.observe;

import dev.meshgate.config.snapshot.ConfigSnapshot;
import dev.meshgate.gateway.testing.TestConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TelemetryPolicyTest {

    static final Map<String, String> LABELS = Map.of("istio", "ingressgateway", "app", "istio-ingressgateway");
    static final AccessLogSettings FLAGS_ON = new AccessLogSettings(true, AccessLogFormat.JSON, null);

    static TelemetryPolicy.Resolution resolve(AccessLogSettings flags, String... yaml) {
        ConfigSnapshot s = TestConfig.snapshot(yaml);
        return TelemetryPolicy.accessLog(s, LABELS, "istio-system", "istio-system", flags);
    }

    static String telemetry(String ns, String name, String selector, String accessLogging) {
        return "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: {name: " + name + ", namespace: " + ns
                + "}\nspec:\n" + (selector == null ? "" : "  selector: {matchLabels: " + selector + "}\n")
                + "  accessLogging:\n" + accessLogging;
    }

    @Test
    void withoutTelemetryTheFlagsDecide() {
        var r = resolve(FLAGS_ON, TestConfig.gateway());
        assertSame(FLAGS_ON, r.settings());
        assertEquals("flags", r.source());
        assertSame(AccessLogSettings.OFF, resolve(AccessLogSettings.OFF).settings());
    }

    @Test
    void meshWideEnvoyProviderTurnsLoggingOnWithFilter() {
        var r = resolve(AccessLogSettings.OFF, telemetry("istio-system", "mesh-default", null, """
                  - providers: [{name: envoy}]
                    filter: {expression: "response.code >= 400"}
                """));
        assertTrue(r.settings().enabled());
        assertEquals(AccessLogFormat.TEXT, r.settings().format());
        assertTrue(r.settings().filter().test(503));
        assertFalse(r.settings().filter().test(200));
        assertEquals("Telemetry istio-system/mesh-default", r.source());
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void disabledTurnsOffWhatTheFlagTurnedOn() {
        var r = resolve(FLAGS_ON, telemetry("istio-system", "off", null, "  - disabled: true\n"));
        assertFalse(r.settings().enabled());
    }

    @Test
    void workloadSelectorBeatsNamespaceAndMesh() {
        var r = resolve(AccessLogSettings.OFF,
                telemetry("istio-system", "mesh-default", null, "  - disabled: true\n"),
                telemetry("istio-system", "gw-logs", "{istio: ingressgateway}",
                        "  - filter: {expression: \"response.code == 404\"}\n"),
                telemetry("istio-system", "other-workload", "{app: something-else}", "  - disabled: true\n"));
        assertTrue(r.settings().enabled());
        assertTrue(r.settings().filter().test(404));
        assertFalse(r.settings().filter().test(200));
        assertEquals("Telemetry istio-system/gw-logs", r.source());
    }

    @Test
    void serverModeRulesDoNotApplyToAGateway() {
        var r = resolve(AccessLogSettings.OFF, telemetry("istio-system", "server-only", null, """
                  - match: {mode: SERVER}
                    providers: [{name: envoy}]
                """));
        assertFalse(r.settings().enabled());
    }

    @Test
    void unsupportedFilterAndProviderAreReportedByResourceAndField() {
        var r = resolve(AccessLogSettings.OFF, telemetry("istio-system", "fancy", null, """
                  - providers: [{name: otel}]
                  - providers: [{name: envoy}]
                    filter: {expression: "request.headers['x-debug'] == 'true'"}
                """));
        assertTrue(r.settings().enabled());
        assertTrue(r.settings().filter().test(200), "fail open: everything is logged");
        assertEquals(2, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).startsWith(
                "Telemetry istio-system/fancy spec.accessLogging[0].providers[0]: provider 'otel'"), r.warnings().get(0));
        assertTrue(r.warnings().get(1).startsWith(
                "Telemetry istio-system/fancy spec.accessLogging[1].filter.expression: unsupported"), r.warnings().get(1));
    }

    @Test
    void otherNamespacesDoNotApply() {
        var r = resolve(AccessLogSettings.OFF, telemetry("default", "app-logs", null,
                "  - providers: [{name: envoy}]\n"));
        assertFalse(r.settings().enabled());
        assertEquals("flags", r.source());
    }
}
