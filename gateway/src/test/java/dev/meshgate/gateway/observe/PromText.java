package dev.meshgate.gateway.observe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A strict parser for the Prometheus text exposition format 0.0.4, for tests: every line must be a comment
 * (HELP/TYPE or free text) or a valid sample; a family's TYPE comes before its samples and at most once; sample
 * names must belong to the family (histogram: _bucket/_sum/_count); no duplicate series; histogram buckets are
 * cumulative and the +Inf bucket equals _count. Throws IllegalArgumentException naming the line on any violation.
 */
final class PromText {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PromText parse(String text) {
        PromText p = new PromText();
        p.doParse(text);
        p.checkHistograms();
        return p;
    }

    /** Sum of the values of samples called {@code name} whose labels include all of {@code match}. */
    double sum(String name, Map<String, String> match) {
        double total = 0;
        for (Sample s : samples) {
            if (s.name.equals(name) && s.labels.entrySet().containsAll(match.entrySet())) {
                total += s.value;
            }
        }
        return total;
    }

    List<Sample> series(String name) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.name.equals(name)) {
                out.add(s);
            }
        }
        return out;
    }

    private void doParse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("exposition must end with a newline");
        }
        Set<String> seen = new HashSet<>();
        Set<String> familiesWithSamples = new HashSet<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + lineNo + " '" + line + "': ";
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    String fam = parts[2];
                    checkName(fam, where);
                    String type = parts.length == 4 ? parts[3] : "";
                    if (!Set.of("counter", "gauge", "histogram", "summary", "untyped").contains(type)) {
                        throw new IllegalArgumentException(where + "bad type");
                    }
                    if (types.containsKey(fam)) {
                        throw new IllegalArgumentException(where + "second TYPE for " + fam);
                    }
                    if (familiesWithSamples.contains(fam)) {
                        throw new IllegalArgumentException(where + "TYPE after samples of " + fam);
                    }
                    types.put(fam, type);
                } else if (parts.length >= 3 && parts[1].equals("HELP")) {
                    checkName(parts[2], where);
                }
                continue;
            }
            Sample s = sample(line, where);
            String fam = familyOf(s.name);
            if (fam == null) {
                throw new IllegalArgumentException(where + "sample without a TYPE'd family");
            }
            familiesWithSamples.add(fam);
            String id = s.name + new TreeMap<>(s.labels);
            if (!seen.add(id)) {
                throw new IllegalArgumentException(where + "duplicate series");
            }
            samples.add(s);
        }
    }

    private String familyOf(String name) {
        if (types.containsKey(name)) {
            String t = types.get(name);
            return t.equals("histogram") || t.equals("summary") ? null : name;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count", "_total", "_created")) {
            if (name.endsWith(suffix)) {
                String fam = name.substring(0, name.length() - suffix.length());
                String t = types.get(fam);
                if (t == null) {
                    continue;
                }
                boolean ok = switch (t) {
                    case "histogram" -> !suffix.equals("_total");
                    case "summary" -> suffix.equals("_sum") || suffix.equals("_count") || suffix.equals("_created");
                    case "counter" -> suffix.equals("_total") || suffix.equals("_created");
                    default -> false;
                };
                if (ok) {
                    return fam;
                }
            }
        }
        return null;
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        checkName(name, where);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < n && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw new IllegalArgumentException(where + "label without '='");
                }
                String lname = line.substring(i, eq);
                if (!lname.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                    throw new IllegalArgumentException(where + "bad label name '" + lname + "'");
                }
                i = eq + 1;
                if (i >= n || line.charAt(i) != '"') {
                    throw new IllegalArgumentException(where + "label value not quoted");
                }
                i++;
                StringBuilder v = new StringBuilder();
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException(where + "unterminated label value");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw new IllegalArgumentException(where + "bad escape \\" + e);
                        }
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(lname, v.toString()) != null) {
                    throw new IllegalArgumentException(where + "label " + lname + " twice");
                }
                if (i < n && line.charAt(i) == ',') {
                    i++;
                } else if (i >= n || line.charAt(i) != '}') {
                    throw new IllegalArgumentException(where + "expected ',' or '}' after a label");
                }
            }
        }
        if (i >= n || line.charAt(i) != ' ') {
            throw new IllegalArgumentException(where + "expected a space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException(where + "expected value [timestamp]");
        }
        double value = number(rest[0], where);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "bad timestamp");
            }
        }
        return new Sample(name, labels, value);
    }

    static double number(String s, String where) {
        switch (s) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                if (!s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                    throw new IllegalArgumentException(where + "bad number '" + s + "'");
                }
                return Double.parseDouble(s);
        }
    }

    private static void checkName(String name, String where) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException(where + "bad metric name '" + name + "'");
        }
    }

    private void checkHistograms() {
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) {
                continue;
            }
            String fam = t.getKey();
            Map<Map<String, String>, TreeMap<Double, Double>> buckets = new HashMap<>();
            Map<Map<String, String>, Double> counts = new HashMap<>();
            for (Sample s : samples) {
                if (s.name.equals(fam + "_bucket")) {
                    Map<String, String> key = new TreeMap<>(s.labels);
                    String le = key.remove("le");
                    if (le == null) {
                        throw new IllegalArgumentException(fam + ": bucket without le");
                    }
                    buckets.computeIfAbsent(key, k -> new TreeMap<>()).put(number(le, fam + ": "), s.value);
                } else if (s.name.equals(fam + "_count")) {
                    counts.put(new TreeMap<>(s.labels), s.value);
                }
            }
            for (Map.Entry<Map<String, String>, TreeMap<Double, Double>> b : buckets.entrySet()) {
                double prev = 0;
                for (double v : b.getValue().values()) {
                    if (v < prev) {
                        throw new IllegalArgumentException(fam + b.getKey() + ": buckets not cumulative");
                    }
                    prev = v;
                }
                Double inf = b.getValue().get(Double.POSITIVE_INFINITY);
                if (inf == null || !inf.equals(counts.get(b.getKey()))) {
                    throw new IllegalArgumentException(fam + b.getKey() + ": +Inf bucket " + inf + " != _count "
                            + counts.get(b.getKey()));
                }
            }
        }
    }
}
