package dev.meshgate.gateway.route;

import com.google.re2j.Pattern;

import java.util.Locale;

/**
 * Istio's StringMatch compiled once. Exact and prefix are case-sensitive unless {@code ignoreCase} (only
 * {@code ignoreUriCase} sets it); regex is RE2 and must match the whole value, as Envoy's safe_regex does.
 */
public sealed interface StringMatcher {

    boolean matches(String value);

    /** {@code {}} or {@code regex: "*"}: the value only has to be there. */
    boolean isPresence();

    static StringMatcher exact(String v, boolean ignoreCase) {
        return new Exact(ignoreCase ? v.toLowerCase(Locale.ROOT) : v, ignoreCase);
    }

    static StringMatcher prefix(String v, boolean ignoreCase) {
        return new Prefix(ignoreCase ? v.toLowerCase(Locale.ROOT) : v, ignoreCase);
    }

    static StringMatcher regex(String re) {
        return new Regex(Pattern.compile(re));
    }

    record Exact(String value, boolean ignoreCase) implements StringMatcher {
        @Override
        public boolean matches(String v) {
            return v != null && (ignoreCase ? v.equalsIgnoreCase(value) : v.equals(value));
        }

        @Override
        public boolean isPresence() {
            return false;
        }
    }

    record Prefix(String value, boolean ignoreCase) implements StringMatcher {
        @Override
        public boolean matches(String v) {
            return v != null && v.regionMatches(ignoreCase, 0, value, 0, value.length());
        }

        @Override
        public boolean isPresence() {
            return false;
        }
    }

    record Regex(Pattern pattern) implements StringMatcher {
        @Override
        public boolean matches(String v) {
            return v != null && pattern.matches(v);
        }

        @Override
        public boolean isPresence() {
            return false;
        }

        @Override
        public String toString() {
            return "Regex[" + pattern.pattern() + "]";
        }
    }

    /** Matches any value that is there, including the empty string. */
    enum Present implements StringMatcher {
        INSTANCE;

        @Override
        public boolean matches(String v) {
            return v != null;
        }

        @Override
        public boolean isPresence() {
            return true;
        }
    }
}
