package dev.meshgate.admin.auth;

/**
 * Who is calling, as written to the audit log: {@code token:alice}, {@code cert:CN=ops}, or
 * {@link #ANONYMOUS} when no credentials are configured.
 */
public record Principal(String name, Role role) {

    /** The caller when the server runs without credentials: loopback only, read-only. */
    public static final Principal ANONYMOUS = new Principal("anonymous", Role.VIEWER);
}
