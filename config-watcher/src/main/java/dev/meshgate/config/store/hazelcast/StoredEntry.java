package dev.meshgate.config.store.hazelcast;

import io.vertx.core.json.JsonObject;

/**
 * The text stored under a key of {@code meshgate.resources}: either a live resource
 * {@code {"at": <millis>, "resourceVersion": "<rv>", "source": "<file>", "resource": {...}}} or a deletion marker
 * (tombstone) {@code {"deleted": true, "at": <millis>, "resourceVersion": "<rv>"}}.
 *
 * <p>{@code at} is the wall-clock time of the replica that took the write and {@code resourceVersion} a cluster-unique
 * flake id; together they order two versions of one key when a split heals ({@link NewestWriteMergePolicy}). A
 * tombstone is kept (with a TTL) so that a delete made on one side of a split is a version the merge can compare,
 * not an absence the other side's copy would fill.
 */
record StoredEntry(boolean deleted, long at, long version) implements Comparable<StoredEntry> {

    /** Tombstones are written with this field first, so readers recognise them without parsing. */
    private static final String TOMBSTONE_PREFIX = "{\"deleted\":true";

    static boolean isTombstone(String text) {
        return text != null && text.startsWith(TOMBSTONE_PREFIX);
    }

    static String tombstone(long at, String resourceVersion) {
        return new JsonObject().put("deleted", true).put("at", at).put("resourceVersion", resourceVersion).encode();
    }

    /** The ordering fields of a stored text; text written by an older Meshgate (no {@code at}) orders first. */
    static StoredEntry of(String text) {
        JsonObject o = new JsonObject(text);
        return new StoredEntry(o.getBoolean("deleted", false), o.getLong("at", 0L), parseVersion(o));
    }

    private static long parseVersion(JsonObject o) {
        String rv = o.getString("resourceVersion");
        if (rv == null) {
            JsonObject r = o.getJsonObject("resource");
            JsonObject m = r == null ? null : r.getJsonObject("metadata");
            rv = m == null ? null : m.getString("resourceVersion");
        }
        try {
            return rv == null ? 0L : Long.parseLong(rv);
        } catch (NumberFormatException e) {
            return 0L;
        }
    }

    /** Later write time first; equal times (two replicas in one millisecond) fall back to the larger flake id. */
    @Override
    public int compareTo(StoredEntry o) {
        int byTime = Long.compare(at, o.at);
        return byTime != 0 ? byTime : Long.compare(version, o.version);
    }
}
