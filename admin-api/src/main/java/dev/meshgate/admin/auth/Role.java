package dev.meshgate.admin.auth;

import java.util.Locale;

/** What a caller may do: viewers read, editors also write. */
public enum Role {
    VIEWER, EDITOR;

    public boolean canWrite() {
        return this == EDITOR;
    }

    /** Parses {@code viewer}/{@code editor} (any case); null for anything else. */
    public static Role parse(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "viewer" -> VIEWER;
            case "editor" -> EDITOR;
            default -> null;
        };
    }

    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
