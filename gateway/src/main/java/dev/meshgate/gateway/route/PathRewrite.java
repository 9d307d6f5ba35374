package dev.meshgate.gateway.route;

import com.google.re2j.Pattern;

/**
 * HTTPRewrite's path part, compiled per match because Envoy's prefix_rewrite depends on how the route matched.
 * Paths here never carry the query string; the caller re-appends it.
 */
public sealed interface PathRewrite {

    String apply(String path);

    /** Envoy prefix_rewrite on a prefix match: the matched prefix is replaced, the rest kept. */
    record Prefix(int matchedLength, String replacement) implements PathRewrite {
        @Override
        public String apply(String path) {
            return replacement + path.substring(Math.min(matchedLength, path.length()));
        }
    }

    /** prefix_rewrite on an exact or regex match replaces the whole path. */
    record Whole(String replacement) implements PathRewrite {
        @Override
        public String apply(String path) {
            return replacement;
        }
    }

    /**
     * uriRegexRewrite: every match of {@code pattern} is substituted (Envoy regex_rewrite); {@code replacement}
     * is already in RE2/J syntax ({@code \1} turned into {@code $1}).
     */
    record Regex(Pattern pattern, String replacement) implements PathRewrite {
        @Override
        public String apply(String path) {
            return pattern.matcher(path).replaceAll(replacement);
        }

        /** Istio writes groups as {@code \1}; RE2/J wants {@code $1} and a literal '$' escaped. */
        public static String toJavaReplacement(String istio) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < istio.length(); i++) {
                char c = istio.charAt(i);
                if (c == '\\' && i + 1 < istio.length() && Character.isDigit(istio.charAt(i + 1))) {
                    sb.append('$').append(istio.charAt(++i));
                } else if (c == '$' || c == '\\') {
                    sb.append('\\').append(c);
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }
}
