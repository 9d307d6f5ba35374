package dev.meshgate.gateway.route;

import java.util.List;
import java.util.Locale;

/** gRPC status names as Istio's fault abort {@code grpcStatus} spells them. */
final class GrpcStatus {

    private static final List<String> NAMES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE",
            "DATA_LOSS", "UNAUTHENTICATED");

    private GrpcStatus() {
    }

    /** The numeric code of a status name (or of a number written as text). */
    static int code(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        int i = NAMES.indexOf(n);
        if (i >= 0) {
            return i;
        }
        try {
            int v = Integer.parseInt(n);
            if (v >= 0 && v <= 16) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new IllegalArgumentException("unknown gRPC status '" + name + "'");
    }
}
