package dev.meshgate.gateway.upstream.lb;

import dev.meshgate.gateway.upstream.cluster.Host;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * consistentHash with maglev, as Envoy's weighted Maglev: each host's permutation is
 * {@code (offset + skip * j) mod M} with offset/skip from xxHash64 of its address (seeds 0 and 1); hosts fill the
 * table in turns, a host of weight w/maxWeight taking a turn every maxWeight/w rounds.
 */
public final class MaglevLb implements LoadBalancer {

    public static final int DEFAULT_TABLE_SIZE = 65537;

    private final Host[] table;

    public MaglevLb(List<Host> hosts, long tableSize) {
        int m = (int) (tableSize <= 0 ? DEFAULT_TABLE_SIZE : tableSize);
        if (hosts.isEmpty()) {
            table = new Host[0];
            return;
        }
        table = new Host[m];
        int n = hosts.size();
        long[] offset = new long[n];
        long[] skip = new long[n];
        long[] next = new long[n];
        double[] weight = new double[n];
        double[] target = new double[n];
        double maxWeight = 0;
        for (int i = 0; i < n; i++) {
            String key = hosts.get(i).hostPort();
            offset[i] = Long.remainderUnsigned(XxHash64.hash(key, 0), m);
            skip[i] = Long.remainderUnsigned(XxHash64.hash(key, 1), m - 1) + 1;
            weight[i] = hosts.get(i).weight();
            maxWeight = Math.max(maxWeight, weight[i]);
        }
        int filled = 0;
        for (long iteration = 1; filled < m; iteration++) {
            for (int i = 0; i < n && filled < m; i++) {
                if (iteration * weight[i] < target[i]) {
                    continue;
                }
                target[i] += maxWeight;
                int c = (int) ((offset[i] + skip[i] * next[i]) % m);
                while (table[c] != null) {
                    next[i]++;
                    c = (int) ((offset[i] + skip[i] * next[i]) % m);
                }
                table[c] = hosts.get(i);
                next[i]++;
                filled++;
            }
        }
    }

    public int tableSize() {
        return table.length;
    }

    @Override
    public Host choose(Long hash, Set<Host> exclude) {
        if (table.length == 0) {
            return null;
        }
        long h = hash != null ? hash : ThreadLocalRandom.current().nextLong();
        return table[(int) Long.remainderUnsigned(h, table.length)];
    }
}
