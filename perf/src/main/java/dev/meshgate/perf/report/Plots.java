package dev.meshgate.perf.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Two plain charts drawn with java.awt (headless): grouped bars with whiskers and percentile curves. */
public final class Plots {

    private static final int W = 1200;
    private static final int H = 620;
    private static final int LEFT = 90;
    private static final int RIGHT = 200;
    private static final int TOP = 60;
    private static final int BOTTOM = 130;
    private static final Color[] PALETTE = {
            new Color(0x59, 0x59, 0x59), new Color(0x2c, 0x7f, 0xb8), new Color(0xe6, 0x55, 0x0d),
            new Color(0x31, 0xa3, 0x54), new Color(0x75, 0x6b, 0xb1), new Color(0xd9, 0x48, 0x01)};

    /** The same peer gets the same colour in every plot. */
    private static final java.util.List<String> KNOWN = java.util.List.of("direct", "nginx", "haproxy", "meshgate");

    private Plots() {
    }

    private static Color colorFor(String series, int position) {
        int k = KNOWN.indexOf(series);
        return PALETTE[(k >= 0 ? k : KNOWN.size() + position) % PALETTE.length];
    }

    /** One bar per series inside each group; the whisker spans min..max. */
    public record Bar(double median, double min, double max) {
    }

    public static void bars(Path out, String title, String yLabel, List<String> groups, List<String> series,
                            Map<String, Map<String, Bar>> values) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, title);
        double maxV = 0;
        for (Map<String, Bar> m : values.values()) {
            for (Bar b : m.values()) {
                maxV = Math.max(maxV, Double.isNaN(b.max) ? b.median : b.max);
            }
        }
        maxV = niceCeiling(maxV <= 0 ? 1 : maxV);
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        yAxisLinear(g, maxV, yLabel, plotH);
        double groupW = (double) plotW / Math.max(1, groups.size());
        double barW = groupW * 0.8 / Math.max(1, series.size());
        for (int gi = 0; gi < groups.size(); gi++) {
            String group = groups.get(gi);
            Map<String, Bar> row = values.getOrDefault(group, Map.of());
            for (int si = 0; si < series.size(); si++) {
                Bar b = row.get(series.get(si));
                if (b == null || Double.isNaN(b.median)) {
                    continue;
                }
                int x = (int) (LEFT + gi * groupW + groupW * 0.1 + si * barW);
                int y = yOf(b.median, maxV, plotH);
                g.setColor(colorFor(series.get(si), si));
                g.fillRect(x, y, Math.max(1, (int) barW - 2), TOP + plotH - y);
                if (!Double.isNaN(b.min) && !Double.isNaN(b.max) && b.max > b.min) {
                    int cx = x + (int) (barW - 2) / 2;
                    g.setColor(Color.BLACK);
                    g.setStroke(new BasicStroke(1.5f));
                    int y1 = yOf(b.min, maxV, plotH);
                    int y2 = yOf(b.max, maxV, plotH);
                    g.drawLine(cx, y1, cx, y2);
                    g.drawLine(cx - 4, y1, cx + 4, y1);
                    g.drawLine(cx - 4, y2, cx + 4, y2);
                }
            }
            g.setColor(Color.BLACK);
            drawRotated(g, group, (int) (LEFT + gi * groupW + groupW / 2), TOP + plotH + 8);
        }
        legend(g, series);
        write(img, out);
    }

    /**
     * Latency against percentile, HdrHistogram style: x is log10(1 / (1 - p)), so 90%, 99%, 99.9% are evenly
     * spaced; y is logarithmic so sub-millisecond medians and noisy tails both stay readable.
     *
     * @param curves series name to points (percentile in 0..100, latency in ms)
     */
    public static void percentiles(Path out, String title, Map<String, List<double[]>> curves) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img, title);
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        double maxX = 2; // up to 99%
        for (List<double[]> pts : curves.values()) {
            for (double[] p : pts) {
                if (p[1] > 0) {
                    minY = Math.min(minY, p[1]);
                    maxY = Math.max(maxY, p[1]);
                }
                maxX = Math.max(maxX, xOf(p[0]));
            }
        }
        if (maxY == 0) {
            minY = 0.01;
            maxY = 1;
        }
        double lo = Math.floor(Math.log10(minY));
        double hi = Math.ceil(Math.log10(maxY));
        if (hi <= lo) {
            hi = lo + 1;
        }
        maxX = Math.min(5, Math.ceil(maxX));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        // y grid: decades
        for (double d = lo; d <= hi; d++) {
            int y = (int) (TOP + plotH - (d - lo) / (hi - lo) * plotH);
            g.setColor(new Color(0xdd, 0xdd, 0xdd));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.BLACK);
            String label = fmtMs(Math.pow(10, d));
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 5);
        }
        // x grid: 0, 90, 99, 99.9 ...
        String[] xl = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int d = 0; d <= maxX; d++) {
            int x = (int) (LEFT + d / maxX * plotW);
            g.setColor(new Color(0xdd, 0xdd, 0xdd));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.BLACK);
            g.drawString(xl[d], x - g.getFontMetrics().stringWidth(xl[d]) / 2, TOP + plotH + 20);
        }
        g.drawString("percentile", LEFT + plotW / 2 - 30, TOP + plotH + 45);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString("latency (ms, log scale)", -(TOP + plotH / 2) - 70, 25);
        g.setTransform(saved);
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        int si = 0;
        for (Map.Entry<String, List<double[]>> e : curves.entrySet()) {
            g.setColor(colorFor(e.getKey(), si++));
            g.setStroke(new BasicStroke(2.5f));
            int px = -1;
            int py = -1;
            for (double[] p : e.getValue()) {
                double xv = xOf(p[0]);
                if (xv > maxX || p[1] <= 0) {
                    continue;
                }
                int x = (int) (LEFT + xv / maxX * plotW);
                int y = (int) (TOP + plotH - (Math.log10(p[1]) - lo) / (hi - lo) * plotH);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
        }
        legend(g, new ArrayList<>(curves.keySet()));
        write(img, out);
    }

    /** Convenience for callers that build curves in order. */
    public static Map<String, List<double[]>> curves() {
        return new LinkedHashMap<>();
    }

    private static double xOf(double percentile) {
        double q = 1 - percentile / 100.0;
        return q <= 0 ? 6 : Math.log10(1 / q);
    }

    private static Graphics2D canvas(BufferedImage img, String title) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, LEFT, 35);
        return g;
    }

    private static void yAxisLinear(Graphics2D g, double maxV, String yLabel, int plotH) {
        int plotW = W - LEFT - RIGHT;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int i = 0; i <= 5; i++) {
            double v = maxV * i / 5;
            int y = yOf(v, maxV, plotH);
            g.setColor(new Color(0xdd, 0xdd, 0xdd));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.BLACK);
            String s = v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
            g.drawString(s, LEFT - 8 - g.getFontMetrics().stringWidth(s), y + 5);
        }
        g.drawRect(LEFT, TOP, plotW, plotH);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(TOP + plotH / 2) - g.getFontMetrics().stringWidth(yLabel) / 2, 25);
        g.setTransform(saved);
    }

    private static int yOf(double v, double maxV, int plotH) {
        return (int) (TOP + plotH - v / maxV * plotH);
    }

    private static void drawRotated(Graphics2D g, String s, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(Math.PI / 7);
        g.drawString(s, -fm.stringWidth(s) / 6, fm.getAscent());
        g.setTransform(saved);
    }

    private static void legend(Graphics2D g, List<String> series) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int x = W - RIGHT + 20;
        int y = TOP + 10;
        for (int i = 0; i < series.size(); i++) {
            g.setColor(colorFor(series.get(i), i));
            g.fillRect(x, y + i * 24, 16, 16);
            g.setColor(Color.BLACK);
            g.drawString(series.get(i), x + 24, y + i * 24 + 13);
        }
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String fmtMs(double v) {
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%s", Double.toString(v).replaceAll("0+$", ""));
    }

    private static void write(BufferedImage img, Path out) throws IOException {
        if (!ImageIO.write(img, "png", out.toFile())) {
            throw new IOException("no PNG writer");
        }
    }
}
