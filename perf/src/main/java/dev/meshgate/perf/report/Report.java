package dev.meshgate.perf.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.zip.DataFormatException;

/**
 * Turns bench.sh's raw.tsv into the Markdown report and its PNG plots. Every figure is the median of per-round
 * values (ratios are taken within a round, then the median over rounds), shown with min and max.
 *
 * <p>Usage: {@code Report --raw raw.tsv --out DIR --name DATE-HOST [--meta meta.txt] [--headline FILE]}.
 */
public final class Report {

    public static final String DIRECT = "direct";
    public static final String NGINX = "nginx";
    public static final String HAPROXY = "haproxy";
    public static final String MESHGATE = "meshgate";
    static final List<String> PEER_ORDER = List.of(DIRECT, NGINX, HAPROXY, MESHGATE);

    // case names bench.sh writes (workload \t case)
    static final String W1 = "W1\tGET /ok";
    static final String W2 = "W2\tTLS GET /ok";
    static final String W2_HANDSHAKE = "W2\tTLS handshake per request";
    static final String W3 = "W3\th2 GET /ok";
    static final String W4_1K = "W4\tGET /1k";
    static final String W4_64K = "W4\tGET /64k";
    static final String W4_POST = "W4\tPOST 64k";
    static final String W5_SPREAD = "W5\t1000 routes spread";
    static final String W5_WORST = "W5\t1000 routes worst-match";
    static final String W6 = "W6\tcanary 90/10";
    static final String W6_SINGLE = "W6\tsingle destination v1";
    static final String FR_PLAIN = "FR\t1000 rps GET /1k";
    static final String FR_TLS = "FR\t1000 rps TLS GET /1k";
    static final String MEM = "MEM\tlive heap after GC";

    /** Where a case has no direct run (TLS, h2), ratios and added latency are against this plaintext case. */
    private static final Map<String, String> DIRECT_FALLBACK = Map.of(
            W2, W1, W2_HANDSHAKE, W1, W3, W1, FR_TLS, FR_PLAIN);

    private final List<Sample> samples;
    /** case key -> peer -> round -> sample (measured or not) */
    private final Map<String, Map<String, Map<Integer, Sample>>> byCase = new LinkedHashMap<>();
    private final Map<String, String> meta;

    public Report(List<Sample> samples, Map<String, String> meta) {
        this.samples = samples;
        this.meta = meta;
        for (Sample s : samples) {
            byCase.computeIfAbsent(s.key(), k -> new TreeMap<>(Report::peerCompare))
                    .computeIfAbsent(s.peer(), k -> new TreeMap<>())
                    .put(s.round(), s);
        }
    }

    public static void main(String[] args) throws Exception {
        Path raw = null;
        Path out = null;
        String name = null;
        Path metaFile = null;
        Path headline = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--raw" -> raw = Path.of(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--name" -> name = args[i + 1];
                case "--meta" -> metaFile = Path.of(args[i + 1]);
                case "--headline" -> headline = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (raw == null || out == null || name == null) {
            throw new IllegalArgumentException("usage: Report --raw raw.tsv --out DIR --name NAME [--meta FILE] "
                    + "[--headline FILE]");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        if (metaFile != null) {
            for (String l : Files.readAllLines(metaFile)) {
                int eq = l.indexOf('=');
                if (eq > 0) {
                    meta.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
                }
            }
        }
        Report r = new Report(Sample.parseAll(Files.readAllLines(raw)), meta);
        Files.createDirectories(out);
        r.write(out, name, headline);
        System.out.println("report: " + out.resolve(name + ".md"));
    }

    public void write(Path dir, String name, Path headlineFile) throws IOException {
        List<String> plots = writePlots(dir, name);
        StringBuilder md = new StringBuilder();
        md.append("# Meshgate side-by-side benchmark: ").append(name).append("\n\n");
        setup(md);
        md.append("## Targets (issue 7, perf-anchors §5.5)\n\n");
        String targets = targets();
        md.append(targets).append('\n');
        md.append("## Results per workload\n\n");
        md.append("Each figure: median over rounds [min–max]. Ratios are taken within a round (same minute, same ")
                .append("noise), then the median. \"added\" latency is the peer's percentile minus direct's in the ")
                .append("same round (TLS and h2 rows: minus direct plaintext). CPU is the proxy process's own ")
                .append("utime+stime (nginx: its worker; Meshgate: the whole JVM incl. JIT and GC threads); RSS is ")
                .append("VmHWM (peak since start). Backend conns: new connections accepted by the backend during ")
                .append("the runs (stub_status) against the requests served.\n\n");
        for (String key : byCase.keySet()) {
            if (key.equals(MEM)) {
                continue;
            }
            caseTable(md, key);
        }
        memory(md);
        keepAlive(md);
        if (!plots.isEmpty()) {
            md.append("## Plots\n\n");
            for (String p : plots) {
                md.append("![").append(p).append("](").append(p).append(")\n\n");
            }
        }
        Files.writeString(dir.resolve(name + ".md"), md.toString());
        if (headlineFile != null) {
            Files.writeString(headlineFile, headline(name) + "\n" + targets);
        }
    }

    private void setup(StringBuilder md) {
        if (meta.isEmpty()) {
            return;
        }
        md.append("| setting | value |\n|---|---|\n");
        meta.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        md.append('\n');
    }

    // ---- targets ----

    private String targets() {
        StringBuilder t = new StringBuilder("| ID | target | measured (median [min–max]) | verdict |\n|---|---|---|---|\n");
        Spread t1 = ratio(MESHGATE, W1, NGINX, W1, Sample::rps);
        row(t, "T1", "W1 rps Meshgate / nginx proxy ≥ 0.90 (stretch ≥ 1.0)", t1, "%.2f", v -> v >= 0.9,
                t1.present() && t1.median() >= 1.0 ? " (stretch met)" : "");
        t.append("| T2 | W1/W4 rps / Spring Cloud Gateway ≥ 1.5 | – | not measured (no SCG peer in this harness) |\n");
        Spread t3p90 = added(FR_TLS, MESHGATE, Sample::p90);
        Spread t3p99 = added(FR_TLS, MESHGATE, Sample::p99);
        row(t, "T3", "added p90 ≤ 0.11 ms at 1000 rps, 1 KiB, TLS in (vs direct plaintext)", t3p90, "%.3f ms",
                v -> v <= 0.11, "");
        row(t, "T3", "added p99 ≤ 0.15 ms at 1000 rps, 1 KiB, TLS in (vs direct plaintext)", t3p99, "%.3f ms",
                v -> v <= 0.15, "");
        Spread plainP90 = added(FR_PLAIN, MESHGATE, Sample::p90);
        Spread plainP99 = added(FR_PLAIN, MESHGATE, Sample::p99);
        row(t, "T3'", "same, plaintext in: added p90 ≤ 0.11 ms", plainP90, "%.3f ms", v -> v <= 0.11, "");
        row(t, "T3'", "same, plaintext in: added p99 ≤ 0.15 ms", plainP99, "%.3f ms", v -> v <= 0.15, "");
        Spread t4 = perRound(FR_TLS, MESHGATE, s -> s.cpuSeconds() / s.seconds() * 1000.0 / Math.max(1, s.rps()));
        row(t, "T4", "CPU ≤ 0.15 vCPU per 1000 rps (1 KiB, TLS in, keep-alive out)", t4, "%.3f vCPU",
                v -> v <= 0.15, "");
        Spread t4p = perRound(FR_PLAIN, MESHGATE, s -> s.cpuSeconds() / s.seconds() * 1000.0 / Math.max(1, s.rps()));
        row(t, "T4'", "same, plaintext in: CPU ≤ 0.15 vCPU per 1000 rps", t4p, "%.3f vCPU", v -> v <= 0.15,
                contextFixedRateCpu());
        Spread t5 = perRound(MEM, MESHGATE, s -> s.heapKb() < 0 ? Double.NaN : s.heapKb() / 1024.0);
        Spread t5rss = perRound(MEM, MESHGATE, s -> s.rssKb() < 0 ? Double.NaN : s.rssKb() / 1024.0);
        row(t, "T5", "live heap after GC with 1000 routes ≤ 60 MB", t5, "%.1f MB", v -> v <= 60, "");
        row(t, "T5", "RSS (VmHWM) ≤ 256 MB", t5rss, "%.0f MB", v -> v <= 256, "");
        Spread t6 = ratio(MESHGATE, W2, MESHGATE, W1, Sample::rps);
        row(t, "T6", "W2 TLS / W1 plaintext rps, Meshgate ≥ 0.75", t6, "%.2f", v -> v >= 0.75,
                context(W2, W1));
        Spread t7 = ratio(MESHGATE, W3, NGINX, W3, Sample::rps);
        row(t, "T7", "h2load rps Meshgate / nginx-h2 ≥ 0.8 (h2spec 146/146 is a separate check)", t7, "%.2f",
                v -> v >= 0.8, "");
        Spread t8s = ratio(MESHGATE, W5_SPREAD, MESHGATE, W1, Sample::rps);
        Spread t8w = ratio(MESHGATE, W5_WORST, MESHGATE, W1, Sample::rps);
        row(t, "T8", "W5 rps 1000 routes (spread) / 1 route ≥ 0.95", t8s, "%.2f", v -> v >= 0.95,
                context(W5_SPREAD, W1));
        row(t, "T8", "W5 rps 1000 routes (worst match) / 1 route ≥ 0.95", t8w, "%.2f", v -> v >= 0.95,
                context(W5_WORST, W1));
        Spread t9 = ratio(MESHGATE, W4_64K, DIRECT, W4_64K, Sample::rps);
        row(t, "T9", "W4 GET /64k rps / direct ≥ 0.50", t9, "%.2f", v -> v >= 0.5, flatHeap());
        Spread acc = perRound(W6, MESHGATE, Report::canaryPercent);
        long n = total(W6, MESHGATE, s -> canaryCount(s));
        row(t, "T10", "W6 canary share of v2 within 10 ± 1 %", acc, "%.2f %%", v -> Math.abs(v - 10) <= 1,
                n > 0 ? " (" + n + " requests" + (n < 100_000 ? ", fewer than 100000" : "") + ")" : "");
        Spread cost = ratio(MESHGATE, W6, MESHGATE, W6_SINGLE, Sample::rps);
        row(t, "T10", "W6 canary rps / single destination (same backends) ≥ 0.97 (cost ≤ 3%)", cost, "%.2f",
                v -> v >= 0.97, context(W6, W6_SINGLE));
        return t.toString();
    }

    private interface Check {
        boolean ok(double v);
    }

    private static void row(StringBuilder t, String id, String what, Spread s, String fmt, Check check, String more) {
        String verdict;
        if (!s.present()) {
            verdict = "not measured (Meshgate did not serve this workload)";
        } else {
            verdict = check.ok(s.median()) ? "**met**" : "**missed**";
            if (check.ok(s.median()) != check.ok(s.min()) || check.ok(s.median()) != check.ok(s.max())) {
                verdict += " (not in every round)";
            }
        }
        t.append("| ").append(id).append(" | ").append(what).append(" | ").append(s.format(fmt)).append(more)
                .append(" | ").append(verdict).append(" |\n");
    }

    /** The same ratio for nginx and HAProxy, as context for a target. */
    private String context(String a, String b) {
        List<String> parts = new ArrayList<>();
        for (String p : List.of(NGINX, HAPROXY)) {
            Spread s = ratio(p, a, p, b, Sample::rps);
            if (s.present()) {
                parts.add(p + " " + s.format("%.2f"));
            }
        }
        return parts.isEmpty() ? "" : "; " + String.join(", ", parts);
    }

    private String contextFixedRateCpu() {
        List<String> parts = new ArrayList<>();
        for (String p : List.of(NGINX, HAPROXY)) {
            Spread s = perRound(FR_PLAIN, p, x -> x.cpuSeconds() / x.seconds() * 1000.0 / Math.max(1, x.rps()));
            if (s.present()) {
                parts.add(p + " " + s.format("%.3f"));
            }
        }
        return parts.isEmpty() ? "" : "; " + String.join(", ", parts);
    }

    private String flatHeap() {
        Map<Integer, Sample> mem = byCase.getOrDefault(MEM, Map.of()).getOrDefault(MESHGATE, Map.of());
        List<Sample> m = mem.values().stream().filter(s -> s.heapKb() > 0).toList();
        if (m.size() < 2) {
            return "";
        }
        return String.format(Locale.ROOT, "; live heap after GC round %d → %d: %.1f → %.1f MB", m.get(0).round(),
                m.get(m.size() - 1).round(), m.get(0).heapKb() / 1024.0, m.get(m.size() - 1).heapKb() / 1024.0);
    }

    // ---- per-case tables ----

    private void caseTable(StringBuilder md, String key) {
        Map<String, Map<Integer, Sample>> peers = byCase.get(key);
        String[] wc = key.split("\t", 2);
        md.append("### ").append(wc[0]).append(": ").append(wc[1]).append("\n\n");
        String directKey = directKey(key);
        boolean fixedRate = key.startsWith("FR\t");
        if (fixedRate) {
            md.append("| peer | achieved rps | p50 / p90 / p99 ms | added p50 / p90 / p99 ms | vCPU at this rate | ")
                    .append("peak RSS MB | backend conns / requests |\n|---|---|---|---|---|---|---|\n");
        } else {
            md.append("| peer | rps | × direct | × nginx | p50 / p90 / p99 ms | added p50 / p90 / p99 ms | ")
                    .append("CPU s / 1000 req | peak RSS MB | backend conns / requests |\n")
                    .append("|---|---|---|---|---|---|---|---|---|\n");
        }
        for (Map.Entry<String, Map<Integer, Sample>> e : peers.entrySet()) {
            String peer = e.getKey();
            List<Sample> runs = new ArrayList<>(e.getValue().values());
            List<Sample> measured = runs.stream().filter(Sample::measured).toList();
            if (measured.isEmpty()) {
                String note = runs.isEmpty() ? "" : runs.get(0).note();
                md.append("| ").append(peer).append(" | ").append(note.isBlank() ? "not run" : note)
                        .append(fixedRate ? " | | | | | |\n" : " | | | | | | | |\n");
                continue;
            }
            Spread rps = perRound(key, peer, Sample::rps);
            String lat = perRound(key, peer, Sample::p50).format("%.2f") + " / "
                    + perRound(key, peer, Sample::p90).format("%.2f") + " / "
                    + perRound(key, peer, Sample::p99).format("%.2f");
            String added = peer.equals(DIRECT) ? "–"
                    : added(key, peer, Sample::p50).format("%.2f") + " / " + added(key, peer, Sample::p90).format("%.2f")
                    + " / " + added(key, peer, Sample::p99).format("%.2f");
            Spread rss = perRound(key, peer, s -> s.rssKb() < 0 ? Double.NaN : s.rssKb() / 1024.0);
            String conns = keepAliveCell(measured);
            if (fixedRate) {
                Spread vcpu = perRound(key, peer, s -> s.cpuSeconds() / s.seconds());
                md.append("| ").append(peer).append(" | ").append(rps.format("%.0f")).append(" | ").append(lat)
                        .append(" | ").append(added).append(" | ").append(vcpu.format("%.3f")).append(" | ")
                        .append(rss.format("%.0f")).append(" | ").append(conns).append(" |\n");
            } else {
                Spread vsDirect = peer.equals(DIRECT) ? Spread.NONE : ratio(peer, key, DIRECT, directKey, Sample::rps);
                Spread vsNginx = peer.equals(NGINX) ? Spread.NONE : ratio(peer, key, NGINX, key, Sample::rps);
                Spread cpu = perRound(key, peer, s -> s.requests() > 0 ? s.cpuSeconds() / s.requests() * 1000
                        : Double.NaN);
                md.append("| ").append(peer).append(" | ").append(rps.format("%.0f")).append(" | ")
                        .append(vsDirect.format("%.2f")).append(" | ").append(vsNginx.format("%.2f")).append(" | ")
                        .append(lat).append(" | ").append(added).append(" | ").append(cpu.format("%.4f"))
                        .append(" | ").append(rss.format("%.0f")).append(" | ").append(conns).append(" |\n");
            }
        }
        if (key.equals(W6)) {
            md.append("\nCanary share of v2 (counted from the backends' access logs):");
            for (String p : peers.keySet()) {
                Spread s = perRound(W6, p, Report::canaryPercent);
                if (s.present()) {
                    md.append(" ").append(p).append(" ").append(s.format("%.2f %%")).append(" over ")
                            .append(total(W6, p, Report::canaryCount)).append(" requests;");
                }
            }
            md.append('\n');
        }
        if (!directKey.equals(key)) {
            md.append("\n× direct and added latency are against direct plaintext (")
                    .append(directKey.replace('\t', ' ')).append(").\n");
        }
        if (key.equals(W3)) {
            md.append("\nPercentiles from h2load's per-request log (--log-file).\n");
        }
        md.append('\n');
    }

    private static String keepAliveCell(List<Sample> runs) {
        long accepts = 0;
        long requests = 0;
        for (Sample s : runs) {
            if (s.accepts() >= 0) {
                accepts += s.accepts();
            }
            if (s.requests() > 0) {
                requests += s.requests();
            }
        }
        return accepts + " / " + requests;
    }

    private void memory(StringBuilder md) {
        Map<String, Map<Integer, Sample>> mem = byCase.get(MEM);
        if (mem == null) {
            return;
        }
        md.append("### Memory\n\n| peer | live heap after GC MB (per round) | RSS VmHWM MB |\n|---|---|---|\n");
        for (Map.Entry<String, Map<Integer, Sample>> e : mem.entrySet()) {
            StringBuilder heaps = new StringBuilder();
            for (Sample s : e.getValue().values()) {
                heaps.append(s.heapKb() < 0 ? "–" : String.format(Locale.ROOT, "%.1f", s.heapKb() / 1024.0))
                        .append(' ');
            }
            md.append("| ").append(e.getKey()).append(" | ").append(heaps.toString().trim()).append(" | ")
                    .append(perRound(MEM, e.getKey(), s -> s.rssKb() / 1024.0).format("%.0f")).append(" |\n");
        }
        md.append('\n');
    }

    private void keepAlive(StringBuilder md) {
        md.append("## Upstream keep-alive proof\n\nNew connections the backend accepted (nginx stub_status ")
                .append("`accepts` before and after each run) against requests sent, over all runs of each peer. ")
                .append("A proxy that reuses its upstream connections opens a handful; one that does not opens ")
                .append("one per request. Direct runs open the load generator's own connections.\n\n")
                .append("| peer | backend accepts | requests | accepts per 1000 requests | verdict |\n|---|---|---|---|---|\n");
        Map<String, long[]> totals = new TreeMap<>(Report::peerCompare);
        for (Sample s : samples) {
            if (!s.measured() || s.accepts() < 0 || s.requests() <= 0 || s.key().equals(W2_HANDSHAKE)
                    || s.key().equals(W3)) {
                continue;
            }
            long[] t = totals.computeIfAbsent(s.peer(), k -> new long[2]);
            t[0] += s.accepts();
            t[1] += s.requests();
        }
        totals.forEach((peer, t) -> {
            double per1000 = t[1] == 0 ? Double.NaN : t[0] * 1000.0 / t[1];
            // without reuse it would be 1000 per 1000; a warming pool or an idle-pool purge adds a few
            String verdict = peer.equals(DIRECT) ? "(client connections)"
                    : per1000 < 10 ? "upstream connections reused" : "**connections not reused**";
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f | %s |%n", peer, t[0], t[1], per1000, verdict));
        });
        md.append("\nLeft out of this sum, shown in their own rows above: the handshake-heavy W2 run, and W3 (h2load ")
                .append("keeps 1000 streams in flight; a proxy needs that many HTTP/1.1 upstream connections and ")
                .append("nginx keeps only `keepalive 128` of them idle, so it opens and closes the rest).\n\n");
    }

    private String headline(String name) {
        StringBuilder h = new StringBuilder();
        h.append("Latest run: [").append(name).append("](results/").append(name).append(".md)");
        if (meta.containsKey("rounds")) {
            h.append(", ").append(meta.get("rounds")).append(" rounds × ").append(meta.getOrDefault("duration", "?"))
                    .append(" s");
        }
        h.append(". Throughput relative to nginx proxy (median [min–max]):\n\n");
        h.append("| workload | nginx rps | HAProxy × nginx | Meshgate × nginx |\n|---|---|---|---|\n");
        for (String key : List.of(W1, W2, W3, W4_1K, W4_64K, W4_POST, W5_SPREAD, W5_WORST, W6)) {
            if (!byCase.containsKey(key)) {
                continue;
            }
            h.append("| ").append(key.replace('\t', ' ')).append(" | ")
                    .append(perRound(key, NGINX, Sample::rps).format("%.0f")).append(" | ")
                    .append(ratio(HAPROXY, key, NGINX, key, Sample::rps).format("%.2f")).append(" | ")
                    .append(orNotYet(key, ratio(MESHGATE, key, NGINX, key, Sample::rps))).append(" |\n");
        }
        h.append('\n');
        return h.toString();
    }

    private String orNotYet(String key, Spread s) {
        if (s.present()) {
            return s.format("%.2f");
        }
        Map<Integer, Sample> m = byCase.getOrDefault(key, Map.of()).getOrDefault(MESHGATE, Map.of());
        return m.isEmpty() ? "–" : m.values().iterator().next().note();
    }

    // ---- plots ----

    private List<String> writePlots(Path dir, String name) throws IOException {
        List<String> files = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        Set<String> series = new LinkedHashSet<>();
        Map<String, Map<String, Plots.Bar>> values = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Map<Integer, Sample>>> c : byCase.entrySet()) {
            if (c.getKey().startsWith("FR\t") || c.getKey().equals(MEM)) {
                continue;
            }
            String g = c.getKey().replace('\t', ' ');
            Map<String, Plots.Bar> row = new LinkedHashMap<>();
            for (String peer : c.getValue().keySet()) {
                Spread s = perRound(c.getKey(), peer, x -> x.rps() / 1000.0);
                if (s.present()) {
                    row.put(peer, new Plots.Bar(s.median(), s.min(), s.max()));
                    series.add(peer);
                }
            }
            if (!row.isEmpty()) {
                groups.add(g);
                values.put(g, row);
            }
        }
        List<String> ordered = PEER_ORDER.stream().filter(series::contains).toList();
        if (!groups.isEmpty()) {
            String f = name + "-throughput.png";
            Plots.bars(dir.resolve(f), "Throughput per workload (median of rounds, whiskers: min–max)",
                    "thousand requests / s", groups, ordered, values);
            files.add(f);
        }
        for (String key : List.of(FR_PLAIN, FR_TLS)) {
            Map<String, List<double[]>> curves = fixedRateCurves(key);
            if (!curves.isEmpty()) {
                String f = name + (key.equals(FR_PLAIN) ? "-latency-1000rps.png" : "-latency-1000rps-tls.png");
                Plots.percentiles(dir.resolve(f), "Latency at a fixed " + key.split("\t")[1]
                        + " (open loop, all rounds merged)", curves);
                files.add(f);
            }
        }
        Map<String, List<double[]>> wrk = new LinkedHashMap<>();
        for (String peer : PEER_ORDER) {
            Spread p50 = perRound(W1, peer, Sample::p50);
            if (!p50.present()) {
                continue;
            }
            wrk.put(peer, List.of(new double[]{50, p50.median()},
                    new double[]{75, perRound(W1, peer, Sample::p75).median()},
                    new double[]{90, perRound(W1, peer, Sample::p90).median()},
                    new double[]{99, perRound(W1, peer, Sample::p99).median()}));
        }
        if (!wrk.isEmpty()) {
            String f = name + "-latency-w1-closed-loop.png";
            Plots.percentiles(dir.resolve(f), "W1 GET /ok closed loop (wrk -c50): latency percentiles, median of rounds",
                    wrk);
            files.add(f);
        }
        return files;
    }

    private Map<String, List<double[]>> fixedRateCurves(String key) {
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        Map<String, Map<Integer, Sample>> peers = byCase.getOrDefault(key, Map.of());
        for (Map.Entry<String, Map<Integer, Sample>> e : peers.entrySet()) {
            Histogram merged = null;
            for (Sample s : e.getValue().values()) {
                String file = s.extra().get("hist");
                if (file == null || !Files.exists(Path.of(file))) {
                    continue;
                }
                try {
                    Histogram h = decode(Files.readString(Path.of(file)).trim());
                    if (merged == null) {
                        merged = h;
                    } else {
                        merged.add(h);
                    }
                } catch (IOException | DataFormatException | IllegalArgumentException ex) {
                    System.err.println("report: skipping histogram " + file + ": " + ex.getMessage());
                }
            }
            if (merged == null || merged.getTotalCount() == 0) {
                continue;
            }
            List<double[]> pts = new ArrayList<>();
            for (HistogramIterationValue v : merged.percentiles(5)) {
                pts.add(new double[]{v.getPercentileLevelIteratedTo(), v.getValueIteratedTo() / 1e6});
                if (v.getPercentileLevelIteratedTo() >= 99.99) {
                    break;
                }
            }
            curves.put(e.getKey(), pts);
        }
        return curves;
    }

    static Histogram decode(String base64) throws DataFormatException {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    }

    // ---- per-round arithmetic ----

    private String directKey(String key) {
        Map<String, Map<Integer, Sample>> peers = byCase.get(key);
        if (peers != null && peers.containsKey(DIRECT)
                && peers.get(DIRECT).values().stream().anyMatch(Sample::measured)) {
            return key;
        }
        return DIRECT_FALLBACK.getOrDefault(key, key);
    }

    private Map<Integer, Sample> runs(String key, String peer) {
        return byCase.getOrDefault(key, Map.of()).getOrDefault(peer, Map.of());
    }

    Spread perRound(String key, String peer, ToDoubleFunction<Sample> f) {
        List<Double> v = new ArrayList<>();
        for (Sample s : runs(key, peer).values()) {
            if (s.measured()) {
                v.add(f.applyAsDouble(s));
            }
        }
        return Spread.of(v);
    }

    /** Per round: f(peerA on caseA) / f(peerB on caseB); the median of those. */
    Spread ratio(String peerA, String caseA, String peerB, String caseB, ToDoubleFunction<Sample> f) {
        Map<Integer, Sample> b = runs(caseB, peerB);
        List<Double> v = new ArrayList<>();
        for (Map.Entry<Integer, Sample> e : runs(caseA, peerA).entrySet()) {
            Sample sb = b.get(e.getKey());
            if (e.getValue().measured() && sb != null && sb.measured()) {
                v.add(f.applyAsDouble(e.getValue()) / f.applyAsDouble(sb));
            }
        }
        return Spread.of(v);
    }

    /** Per round: the peer's latency minus direct's (on the direct case for this key). */
    Spread added(String key, String peer, ToDoubleFunction<Sample> f) {
        Map<Integer, Sample> d = runs(directKey(key), DIRECT);
        List<Double> v = new ArrayList<>();
        for (Map.Entry<Integer, Sample> e : runs(key, peer).entrySet()) {
            Sample sd = d.get(e.getKey());
            if (e.getValue().measured() && sd != null && sd.measured()) {
                v.add(f.applyAsDouble(e.getValue()) - f.applyAsDouble(sd));
            }
        }
        return Spread.of(v);
    }

    private long total(String key, String peer, java.util.function.ToLongFunction<Sample> f) {
        long t = 0;
        for (Sample s : runs(key, peer).values()) {
            if (s.measured()) {
                t += f.applyAsLong(s);
            }
        }
        return t;
    }

    static double canaryPercent(Sample s) {
        long n = canaryCount(s);
        return n <= 0 ? Double.NaN : 100.0 * Long.parseLong(s.extra().getOrDefault("v2", "0")) / n;
    }

    static long canaryCount(Sample s) {
        try {
            return Long.parseLong(s.extra().getOrDefault("v1", "0")) + Long.parseLong(s.extra().getOrDefault("v2", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int peerCompare(String a, String b) {
        int ia = PEER_ORDER.indexOf(a);
        int ib = PEER_ORDER.indexOf(b);
        ia = ia < 0 ? PEER_ORDER.size() : ia;
        ib = ib < 0 ? PEER_ORDER.size() : ib;
        return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
    }
}
