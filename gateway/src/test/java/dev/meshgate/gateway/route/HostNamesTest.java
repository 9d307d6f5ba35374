package dev.meshgate.gateway.route;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostNamesTest {

    @Test
    void wildcardIsASuffixMatchThatNeverMatchesTheBareDomain() {
        assertTrue(HostNames.subsetOf("a.foo.com", "*.foo.com"));
        assertTrue(HostNames.subsetOf("a.b.foo.com", "*.foo.com"));
        assertFalse(HostNames.subsetOf("foo.com", "*.foo.com"));
        assertTrue(HostNames.subsetOf("*.a.foo.com", "*.foo.com"));
        assertFalse(HostNames.subsetOf("*.foo.com", "a.foo.com"));
        assertTrue(HostNames.subsetOf("anything", "*"));
        assertTrue(HostNames.subsetOf("*", "*"));
    }

    @Test
    void intersectionKeepsTheMoreSpecificName() {
        assertEquals(List.of("a.foo.com"), HostNames.intersection(List.of("*.foo.com"), List.of("a.foo.com")));
        assertEquals(List.of("a.foo.com"), HostNames.intersection(List.of("a.foo.com"), List.of("*")));
        assertEquals(List.of("a.foo.com", "b.foo.com"),
                HostNames.intersection(List.of("*.foo.com"), List.of("a.foo.com", "b.foo.com", "bar.com")));
        assertEquals(List.of(), HostNames.intersection(List.of("*.foo.com"), List.of("foo.com")));
        assertEquals(List.of("*"), HostNames.intersection(List.of("*"), List.of("*")));
    }

    @Test
    void shortNamesResolveInTheVirtualServiceNamespace() {
        assertEquals("reviews.default.svc.cluster.local", HostNames.resolveShortName("reviews", "default"));
        assertEquals("reviews.prod.svc.cluster.local", HostNames.resolveShortName("Reviews", "prod"));
        assertEquals("api.example.com", HostNames.resolveShortName("api.example.com", "default"));
        assertEquals("*", HostNames.resolveShortName("*", "default"));
        assertEquals("*.example.com", HostNames.resolveShortName("*.example.com", "default"));
    }

    @Test
    void gatewayReferencesResolveLikeIstio() {
        assertEquals("default/bookinfo-gateway", HostNames.resolveGatewayName("bookinfo-gateway", "default"));
        assertEquals("default/gw", HostNames.resolveGatewayName("./gw", "default"));
        assertEquals("istio-system/gw", HostNames.resolveGatewayName("istio-system/gw", "default"));
        assertEquals("istio-system/gw", HostNames.resolveGatewayName("gw.istio-system.svc.cluster.local", "default"));
        assertEquals("default/gw.x", HostNames.resolveGatewayName("gw.x", "default"));
        assertEquals("mesh", HostNames.resolveGatewayName("mesh", "default"));
    }

    @Test
    void hostForMatchingDropsThePortAndCase() {
        assertEquals("api.example.com", HostNames.hostForMatching("API.Example.com:8080"));
        assertEquals("api.example.com", HostNames.hostForMatching("api.example.com"));
        assertEquals("[::1]", HostNames.hostForMatching("[::1]:80"));
        assertEquals("", HostNames.hostForMatching(null));
    }
}
