package dev.meshgate.config.model.networking;

/**
 * A redirect response instead of forwarding.
 *
 * <p>{@code port} and {@code derivePort} are Istio's {@code redirect_port} oneof (at most one set).
 * {@code redirectCode} is filled with 301 when absent or 0 (virtual_service.proto: "Default is 301").
 *
 * @param uri           replaces the whole path; exclusive with {@code prefixRewrite}
 * @param authority     replaces the host
 * @param port          explicit port, or null
 * @param derivePort    port derivation, or null
 * @param scheme        null keeps the request's scheme
 * @param redirectCode  301, 302, 303, 307 or 308
 * @param prefixRewrite replaces the matched prefix [master]
 */
public record HTTPRedirect(
        String uri,
        String authority,
        Integer port,
        RedirectPortSelection derivePort,
        String scheme,
        Integer redirectCode,
        String prefixRewrite) {

    public static final int DEFAULT_REDIRECT_CODE = 301;

    public HTTPRedirect {
        redirectCode = redirectCode == null || redirectCode == 0 ? DEFAULT_REDIRECT_CODE : redirectCode;
    }

    public enum RedirectPortSelection {
        FROM_PROTOCOL_DEFAULT,
        FROM_REQUEST_PORT
    }
}
