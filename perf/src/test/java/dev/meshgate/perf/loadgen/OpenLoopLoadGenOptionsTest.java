package dev.meshgate.perf.loadgen;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopLoadGenOptionsTest {

    @Test
    void parsesUrlRateAndPath() {
        OpenLoopLoadGen.Options o = OpenLoopLoadGen.Options.parse(new String[]{
                "--url", "https://127.0.0.1:8443/1k?x=1", "--rate", "500", "--duration", "3", "--connections", "4"});
        assertEquals("/1k?x=1", o.path());
        assertEquals(500, o.rate());
        assertEquals(3, o.durationSeconds());
        assertEquals(4, o.connections());
    }

    @Test
    void refusesNonLoopbackTargetsAndUnboundedRuns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OpenLoopLoadGen.Options.parse(new String[]{"--url", "http://10.0.0.1/"}));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> OpenLoopLoadGen.Options.parse(new String[]{"--url", "http://127.0.0.1/", "--duration", "99999"}));
        assertThrows(IllegalArgumentException.class,
                () -> OpenLoopLoadGen.Options.parse(new String[]{"--url", "http://127.0.0.1/", "--rate", "0"}));
    }
}
