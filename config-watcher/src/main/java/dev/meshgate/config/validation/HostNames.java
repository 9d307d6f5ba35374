package dev.meshgate.config.validation;

import io.netty.util.NetUtil;

import java.util.Locale;

/**
 * Host-name syntax and matching as Istio defines them (pkg/config/host, pkg/config/validation/agent):
 * DNS-1123 labels, an optional wildcard only in the left-most label, {@code *.foo.com} a plain suffix match on
 * {@code .foo.com} (so it matches {@code a.b.foo.com} but never {@code foo.com}), comparison case-insensitive.
 * Every check returns {@code null} when the input is fine, else the reason in diagnostic wording.
 */
public final class HostNames {

    private static final int MAX_NAME = 255;
    private static final int MAX_LABEL = 63;

    private HostNames() {
    }

    /** A DNS-1123 label: 1-63 letters, digits and '-', starting and ending with a letter or digit. */
    public static boolean isDnsLabel(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LABEL) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && !(c == '-' && i > 0 && i < s.length() - 1)) {
                return false;
            }
        }
        return true;
    }

    /** Lower-case DNS-1123 label, as Kubernetes requires for namespaces and resource names. */
    public static boolean isLowerDnsLabel(String s) {
        return isDnsLabel(s) && s.equals(s.toLowerCase(Locale.ROOT));
    }

    /** A DNS-1123 subdomain (Kubernetes object names): lower-case labels joined by dots, at most 253 chars. */
    public static boolean isDnsSubdomain(String s) {
        if (s == null || s.isEmpty() || s.length() > 253) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!isLowerDnsLabel(label)) {
                return false;
            }
        }
        return true;
    }

    public static boolean isIp(String s) {
        return s != null && (NetUtil.isValidIpV4Address(s) || NetUtil.isValidIpV6Address(s));
    }

    /** An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). */
    public static String checkIpOrCidr(String s) {
        if (s == null || s.isEmpty()) {
            return "must not be empty";
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return isIp(s) ? null : "\"" + s + "\" is not a valid IP address";
        }
        String addr = s.substring(0, slash);
        String bits = s.substring(slash + 1);
        int max = NetUtil.isValidIpV4Address(addr) ? 32 : NetUtil.isValidIpV6Address(addr) ? 128 : -1;
        if (max < 0 || !bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > max) {
            return "\"" + s + "\" is not a valid CIDR block";
        }
        return null;
    }

    /** A fully-qualified (or short) DNS name without wildcards; a trailing dot is allowed. */
    public static String checkFqdn(String name) {
        String pre = preconditions(name);
        if (pre != null) {
            return pre;
        }
        return checkLabels(name, name);
    }

    /**
     * A DNS name whose left-most label may be a wildcard: {@code *}, {@code *.foo.com}, and (as Istio allows)
     * the partial forms {@code *foo.com} / {@code *-foo.com}; see {@link #isPartialWildcard(String)}.
     */
    public static String checkWildcardDomain(String name) {
        String pre = preconditions(name);
        if (pre != null) {
            return pre;
        }
        int dot = name.indexOf('.');
        String first = dot < 0 ? name : name.substring(0, dot);
        if (!isWildcardLabel(first)) {
            if (name.indexOf('*', 1) > 0) {
                return "host \"" + name + "\" is invalid: a wildcard is only allowed as the left-most label";
            }
            return "host \"" + name + "\" is invalid: label \"" + first + "\" is not a DNS-1123 label";
        }
        if (dot < 0) {
            return null;
        }
        return checkLabels(name, name.substring(dot + 1));
    }

    /** {@code *foo.com}: a wildcard that is neither {@code *} nor a whole left-most label {@code *.}. */
    public static boolean isPartialWildcard(String name) {
        return name.contains("*") && !name.equals("*") && !name.startsWith("*.");
    }

    public static boolean isWildcard(String name) {
        return name.startsWith("*");
    }

    /**
     * Istio's {@code host.Name.Matches}: true when the two (possibly wildcard) names share at least one concrete
     * host name. Used for "do these overlap" questions such as a VirtualService host against a Gateway host.
     */
    public static boolean intersects(String a, String b) {
        a = a.toLowerCase(Locale.ROOT);
        b = b.toLowerCase(Locale.ROOT);
        boolean wa = isWildcard(a);
        boolean wb = isWildcard(b);
        if (wa && wb) {
            String sa = a.substring(1);
            String sb = b.substring(1);
            return sa.length() > sb.length() ? sa.endsWith(sb) : sb.endsWith(sa);
        }
        if (wa) {
            return b.endsWith(a.substring(1));
        }
        if (wb) {
            return a.endsWith(b.substring(1));
        }
        return a.equals(b);
    }

    /** Istio's {@code host.Name.SubsetOf}: every name {@code a} matches is also matched by {@code b}. */
    public static boolean subsetOf(String a, String b) {
        a = a.toLowerCase(Locale.ROOT);
        b = b.toLowerCase(Locale.ROOT);
        if (isWildcard(b)) {
            return a.endsWith(b.substring(1)) && (!isWildcard(a) || a.length() >= b.length());
        }
        return !isWildcard(a) && a.equals(b);
    }

    /**
     * The registry name a (possibly short) host stands for, as Istio resolves it against the namespace of the
     * resource that names it: {@code reviews} in {@code default} is {@code reviews.default.svc.cluster.local}.
     * Names with a dot, wildcards and IPs are returned unchanged (lower-cased).
     */
    public static String resolveShortName(String host, String namespace) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.contains(".") || h.contains("*") || isIp(h) || h.contains(":")) {
            return h;
        }
        return h + "." + namespace + ".svc.cluster.local";
    }

    private static boolean isWildcardLabel(String label) {
        if (label.equals("*")) {
            return true;
        }
        if (label.startsWith("*-")) {
            return isDnsLabel(label.substring(2));
        }
        if (label.startsWith("*")) {
            return isDnsLabel(label.substring(1));
        }
        return isDnsLabel(label);
    }

    private static String preconditions(String name) {
        if (name == null || name.isEmpty()) {
            return "host must not be empty";
        }
        if (name.length() > MAX_NAME) {
            return "host \"" + abbreviate(name) + "\" is too long (max " + MAX_NAME + " characters)";
        }
        return null;
    }

    private static String checkLabels(String whole, String domain) {
        String[] parts = domain.split("\\.", -1);
        String tld = parts[parts.length - 1];
        if (!tld.isEmpty() && tld.chars().allMatch(Character::isDigit)) {
            return "host \"" + whole + "\" is invalid: top-level domain \"" + tld + "\" is all-numeric";
        }
        for (int i = 0; i < parts.length; i++) {
            String label = parts[i];
            if (i == parts.length - 1 && label.isEmpty() && parts.length > 1) {
                return null; // trailing dot: "istio.io."
            }
            if (label.contains("*")) {
                return "host \"" + whole + "\" is invalid: a wildcard is only allowed as the left-most label";
            }
            if (!isDnsLabel(label)) {
                return "host \"" + whole + "\" is invalid: label \"" + label + "\" is not a DNS-1123 label";
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
