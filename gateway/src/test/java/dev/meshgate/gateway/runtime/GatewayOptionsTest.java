package dev.meshgate.gateway.runtime;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayOptionsTest {

    @Test
    void defaultsAreIstios() {
        GatewayOptions o = GatewayOptions.defaults();
        assertEquals(Map.of("istio", "ingressgateway"), o.labels());
        assertEquals("istio-system", o.gatewayNamespace());
        assertEquals("0.0.0.0", o.bindHost());
        assertTrue(o.eventLoops() >= 1);
        assertEquals(80, o.localPort(80));
    }

    @Test
    void portMapAndLabelsParse() {
        GatewayOptions o = GatewayOptions.defaults().withPortMap(GatewayOptions.parsePortMap("80=8080, 443=8443"));
        assertEquals(8080, o.localPort(80));
        assertEquals(8443, o.localPort(443));
        assertEquals(9090, o.localPort(9090));
        assertEquals(Map.of("istio", "ingress", "app", "edge"), GatewayOptions.parseLabels("istio=ingress,app=edge"));
    }

    @Test
    void badPortMapsNameTheEntry() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayOptions.parsePortMap("80=http"));
        assertTrue(e.getMessage().contains("'80=http'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GatewayOptions.parsePortMap("80"));
        assertThrows(IllegalArgumentException.class, () -> GatewayOptions.parsePortMap("70000=1"));
    }
}
