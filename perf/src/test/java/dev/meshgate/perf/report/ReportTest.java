package dev.meshgate.perf.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    private static String row(int round, String wl, String cs, String peer, String rps, String p50, String p99,
                              long requests, long accepts, String extra, String note) {
        return String.join("\t", String.valueOf(round), wl, cs, peer, "wrk", rps, p50, "NA", p50, p99,
                String.valueOf(requests), "0", "1.00", "20480", "NA", String.valueOf(accepts), "5", extra, note);
    }

    @Test
    void spreadIsTheMedianOfRoundsWithMinAndMax() {
        Spread s = Spread.of(List.of(3.0, 1.0, 2.0, Double.NaN));
        assertEquals(2.0, s.median());
        assertEquals(1.0, s.min());
        assertEquals(3.0, s.max());
        assertEquals(3, s.n());
        assertEquals(2.5, Spread.of(List.of(1.0, 2.0, 3.0, 4.0)).median());
        assertEquals("2.00 [1.00–3.00]", s.format("%.2f"));
        assertFalse(Spread.of(List.of()).present());
    }

    @Test
    void ratiosAreTakenWithinARoundThenTheMedian() {
        List<String> lines = new ArrayList<>();
        lines.add(Sample.HEADER);
        // round 1: meshgate/nginx = 0.5; round 2: 1.0; round 3: 2.0 -> median 1.0 (a pooled mean would differ)
        double[][] rps = {{10_000, 5_000}, {20_000, 20_000}, {5_000, 10_000}};
        for (int r = 0; r < 3; r++) {
            lines.add(row(r + 1, "W1", "GET /ok", "direct", "40000", "0.5", "2", 200_000, 50, "", ""));
            lines.add(row(r + 1, "W1", "GET /ok", "nginx", String.valueOf(rps[r][0]), "1.0", "3", 50_000, 0, "", ""));
            lines.add(row(r + 1, "W1", "GET /ok", "meshgate", String.valueOf(rps[r][1]), "1.5", "4", 50_000, 2, "", ""));
            lines.add(row(r + 1, "W2", "TLS GET /ok", "meshgate", "NA", "NA", "NA", -1, -1, "",
                    "not yet supported (probe answered 000)"));
        }
        Report report = new Report(Sample.parseAll(lines), Map.of());
        Spread t1 = report.ratio("meshgate", Report.W1, "nginx", Report.W1, Sample::rps);
        assertEquals(1.0, t1.median(), 1e-9);
        assertEquals(0.5, t1.min(), 1e-9);
        assertEquals(2.0, t1.max(), 1e-9);
        Spread added = report.added(Report.W1, "meshgate", Sample::p50);
        assertEquals(1.0, added.median(), 1e-9);
        assertFalse(report.ratio("meshgate", Report.W2, "meshgate", Report.W1, Sample::rps).present());
    }

    @Test
    void writesTheReportWithTargetsUnsupportedRowsAndReadablePlots(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int r = 1; r <= 2; r++) {
            lines.add(row(r, "W1", "GET /ok", "direct", "40000", "0.5", "2", 200_000, 50, "", ""));
            lines.add(row(r, "W1", "GET /ok", "nginx", "20000", "1.0", "3", 100_000, 0, "", ""));
            lines.add(row(r, "W1", "GET /ok", "meshgate", "19000", "1.1", "3", 95_000, 1, "", ""));
            lines.add(row(r, "W6", "canary 90/10", "meshgate", "18000", "1.1", "3", 90_000, 0, "v1=81000;v2=9000", ""));
            lines.add(row(r, "W2", "TLS GET /ok", "meshgate", "NA", "NA", "NA", -1, -1, "",
                    "not yet supported (probe answered 000)"));
        }
        Path raw = dir.resolve("raw.tsv");
        Files.write(raw, lines);
        Path headline = dir.resolve("headline.md");
        Report.main(new String[]{"--raw", raw.toString(), "--out", dir.toString(), "--name", "t", "--headline",
                headline.toString()});
        String md = Files.readString(dir.resolve("t.md"));
        assertTrue(md.contains("| T1 | W1 rps Meshgate / nginx proxy ≥ 0.90 (stretch ≥ 1.0) | 0.95 | **met** |"), md);
        assertTrue(md.contains("| T10 | W6 canary share of v2 within 10 ± 1 % | 10.00 % (180000 requests) | **met** |"),
                md);
        assertTrue(md.contains("not yet supported (probe answered 000)"), md);
        assertTrue(md.contains("| meshgate | 2 | 370000 | 0.005 | upstream connections reused |"), md);
        assertTrue(Files.readString(headline).contains("| W1 GET /ok | 20000 | – | 0.95 |"));
        BufferedImage png = ImageIO.read(dir.resolve("t-throughput.png").toFile());
        assertNotNull(png, "throughput plot is a PNG");
        assertTrue(png.getWidth() >= 800 && png.getHeight() >= 400);
        assertNotNull(ImageIO.read(dir.resolve("t-latency-w1-closed-loop.png").toFile()));
    }
}
