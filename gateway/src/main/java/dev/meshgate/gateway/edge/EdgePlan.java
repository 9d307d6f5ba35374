package dev.meshgate.gateway.edge;

import dev.meshgate.gateway.route.ListenerKey;

import java.util.List;
import java.util.Map;

/**
 * The L4/TLS listeners of one snapshot: terminating ports, passthrough ports and plain TCP ports, plus compile
 * notes.
 */
public record EdgePlan(Map<ListenerKey, TlsPortPlan> terminating, Map<ListenerKey, PassthroughPlan> passthrough,
                       List<String> notes, Map<ListenerKey, TcpPortPlan> tcp) {

    public static final EdgePlan EMPTY = new EdgePlan(Map.of(), Map.of(), List.of());

    public EdgePlan {
        terminating = Map.copyOf(terminating);
        passthrough = Map.copyOf(passthrough);
        notes = List.copyOf(notes);
        tcp = Map.copyOf(tcp);
    }

    /** Without plain TCP ports. */
    public EdgePlan(Map<ListenerKey, TlsPortPlan> terminating, Map<ListenerKey, PassthroughPlan> passthrough,
                    List<String> notes) {
        this(terminating, passthrough, notes, Map.of());
    }
}
