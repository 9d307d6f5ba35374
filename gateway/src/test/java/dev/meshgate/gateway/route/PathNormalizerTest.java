package dev.meshgate.gateway.route;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PathNormalizerTest {

    @Test
    void plainPathsAreUntouched() {
        assertEquals("/", PathNormalizer.normalize("/"));
        assertEquals("/productpage", PathNormalizer.normalize("/productpage"));
        assertEquals("/a/b/", PathNormalizer.normalize("/a/b/"));
    }

    @Test
    void dotSegmentsAreRemoved() {
        assertEquals("/b", PathNormalizer.normalize("/a/../b"));
        assertEquals("/a/b", PathNormalizer.normalize("/a/./b"));
        assertEquals("/a/", PathNormalizer.normalize("/a/."));
        assertEquals("/", PathNormalizer.normalize("/a/.."));
        assertEquals("/a/c/", PathNormalizer.normalize("/a/b/../c/./"));
        assertEquals("/a..b/.c", PathNormalizer.normalize("/a..b/.c"));
    }

    @Test
    void escapesAboveTheRootAreClamped() {
        assertEquals("/etc/passwd", PathNormalizer.normalize("/../../etc/passwd"));
        assertEquals("/", PathNormalizer.normalize("/.."));
    }

    @Test
    void percentEncodedDotsCountAsDots() {
        assertEquals("/secret", PathNormalizer.normalize("/public/%2e%2E/secret"));
        assertEquals("/a/b", PathNormalizer.normalize("/a/%2e/b"));
    }

    @Test
    void slashesAndEncodedSlashesAreLeftAlone() {
        assertEquals("/a//b", PathNormalizer.normalize("/a//b"));
        assertEquals("/a%2F..%2Fb", PathNormalizer.normalize("/a%2F..%2Fb"));
        assertEquals("/x%20y", PathNormalizer.normalize("/x%20y"));
    }

    @Test
    void invalidPathsAreRejected() {
        assertNull(PathNormalizer.normalize("/a%zzb"));
        assertNull(PathNormalizer.normalize("/a%2"));
        assertNull(PathNormalizer.normalize("noslash"));
        assertNull(PathNormalizer.normalize(""));
        assertNull(PathNormalizer.normalize(null));
    }
}
