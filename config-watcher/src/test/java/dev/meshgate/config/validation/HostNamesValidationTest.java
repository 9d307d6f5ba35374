package dev.meshgate.config.validation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostNamesValidationTest {

    @Test
    void wildcardDomainsFollowIstio() {
        assertNull(HostNames.checkWildcardDomain("reviews"));
        assertNull(HostNames.checkWildcardDomain("reviews.default.svc.cluster.local"));
        assertNull(HostNames.checkWildcardDomain("*.example.com"));
        assertNull(HostNames.checkWildcardDomain("*"));
        assertNull(HostNames.checkWildcardDomain("*foo.example.com"), "Istio accepts partial wildcards here");
        assertNull(HostNames.checkWildcardDomain("istio.io."));
        assertEquals("host \"foo.*.com\" is invalid: a wildcard is only allowed as the left-most label",
                HostNames.checkWildcardDomain("foo.*.com"));
        assertEquals("host \"a*b.com\" is invalid: a wildcard is only allowed as the left-most label",
                HostNames.checkWildcardDomain("a*b.com"));
        assertEquals("host \"foo_bar.com\" is invalid: label \"foo_bar\" is not a DNS-1123 label",
                HostNames.checkWildcardDomain("foo_bar.com"));
        assertEquals("host \"a..b\" is invalid: label \"\" is not a DNS-1123 label",
                HostNames.checkWildcardDomain("a..b"));
        assertEquals("host \"example.123\" is invalid: top-level domain \"123\" is all-numeric",
                HostNames.checkWildcardDomain("example.123"));
        assertEquals("host must not be empty", HostNames.checkWildcardDomain(""));
    }

    @Test
    void fqdnRejectsWildcards() {
        assertNull(HostNames.checkFqdn("www.googleapis.com"));
        assertEquals("host \"*.googleapis.com\" is invalid: a wildcard is only allowed as the left-most label",
                HostNames.checkFqdn("*.googleapis.com"));
    }

    @Test
    void addressesAndBlocks() {
        assertTrue(HostNames.isIp("10.0.0.1"));
        assertTrue(HostNames.isIp("2001:db8::1"));
        assertFalse(HostNames.isIp("10.0.0.256"));
        assertFalse(HostNames.isIp("example.com"));
        assertNull(HostNames.checkIpOrCidr("10.0.0.0/8"));
        assertNull(HostNames.checkIpOrCidr("2001:db8::/32"));
        assertEquals("\"10.0.0.0/33\" is not a valid CIDR block", HostNames.checkIpOrCidr("10.0.0.0/33"));
        assertEquals("\"10.0.0/8\" is not a valid CIDR block", HostNames.checkIpOrCidr("10.0.0/8"));
        assertEquals("\"nope\" is not a valid IP address", HostNames.checkIpOrCidr("nope"));
    }

    @Test
    void matchingIsSuffixBasedAndCaseInsensitive() {
        assertTrue(HostNames.intersects("*.example.com", "a.b.example.com"));
        assertFalse(HostNames.intersects("*.example.com", "example.com"));
        assertTrue(HostNames.intersects("*", "anything.io"));
        assertTrue(HostNames.intersects("*.com", "*.example.com"));
        assertTrue(HostNames.intersects("API.example.com", "api.EXAMPLE.com"));
        assertFalse(HostNames.intersects("a.example.com", "b.example.com"));

        assertTrue(HostNames.subsetOf("a.example.com", "*.example.com"));
        assertTrue(HostNames.subsetOf("*.a.example.com", "*.example.com"));
        assertFalse(HostNames.subsetOf("*.example.com", "*.a.example.com"));
        assertFalse(HostNames.subsetOf("*", "*.com"));
        assertTrue(HostNames.subsetOf("x.io", "*"));
    }

    @Test
    void shortNamesResolveAgainstTheGivenNamespace() {
        assertEquals("reviews.default.svc.cluster.local", HostNames.resolveShortName("reviews", "default"));
        assertEquals("reviews.prod", HostNames.resolveShortName("reviews.prod", "default"));
        assertEquals("*.example.com", HostNames.resolveShortName("*.example.com", "default"));
        assertEquals("10.1.2.3", HostNames.resolveShortName("10.1.2.3", "default"));
    }

    @Test
    void kubernetesNames() {
        assertTrue(HostNames.isDnsSubdomain("bookinfo-gateway"));
        assertTrue(HostNames.isDnsSubdomain("a.b-c"));
        assertFalse(HostNames.isDnsSubdomain("Bookinfo"));
        assertFalse(HostNames.isDnsSubdomain("-x"));
        assertTrue(HostNames.isLowerDnsLabel("istio-system"));
        assertFalse(HostNames.isLowerDnsLabel("istio.system"));
    }
}
