package dev.meshgate.cli;

import dev.meshgate.admin.AdminOptions;
import dev.meshgate.admin.auth.TokenFile;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The admin API flags of {@code run}. */
public final class AdminFlags {

    @Option(names = "--admin-port", paramLabel = "PORT", defaultValue = "" + AdminOptions.DEFAULT_PORT,
            description = "Port of the admin API (default: ${DEFAULT-VALUE}); 0 picks a free port and logs it.")
    int port = AdminOptions.DEFAULT_PORT;

    @Option(names = "--admin-bind", paramLabel = "ADDRESS", defaultValue = AdminOptions.DEFAULT_HOST,
            description = "Address of the admin API (default: ${DEFAULT-VALUE}). Anything but loopback needs "
                    + "--admin-tokens.")
    String bind = AdminOptions.DEFAULT_HOST;

    @Option(names = "--admin-tokens", paramLabel = "FILE",
            description = "Bearer tokens with roles (lines of 'token role [name]'). Without it the admin API is "
                    + "read-only and loopback-only.")
    Path tokens;

    @Option(names = "--admin-audit-log", paramLabel = "FILE",
            description = "Append a JSON line per admin write to FILE (default: the log).")
    Path auditLog;

    @Option(names = "--no-admin", description = "Do not start the admin API.")
    boolean disabled;

    public boolean enabled() {
        return !disabled;
    }

    /** @throws IllegalArgumentException naming the flag when a value is bad */
    public AdminOptions toOptions() {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--admin-port: " + port + " is not a port (0 picks a free one)");
        }
        AdminOptions o = new AdminOptions().setHost(bind).setPort(port).setAuditLog(auditLog);
        if (tokens != null) {
            try {
                o.setTokens(TokenFile.load(tokens));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("--admin-tokens " + tokens + ": " + e.getMessage(), e);
            }
        }
        return o;
    }
}
