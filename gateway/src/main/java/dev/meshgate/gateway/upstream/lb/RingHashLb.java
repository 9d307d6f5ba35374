package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.gateway.upstream.cluster.Host;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * consistentHash with ringHash, built as Envoy builds it: each host gets ring entries in proportion to its weight,
 * keyed {@code xxHash64("<address>_<i>")}, with at least {@code minimumRingSize} entries in total (capped at 8M).
 * A request without a hash key goes to a random point of the ring, as in Envoy.
 */
public final class RingHashLb implements LoadBalancer {

    public static final int DEFAULT_MINIMUM_RING_SIZE = 1024;
    private static final long MAX_RING_SIZE = 8L * 1024 * 1024;

    private final long[] hashes;
    private final Host[] owners;

    public RingHashLb(List<Host> hosts, long minimumRingSize) {
        if (hosts.isEmpty()) {
            hashes = new long[0];
            owners = new Host[0];
            return;
        }
        long total = 0;
        long minWeight = Long.MAX_VALUE;
        for (Host h : hosts) {
            total += h.weight();
            minWeight = Math.min(minWeight, h.weight());
        }
        long minRing = minimumRingSize <= 0 ? DEFAULT_MINIMUM_RING_SIZE : Math.min(minimumRingSize, MAX_RING_SIZE);
        double minNormalized = (double) minWeight / total;
        double scale = Math.min(Math.ceil(minNormalized * minRing) / minNormalized, MAX_RING_SIZE);
        int size = 0;
        int[] counts = new int[hosts.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = (int) Math.max(1, Math.round((double) hosts.get(i).weight() / total * scale));
            size += counts[i];
        }
        long[] entryHash = new long[size];
        int[] entryHost = new int[size];
        int k = 0;
        for (int i = 0; i < counts.length; i++) {
            String prefix = hosts.get(i).hostPort() + "_";
            for (int j = 0; j < counts[i]; j++) {
                entryHash[k] = XxHash64.hash(prefix + j);
                entryHost[k] = i;
                k++;
            }
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compareUnsigned(entryHash[a], entryHash[b]));
        hashes = new long[size];
        owners = new Host[size];
        for (int i = 0; i < size; i++) {
            hashes[i] = entryHash[order[i]];
            owners[i] = hosts.get(entryHost[order[i]]);
        }
    }

    public int ringSize() {
        return hashes.length;
    }

    @Override
    public Host choose(Long hash, Set<Host> exclude) {
        if (hashes.length == 0) {
            return null;
        }
        long h = hash != null ? hash : ThreadLocalRandom.current().nextLong();
        int lo = 0;
        int hi = hashes.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(hashes[mid], h) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return owners[lo == hashes.length ? 0 : lo];
    }
}
