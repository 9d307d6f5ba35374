package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.route.ListenerKey;

import java.util.List;
import java.util.Map;

/** The TLS listeners of one snapshot: terminating ports and passthrough ports, plus compile notes. */
public record EdgePlan(Map<ListenerKey, TlsPortPlan> terminating, Map<ListenerKey, PassthroughPlan> passthrough,
                       List<String> notes) {

    public static final EdgePlan EMPTY = new EdgePlan(Map.of(), Map.of(), List.of());

    public EdgePlan {
        terminating = Map.copyOf(terminating);
        passthrough = Map.copyOf(passthrough);
        notes = List.copyOf(notes);
    }
}
