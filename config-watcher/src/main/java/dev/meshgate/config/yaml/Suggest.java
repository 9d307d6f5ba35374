package dev.meshgate.config.yaml;

import java.util.Collection;
import java.util.Locale;

/** "did you mean" for unknown field names: the nearest known name, only when it is close. */
final class Suggest {

    private Suggest() {
    }

    /** The closest candidate, or null when none is close enough to be a plausible typo. */
    static String nearest(String name, Collection<String> candidates) {
        String norm = normalise(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            // max_connections, MaxConnections, max-connections all mean maxConnections
            if (normalise(c).equals(norm)) {
                return c;
            }
            int d = distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int len = name.length();
        int allowed = len <= 3 ? 1 : len <= 8 ? 2 : 3;
        return bestDistance <= allowed ? best : null;
    }

    private static String normalise(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '_' && ch != '-') {
                sb.append(Character.toLowerCase(ch));
            }
        }
        return sb.toString();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        if (Math.abs(n - m) > 4) {
            return Math.abs(n - m);
        }
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
