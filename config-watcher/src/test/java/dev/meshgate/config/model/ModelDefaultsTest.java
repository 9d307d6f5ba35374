package dev.meshgate.config.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshgate.config.model.networking.ClientTLSSettings;
import dev.meshgate.config.model.networking.ConnectionPoolSettings;
import dev.meshgate.config.model.networking.ConsistentHashLB;
import dev.meshgate.config.model.networking.Delay;
import dev.meshgate.config.model.networking.HTTPRedirect;
import dev.meshgate.config.model.networking.HTTPRetry;
import dev.meshgate.config.model.networking.HTTPRoute;
import dev.meshgate.config.model.networking.HTTPSettings;
import dev.meshgate.config.model.networking.LoadBalancerSettings;
import dev.meshgate.config.model.networking.LoadBalancerSettings.SimpleLB;
import dev.meshgate.config.model.networking.MagLev;
import dev.meshgate.config.model.networking.OutlierDetection;
import dev.meshgate.config.model.networking.Percent;
import dev.meshgate.config.model.networking.RingHash;
import dev.meshgate.config.model.networking.ServerTLSSettings;
import dev.meshgate.config.model.networking.ServerTLSSettings.TLSProtocol;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.Sidecar;
import dev.meshgate.config.model.networking.StringMatch;
import dev.meshgate.config.model.networking.TCPSettings;
import dev.meshgate.config.model.networking.TrafficPolicy;
import dev.meshgate.config.model.networking.VirtualService;
import dev.meshgate.config.model.security.AuthorizationPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Istio defaults that change behaviour the most, as the model exposes them. */
class ModelDefaultsTest {

    private static OutlierDetection emptyOutlierDetection() {
        return new OutlierDetection(0, false, null, null, null, null, null, null, 0, null);
    }

    @Test
    void outlierDetectionDefaults() {
        OutlierDetection od = emptyOutlierDetection();
        assertEquals(5, od.consecutive5xxErrorsOrDefault());
        assertEquals(0, od.consecutiveGatewayErrorsOrDefault());
        assertEquals(5, od.consecutiveLocalOriginFailuresOrDefault());
        assertEquals(Duration.ofSeconds(10), od.interval());
        assertEquals(Duration.ofSeconds(30), od.baseEjectionTime());
        assertEquals(10, od.maxEjectionPercent());
        assertEquals(0, od.minHealthPercent());
        assertNull(od.consecutive5xxErrors(), "absence stays visible");
    }

    @Test
    void outlierDetectionExplicitZeroDisablesFiveHundredsButNotEjectionPercent() {
        OutlierDetection od = new OutlierDetection(0, false, null, 0, 0, Duration.ofSeconds(1), null, 0, 0, null);
        assertEquals(0, od.consecutive5xxErrorsOrDefault());
        assertEquals(Duration.ofSeconds(1), od.interval());
        // proto3 int32: 0 cannot be told from absent, so Istio leaves Envoy's 10% in place
        assertEquals(10, od.maxEjectionPercent());
    }

    @Test
    void tcpConnectTimeoutTenSecondsAndIdleTimeoutOneHour() {
        TCPSettings tcp = new TCPSettings(0, null, null, null, null);
        assertEquals(Duration.ofSeconds(10), tcp.connectTimeout());
        assertEquals(Duration.ofHours(1), tcp.idleTimeout());
        assertEquals(4_294_967_295L, tcp.maxConnectionsOrDefault());
        assertNull(tcp.maxConnectionDuration());
        assertEquals(Duration.ZERO, new TCPSettings(0, null, null, null, Duration.ZERO).idleTimeout(),
                "explicit 0s disables the idle timeout");
        assertEquals(Duration.ofSeconds(10), ConnectionPoolSettings.DEFAULT.tcpOrDefault().connectTimeout());
    }

    @Test
    void httpPoolIdleTimeoutOneHourAndLimitsUnbounded() {
        HTTPSettings http = new HTTPSettings(0, 0, 0, 0, null, null, false, 0, null);
        assertEquals(Duration.ofHours(1), http.idleTimeout());
        assertEquals(HTTPSettings.H2UpgradePolicy.DEFAULT, http.h2UpgradePolicy());
        assertEquals(4_294_967_295L, http.http1MaxPendingRequestsOrDefault());
        assertEquals(4_294_967_295L, http.http2MaxRequestsOrDefault());
        assertEquals(4_294_967_295L, http.maxRetriesOrDefault());
        assertEquals(0, http.maxRequestsPerConnectionOrDefault());
        assertEquals(2_147_483_647L, http.maxConcurrentStreamsOrDefault());
        assertEquals(Duration.ofHours(1), new ConnectionPoolSettings(null, null).httpOrDefault().idleTimeout());
    }

    @Test
    void serverTlsMinimumVersionDefaultsToTls12() {
        ServerTLSSettings tls = new ServerTLSSettings(false, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
        assertEquals(TLSProtocol.TLSV1_2, tls.minProtocolVersion());
        assertEquals(TLSProtocol.TLS_AUTO, tls.maxProtocolVersion());
        assertEquals(TLSProtocol.TLSV1_3, tls.effectiveMaxProtocolVersion());
        assertEquals(ServerTLSSettings.TLSmode.PASSTHROUGH, tls.mode(), "enum zero value");
        assertFalse(tls.insecureSkipVerifyOrDefault());

        ServerTLSSettings auto = new ServerTLSSettings(false, ServerTLSSettings.TLSmode.SIMPLE, null, null, null,
                null, null, null, null, null, null, null, null, TLSProtocol.TLS_AUTO, null, null, null);
        assertEquals(TLSProtocol.TLS_AUTO, auto.minProtocolVersion(), "explicit value is kept");
        assertEquals(TLSProtocol.TLSV1_2, auto.effectiveMinProtocolVersion());
        assertTrue(TLSProtocol.TLSV1_3.compareTo(TLSProtocol.TLSV1_2) > 0);
    }

    @Test
    void loadBalancerDefaultsToLeastRequest() {
        TrafficPolicy none = new TrafficPolicy(null, null, null, null, null, null, null, null);
        assertEquals(SimpleLB.LEAST_REQUEST, none.loadBalancerOrDefault().effectiveSimple());
        LoadBalancerSettings unspecified = new LoadBalancerSettings(SimpleLB.UNSPECIFIED, null, null, null, null, null);
        assertEquals(SimpleLB.LEAST_REQUEST, unspecified.effectiveSimple());
        LoadBalancerSettings leastConn = new LoadBalancerSettings(SimpleLB.LEAST_CONN, null, null, null, null, null);
        assertEquals(SimpleLB.LEAST_REQUEST, leastConn.effectiveSimple(), "deprecated alias");
        LoadBalancerSettings rr = new LoadBalancerSettings(SimpleLB.ROUND_ROBIN, null, null, null, null, null);
        assertEquals(SimpleLB.ROUND_ROBIN, rr.effectiveSimple());
        ConsistentHashLB hash = new ConsistentHashLB("x-user", null, null, null, null, null, null);
        assertNull(new LoadBalancerSettings(null, hash, null, null, null, null).effectiveSimple());
    }

    @Test
    void consistentHashRingSizeDefaults() {
        ConsistentHashLB byHeader = new ConsistentHashLB("x-user", null, null, null, null, null, null);
        assertEquals(1024L, byHeader.ringHashOrDefault().minimumRingSize());
        assertEquals(1, byHeader.hashKeysSet());
        assertEquals(1024L, new RingHash(null).minimumRingSize());
        assertEquals(1024L, new RingHash(0L).minimumRingSize());
        assertEquals(4096L, new RingHash(4096L).minimumRingSize());
        ConsistentHashLB deprecated = new ConsistentHashLB(null, null, true, null, null, null, 2048L);
        assertEquals(2048L, deprecated.ringHashOrDefault().minimumRingSize(), "deprecated minimumRingSize honoured");
        ConsistentHashLB maglev = new ConsistentHashLB(null, null, true, null, null, new MagLev(null), null);
        assertNull(maglev.ringHashOrDefault());
        assertEquals(65537L, maglev.maglev().tableSize());
    }

    @Test
    void routeDefaults() {
        HTTPRoute route = new HTTPRoute(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
        assertEquals(Duration.ZERO, route.timeoutOrDefault(), "no route timeout");
        assertSame(HTTPRetry.MESH_DEFAULT, route.retriesOrDefault());
        assertEquals(2, route.retriesOrDefault().attempts());
        assertEquals("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes",
                route.retriesOrDefault().retryOnOrDefault());
        assertEquals(100.0, route.mirrorPercentageOrDefault().value());
        HTTPRoute oldMirror = new HTTPRoute(null, null, null, null, null, null, null, null, null, null, null, null, 30,
                null, null, null);
        assertEquals(30.0, oldMirror.mirrorPercentageOrDefault().value());

        HTTPRetry userRetry = new HTTPRetry(3, null, null, null, null, null);
        assertEquals(HTTPRetry.DEFAULT_RETRY_ON, userRetry.retryOnOrDefault());
        assertTrue(userRetry.retryIgnorePreviousHostsOrDefault());
        assertEquals(Duration.ofMillis(25), userRetry.backoffOrDefault());
        assertFalse(new HTTPRetry(0, null, "5xx", null, null, null).enabled(), "attempts 0 disables retries");
    }

    @Test
    void redirectFaultAndPercentDefaults() {
        assertEquals(301, new HTTPRedirect(null, null, null, null, null, null, null).redirectCode());
        assertEquals(301, new HTTPRedirect(null, null, null, null, null, 0, null).redirectCode());
        assertEquals(308, new HTTPRedirect(null, null, null, null, null, 308, null).redirectCode());
        assertEquals(0, new Delay(0, Duration.ofSeconds(1), null, null).effectivePercentage().partsPerMillion(),
                "no percentage: nothing delayed");
        assertEquals(50.0, new Delay(50, Duration.ofSeconds(1), null, null).effectivePercentage().value());
        assertEquals(1, new Percent(0.0001).partsPerMillion());
        assertEquals(1_000_000, new Percent(100).partsPerMillion());
        assertFalse(new Percent(100.5).isValid());
        assertFalse(new Percent(-1).isValid());
    }

    @Test
    void stringMatchKinds() {
        assertEquals(StringMatch.Type.PREFIX, StringMatch.prefix("/api").kind());
        assertEquals("/api", StringMatch.prefix("/api").value());
        assertEquals(StringMatch.Type.PRESENCE, new StringMatch(null, null, null).kind());
        assertTrue(new StringMatch(null, null, null).isPresenceMatch());
        assertTrue(StringMatch.regex("*").isPresenceMatch());
        assertFalse(StringMatch.regex(".*").isPresenceMatch());
        assertEquals(2, new StringMatch("a", "b", null).alternativesSet());
    }

    @Test
    void enumZeroValuesAndMeshDefaults() {
        assertEquals(List.of("mesh"), new VirtualService(null, null, null, null, null, null).gatewaysOrDefault());
        ServiceEntry se = new ServiceEntry(null, null, null, null, null, null, null, null, null);
        assertEquals(ServiceEntry.Location.MESH_EXTERNAL, se.location());
        assertEquals(ServiceEntry.Resolution.NONE, se.resolution());
        assertEquals(ClientTLSSettings.TLSmode.DISABLE,
                new ClientTLSSettings(null, null, null, null, null, null, null, null, null).mode());
        assertEquals(AuthorizationPolicy.Action.ALLOW,
                new AuthorizationPolicy(null, null, null, null, null, null).action());
        assertEquals(dev.meshgate.config.model.networking.OutboundTrafficPolicy.Mode.ALLOW_ANY,
                new Sidecar(null, null, null, null, null).outboundTrafficPolicyOrDefault().mode());
    }

    @Test
    void objectMetaKeepsLabelOrder() {
        java.util.LinkedHashMap<String, String> labels = new java.util.LinkedHashMap<>();
        for (String k : List.of("zeta", "app", "version", "istio", "beta")) {
            labels.put(k, "v");
        }
        ObjectMeta meta = new ObjectMeta("n", null, labels, null, null, null, null);
        assertEquals(List.of("zeta", "app", "version", "istio", "beta"), List.copyOf(meta.labels().keySet()));
        assertTrue(meta.annotations().isEmpty());
    }
}
