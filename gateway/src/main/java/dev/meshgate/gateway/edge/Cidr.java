package dev.meshgate.gateway.edge;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix from a VirtualService L4 match ({@code destinationSubnets}, {@code sourceSubnet}),
 * parsed once at compile time; a plain address is a /32 or /128.
 */
record Cidr(byte[] address, int prefix) {

    /** Parses {@code a.b.c.d[/n]} or {@code v6[/n]}; null when it is not one. Never resolves names. */
    static Cidr parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        byte[] addr = literal(slash < 0 ? s : s.substring(0, slash));
        if (addr == null) {
            return null;
        }
        int bits = addr.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                return null;
            }
        }
        return new Cidr(addr, prefix);
    }

    /**
     * The bytes of an IP literal (IPv4-mapped IPv6 comes back as IPv4), or null for anything else; only strings
     * that cannot be host names reach {@link InetAddress}, so this never does a DNS lookup.
     */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        boolean v6 = s.indexOf(':') >= 0;
        if (!v6) {
            int dots = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '.') {
                    dots++;
                } else if (c < '0' || c > '9') {
                    return null;
                }
            }
            if (dots != 3) {
                return null;
            }
        } else if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    boolean contains(byte[] ip) {
        if (ip == null || ip.length != address.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (ip[i] != address[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (ip[full] & mask) == (address[full] & mask);
    }
}
