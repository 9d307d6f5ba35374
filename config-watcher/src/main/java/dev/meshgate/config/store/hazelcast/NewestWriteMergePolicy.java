package dev.meshgate.config.store.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import com.hazelcast.spi.merge.SplitBrainMergeTypes.MapMergeTypes;

/**
 * How {@code meshgate.resources} heals after a network split: per key, the version written last wins, and a
 * deletion counts as a version ({@link StoredEntry}'s tombstone). A user who edited or deleted a resource on either
 * side sees their latest action survive, whichever side Hazelcast merges into which; a delete is never undone by
 * the other side's older copy, and a later edit on the other side beats an earlier delete.
 *
 * <p>Unlike Hazelcast's {@code LatestUpdateMergePolicy} the order comes from the stored value itself (the write time
 * and resourceVersion of the replica that took the write), not from per-entry statistics, so it is the same on
 * every member and covers deletes. Both compare wall clocks: replicas should run NTP.
 */
public final class NewestWriteMergePolicy
        implements SplitBrainMergePolicy<String, MapMergeTypes<Object, String>, Object> {

    @Override
    public Object merge(MapMergeTypes<Object, String> merging, MapMergeTypes<Object, String> existing) {
        if (merging == null) {
            return existing == null ? null : existing.getRawValue();
        }
        if (existing == null) {
            return merging.getRawValue();
        }
        String m = merging.getValue();
        String e = existing.getValue();
        if (m == null) {
            return existing.getRawValue();
        }
        if (e == null) {
            return merging.getRawValue();
        }
        return StoredEntry.of(m).compareTo(StoredEntry.of(e)) > 0 ? merging.getRawValue() : existing.getRawValue();
    }

    @Override
    public void writeData(ObjectDataOutput out) {
        // stateless
    }

    @Override
    public void readData(ObjectDataInput in) {
        // stateless
    }
}
