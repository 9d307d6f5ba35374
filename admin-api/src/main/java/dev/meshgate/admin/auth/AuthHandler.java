package dev.meshgate.admin.auth;

import dev.meshgate.admin.resources.ApiError;
import dev.meshgate.admin.resources.Responses;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs first on every admin route: who is calling (401 if nobody we know), and may they write (403)?
 * Reads are GET, HEAD and OPTIONS; everything else is a write and needs the editor role.
 */
public final class AuthHandler implements Handler<RoutingContext> {

    public static final String READ_ONLY_MESSAGE = "the admin API is read-only because no credentials are configured;"
            + " to enable writes, give it bearer tokens (a file of \"token role\" lines, roles viewer and editor:"
            + " --admin-tokens FILE) or client-certificate roles with mutual TLS";

    private final Credentials credentials;

    public AuthHandler(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void handle(RoutingContext ctx) {
        boolean write = isWrite(ctx.request().method());
        if (!credentials.configured()) {
            if (write) {
                Responses.error(ctx, new ApiError(403, "Forbidden", READ_ONLY_MESSAGE));
                return;
            }
            Caller.set(ctx, Principal.ANONYMOUS);
            ctx.next();
            return;
        }
        Principal p = credentials.authenticate(ctx.request().getHeader("Authorization"),
                () -> ctx.request().connection().peerCertificates());
        if (p == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"meshgate-admin\"");
            Responses.error(ctx, new ApiError(401, "Unauthorized", ctx.request().getHeader("Authorization") == null
                    ? "authentication required: send Authorization: Bearer <token>" + (credentials.usesClientCerts()
                    ? " or a client certificate with a mapped name" : "")
                    : "unknown or malformed credentials"));
            return;
        }
        if (write && !p.role().canWrite()) {
            Responses.error(ctx, new ApiError(403, "Forbidden", p.name() + " has role " + p.role().lowerName()
                    + " and may not " + ctx.request().method().name() + " " + ctx.request().path()
                    + "; writes need the editor role"));
            return;
        }
        Caller.set(ctx, p);
        ctx.next();
    }

    static boolean isWrite(HttpMethod m) {
        return !(HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m) || HttpMethod.OPTIONS.equals(m));
    }
}
