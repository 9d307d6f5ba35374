package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.testing.EchoForwarder;

import java.util.Map;

/** Reads what {@link EchoForwarder} answered. */
final class EchoForwarderJson {

    private EchoForwarderJson() {
    }

    static Map<String, Object> parse(String body) {
        return EchoForwarder.parse(body);
    }

    @SuppressWarnings("unchecked")
    static String header(Map<String, Object> echo, String name) {
        return (String) ((Map<String, Object>) echo.get("headers")).get(name);
    }
}
