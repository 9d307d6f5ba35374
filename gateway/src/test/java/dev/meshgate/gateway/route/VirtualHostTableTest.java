package dev.meshgate.gateway.route;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class VirtualHostTableTest {

    private static VirtualHost vh(String d) {
        return new VirtualHost(d, List.of(), false);
    }

    @Test
    void exactThenLongestSuffixThenStar() {
        VirtualHostTable t = new VirtualHostTable(List.of(vh("*"), vh("*.example.com"), vh("*.api.example.com"),
                vh("api.example.com")));
        assertEquals("api.example.com", t.select("api.example.com").domain());
        assertEquals("*.api.example.com", t.select("v1.api.example.com").domain());
        assertEquals("*.example.com", t.select("www.example.com").domain());
        assertEquals("*.example.com", t.select("a.b.example.com").domain());
        assertEquals("*", t.select("example.com").domain());
        assertEquals("*", t.select("other.org").domain());
    }

    @Test
    void noStarMeansNoVirtualHost() {
        VirtualHostTable t = new VirtualHostTable(List.of(vh("*.example.com")));
        assertNull(t.select("example.com"));
        assertNull(t.select("x.org"));
    }
}
