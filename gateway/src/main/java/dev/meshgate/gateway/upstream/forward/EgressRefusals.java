package dev.meshgate.gateway.upstream.forward;

import dev.meshgate.gateway.exchange.Exchange;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Egress gateway refusals of hosts that no ServiceEntry registers: the 502 reply, a count per host (bounded, so
 * a client cannot grow it without limit) and one log line per newly refused host.
 */
final class EgressRefusals {

    private static final Logger LOG = Logger.getLogger(EgressRefusals.class.getName());
    static final int MAX_TRACKED_HOSTS = 1024;
    static final String OTHER = "<other>";

    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    void refuse(Exchange ex, String host) {
        String key = host.toLowerCase(java.util.Locale.ROOT);
        LongAdder n = counts.get(key);
        if (n == null) {
            if (counts.size() >= MAX_TRACKED_HOSTS) {
                key = OTHER;
            } else {
                LOG.warning("egress: refused host " + host + ": no ServiceEntry registers it");
            }
            n = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        n.increment();
        LocalReply.egressRefused(ex, host);
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
