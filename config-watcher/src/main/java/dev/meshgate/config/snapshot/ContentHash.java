package dev.meshgate.config.snapshot;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.yaml.ResourceEncoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Hex SHA-256 over the canonical JSON (sorted keys, source location left out) of resources already in snapshot
 * order: moving a resource to another file or line, reordering keys or adding comments is no content change.
 */
public final class ContentHash {

    private ContentHash() {
    }

    public static String of(List<Resource<?>> sortedResources) {
        MessageDigest md = sha256();
        for (Resource<?> r : sortedResources) {
            md.update(ResourceEncoder.canonicalJson(r).getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }

    /** The first 12 hex digits, enough to tell snapshots apart in a log line. */
    public static String shortHash(String hash) {
        return hash == null || hash.length() <= 12 ? String.valueOf(hash) : hash.substring(0, 12);
    }
}
