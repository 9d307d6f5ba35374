package dev.meshgate.perf.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Median with min and max of per-round values; NaN values (a peer that did not run that round) are left out. */
public record Spread(double median, double min, double max, int n) {

    public static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    public static Spread of(Collection<Double> values) {
        List<Double> v = new ArrayList<>();
        for (Double d : values) {
            if (d != null && !d.isNaN() && !d.isInfinite()) {
                v.add(d);
            }
        }
        if (v.isEmpty()) {
            return NONE;
        }
        v.sort(Double::compare);
        int n = v.size();
        double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        return new Spread(median, v.get(0), v.get(n - 1), n);
    }

    public boolean present() {
        return n > 0;
    }

    /** {@code 0.92 [0.88–0.97]}; a single value has no range. */
    public String format(String pattern) {
        if (!present()) {
            return "–";
        }
        String m = String.format(Locale.ROOT, pattern, median);
        if (n == 1 || min == max) {
            return m;
        }
        return m + " [" + String.format(Locale.ROOT, pattern, min) + "–" + String.format(Locale.ROOT, pattern, max)
                + "]";
    }
}
