package dev.meshgate.gateway.edge;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest {

    @Test
    void ipv4PrefixesAndPlainAddresses() {
        Cidr net = Cidr.parse("10.1.0.0/16");
        assertTrue(net.contains(Cidr.literal("10.1.255.3")));
        assertFalse(net.contains(Cidr.literal("10.2.0.1")));
        Cidr odd = Cidr.parse("192.168.1.128/25");
        assertTrue(odd.contains(Cidr.literal("192.168.1.200")));
        assertFalse(odd.contains(Cidr.literal("192.168.1.127")));
        Cidr one = Cidr.parse("127.0.0.2");
        assertEquals(32, one.prefix());
        assertTrue(one.contains(Cidr.literal("127.0.0.2")));
        assertFalse(one.contains(Cidr.literal("127.0.0.1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(Cidr.literal("8.8.8.8")));
    }

    @Test
    void ipv6AndMappedAddresses() {
        Cidr net = Cidr.parse("2001:db8::/32");
        assertTrue(net.contains(Cidr.literal("2001:db8:1::5")));
        assertFalse(net.contains(Cidr.literal("2001:db9::1")));
        assertFalse(net.contains(Cidr.literal("10.0.0.1")), "families never match each other");
        assertEquals(128, Cidr.parse("::1").prefix());
        // a dual-stack socket reports IPv4 clients as IPv4-mapped IPv6
        assertTrue(Cidr.parse("127.0.0.0/8").contains(Cidr.literal("::ffff:127.0.0.3")));
    }

    @Test
    void namesAndBadPrefixesAreRejectedWithoutLookups() {
        assertNull(Cidr.parse("example.com"));
        assertNull(Cidr.parse("10.0.0.0/33"));
        assertNull(Cidr.parse("10.0.0/8"));
        assertNull(Cidr.parse("10.0.0.0/"));
        assertNull(Cidr.parse("::1/129"));
        assertNull(Cidr.literal("localhost"));
    }
}
