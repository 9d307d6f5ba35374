package dev.meshgate.perf.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One measured run of one peer on one case in one round: a row of bench.sh's {@code raw.tsv}. Numbers the tool
 * does not give are NaN (-1 for counts).
 *
 * <p>Columns: round, workload, case, peer, tool, rps, p50_ms, p75_ms, p90_ms, p99_ms, requests, errors, cpu_s,
 * rss_kb, heap_kb, accepts, seconds, extra (k=v;k=v), note.
 */
public record Sample(int round, String workload, String caseName, String peer, String tool, double rps,
                     double p50, double p75, double p90, double p99, long requests, long errors, double cpuSeconds,
                     long rssKb, long heapKb, long accepts, double seconds, Map<String, String> extra, String note) {

    public static final String HEADER = "round\tworkload\tcase\tpeer\ttool\trps\tp50_ms\tp75_ms\tp90_ms\tp99_ms"
            + "\trequests\terrors\tcpu_s\trss_kb\theap_kb\taccepts\tseconds\textra\tnote";

    /** "not yet supported" and other skipped runs carry no rps. */
    public boolean measured() {
        return !Double.isNaN(rps);
    }

    public String key() {
        return workload + "\t" + caseName;
    }

    public static Sample parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length < 19) {
            throw new IllegalArgumentException("raw.tsv row has " + f.length + " columns, expected 19: " + line);
        }
        Map<String, String> extra = new TreeMap<>();
        for (String kv : f[17].split(";")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                extra.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return new Sample(Integer.parseInt(f[0]), f[1], f[2], f[3], f[4], num(f[5]), num(f[6]), num(f[7]),
                num(f[8]), num(f[9]), count(f[10]), count(f[11]), num(f[12]), count(f[13]), count(f[14]),
                count(f[15]), num(f[16]), extra, f[18]);
    }

    public static List<Sample> parseAll(List<String> lines) {
        List<Sample> out = new ArrayList<>();
        for (String l : lines) {
            if (l.isBlank() || l.startsWith("round\t") || l.startsWith("#")) {
                continue;
            }
            out.add(parse(l));
        }
        return out;
    }

    static double num(String s) {
        if (s == null || s.isBlank() || s.equalsIgnoreCase("NA")) {
            return Double.NaN;
        }
        return Double.parseDouble(s.trim());
    }

    static long count(String s) {
        double d = num(s);
        return Double.isNaN(d) ? -1 : Math.round(d);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d %s/%s %s rps=%.0f", round, workload, caseName, peer, rps);
    }
}
