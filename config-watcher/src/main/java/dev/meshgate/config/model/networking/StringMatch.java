package dev.meshgate.config.model.networking;

/**
 * Istio's StringMatch oneof: at most one of exact / prefix / regex (validators enforce it). Regexes are RE2 and
 * must match the whole value. In header and query matches an empty StringMatch is a presence check.
 */
public record StringMatch(String exact, String prefix, String regex) {

    /** {@code regex: "*"} is not RE2; Istio turns it into a presence match (route.go canBeConvertedToPresentMatch). */
    public static final String PRESENCE_REGEX = "*";

    public static StringMatch exact(String value) {
        return new StringMatch(value, null, null);
    }

    public static StringMatch prefix(String value) {
        return new StringMatch(null, value, null);
    }

    public static StringMatch regex(String value) {
        return new StringMatch(null, null, value);
    }

    /** Which alternative is set; the first set one in declaration order if a validator has not yet run. */
    public Type kind() {
        if (exact != null) {
            return Type.EXACT;
        }
        if (prefix != null) {
            return Type.PREFIX;
        }
        if (regex != null) {
            return Type.REGEX;
        }
        return Type.PRESENCE;
    }

    /** The value of the set alternative; null for a presence match. */
    public String value() {
        return switch (kind()) {
            case EXACT -> exact;
            case PREFIX -> prefix;
            case REGEX -> regex;
            case PRESENCE -> null;
        };
    }

    /** Number of alternatives set; anything but 0 or 1 is invalid. */
    public int alternativesSet() {
        return (exact != null ? 1 : 0) + (prefix != null ? 1 : 0) + (regex != null ? 1 : 0);
    }

    /** True for {@code {}} and for Istio's {@code regex: "*"} special case. */
    public boolean isPresenceMatch() {
        return alternativesSet() == 0 || (alternativesSet() == 1 && PRESENCE_REGEX.equals(regex));
    }

    public enum Type {
        EXACT,
        PREFIX,
        REGEX,
        PRESENCE
    }
}
