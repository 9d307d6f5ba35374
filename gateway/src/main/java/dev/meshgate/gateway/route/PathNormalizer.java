package dev.meshgate.gateway.route;

import java.util.ArrayList;
import java.util.List;

/**
 * Envoy's default path normalization as Istio configures it ({@code PATH_NORMALIZATION=BASE}): RFC 3986 dot
 * segment removal, where {@code %2E} counts as a dot; {@code ..} above the root is clamped to the root; repeated
 * slashes, {@code %2F} and every other escape are left alone. A path that does not start with '/' or holds an
 * invalid percent escape cannot be normalized: the caller answers 400, as Envoy does.
 */
public final class PathNormalizer {

    private PathNormalizer() {
    }

    /** The normalized path (no query), or null when the path is invalid. */
    public static String normalize(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        boolean mayNeedWork = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length() || PercentCodec.hex(path.charAt(i + 1)) < 0
                        || PercentCodec.hex(path.charAt(i + 2)) < 0) {
                    return null;
                }
                mayNeedWork = true;
            } else if (c == '.') {
                mayNeedWork = true;
            }
        }
        if (!mayNeedWork) {
            return path;
        }
        List<String> out = new ArrayList<>();
        boolean trailingSlash = false;
        int start = 1;
        while (true) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String seg = path.substring(start, end);
            boolean last = slash < 0;
            int dots = dotCount(seg);
            if (dots == 1) {
                trailingSlash = true;
            } else if (dots == 2) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                trailingSlash = true;
            } else {
                out.add(seg);
                trailingSlash = false;
            }
            if (last) {
                break;
            }
            start = slash + 1;
        }
        StringBuilder sb = new StringBuilder(path.length());
        for (String s : out) {
            sb.append('/').append(s);
        }
        if (trailingSlash || sb.length() == 0) {
            sb.append('/');
        }
        return sb.toString();
    }

    /** 1 for "." and 2 for ".." (either may be spelled %2E), else 0. */
    private static int dotCount(String seg) {
        int dots = 0;
        int i = 0;
        while (i < seg.length()) {
            if (seg.charAt(i) == '.') {
                i++;
            } else if (seg.startsWith("%2e", i) || seg.startsWith("%2E", i)) {
                i += 3;
            } else {
                return 0;
            }
            dots++;
            if (dots > 2) {
                return 0;
            }
        }
        return dots;
    }
}
