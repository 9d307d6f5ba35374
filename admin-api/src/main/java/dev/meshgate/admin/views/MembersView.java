package dev.meshgate.admin.views;

/**
 * {@code GET /cluster/members}: each replica and the config version it has applied. Expected shape:
 * <pre>{"members": [{"id": "...", "address": "10.0.0.5:5701", "local": true,
 *   "appliedVersion": 42, "appliedHash": "ab12...", "appliedAt": "2026-11-26T10:00:00Z"}]}</pre>
 */
@FunctionalInterface
public interface MembersView extends JsonView {
}
