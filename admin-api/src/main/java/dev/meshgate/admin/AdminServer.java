package dev.meshgate.admin;

import dev.meshgate.admin.audit.AuditLog;
import dev.meshgate.admin.audit.Auditor;
import dev.meshgate.admin.auth.AuthHandler;
import dev.meshgate.admin.auth.Credentials;
import dev.meshgate.admin.resources.ApiError;
import dev.meshgate.admin.resources.ResourceCodec;
import dev.meshgate.admin.resources.ResourceHandler;
import dev.meshgate.admin.resources.Responses;
import dev.meshgate.admin.resources.WriteValidator;
import dev.meshgate.admin.views.AdminViews;
import dev.meshgate.admin.views.LoggingHandler;
import dev.meshgate.admin.views.ViewsHandler;
import dev.meshgate.config.diag.ResourceValidator;
import dev.meshgate.config.store.ConfigLayers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;

/**
 * The admin API: Kubernetes-style resource endpoints over the API layer, read-only views of the data plane, log
 * levels and the OpenAPI document, behind bearer-token or client-certificate authentication.
 *
 * <pre>
 * AdminServer admin = AdminServer.builder(vertx)
 *     .options(new AdminOptions().setTokens(TokenFile.load(path)).setAuditLog(auditPath))
 *     .resources(configLayers, codec, WriteValidator.of(validator))
 *     .views(views)
 *     .build();
 * admin.start().await();
 * </pre>
 */
public final class AdminServer {

    public static final String OPENAPI_RESOURCE = "/dev/meshgate/admin/openapi.yaml";

    private final Vertx vertx;
    private final AdminOptions options;
    private final AuditLog auditLog;
    private final Router router;
    private HttpServer server;

    private AdminServer(Builder b) {
        this.vertx = b.vertx;
        this.options = b.options;
        this.auditLog = options.auditLog() == null ? null : AuditLog.toFile(options.auditLog());
        Auditor auditor = b.auditor != null ? b.auditor : auditLog != null ? auditLog::append : Auditor.LOG_ONLY;
        this.router = router(b, auditor);
    }

    public static Builder builder(Vertx vertx) {
        return new Builder(vertx);
    }

    private Router router(Builder b, Auditor auditor) {
        Router r = Router.router(vertx);
        r.route().handler(new AuthHandler(options.credentials()));
        if (b.layers != null) {
            new ResourceHandler(vertx, b.layers, b.codec, b.validator, auditor).mount(r, options.bodyLimit());
        } else {
            r.route("/apis/*").handler(ctx -> Responses.unavailable(ctx, "the resource API is not enabled"));
        }
        ViewsHandler views = new ViewsHandler(vertx, b.views, b.codec);
        r.get("/config_dump").handler(views::configDump);
        r.get("/status").handler(views::status);
        r.get("/listeners").handler(views.json("/listeners", AdminViews::listeners));
        r.get("/routes").handler(views.json("/routes", AdminViews::routes));
        r.get("/clusters").handler(views.json("/clusters", AdminViews::clusters));
        r.get("/certs").handler(views.json("/certs", AdminViews::certs));
        r.get("/cluster/members").handler(views.json("/cluster/members", AdminViews::members));
        LoggingHandler logging = new LoggingHandler(vertx, auditor);
        r.get("/logging").handler(logging::get);
        r.post("/logging").handler(BodyHandler.create(false).setBodyLimit(64 * 1024)).handler(logging::post);
        Buffer openapi = openapi();
        r.get("/openapi.yaml").handler(ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(openapi));
        r.errorHandler(404, ctx -> Responses.error(ctx, ApiError.notFound("no such admin endpoint: "
                + ctx.request().path())));
        r.errorHandler(405, ctx -> Responses.error(ctx, new ApiError(405, "MethodNotAllowed",
                ctx.request().method().name() + " is not supported on " + ctx.request().path())));
        r.errorHandler(413, ctx -> Responses.error(ctx, new ApiError(413, "RequestEntityTooLarge",
                "request body larger than " + options.bodyLimit() + " bytes")));
        r.errorHandler(500, ctx -> Responses.error(ctx, new ApiError(500, "InternalError",
                "internal error: " + (ctx.failure() == null ? "unknown" : ctx.failure().getMessage()))));
        return r;
    }

    /** Binds; fails without binding when the options are unsafe (no credentials on a non-loopback address). */
    public Future<AdminServer> start() {
        Credentials creds = options.credentials();
        if (!creds.configured() && !isLoopback(options.host())) {
            return Future.failedFuture(new IllegalStateException("refusing to bind the admin API to "
                    + options.host() + " without credentials: configure bearer tokens or mutual TLS, or bind it to"
                    + " a loopback address (the default is " + AdminOptions.DEFAULT_HOST + ")"));
        }
        if (creds.usesClientCerts() && options.tls() == null) {
            return Future.failedFuture(new IllegalStateException(
                    "client-certificate roles are configured but TLS is not: set AdminOptions.setTls"));
        }
        HttpServerOptions so = new HttpServerOptions().setHost(options.host()).setPort(options.port());
        ServerSSLOptions tls = options.tls();
        if (tls != null) {
            so.setSsl(true)
                    .setKeyCertOptions(tls.getKeyCertOptions())
                    .setTrustOptions(tls.getTrustOptions())
                    .setClientAuth(creds.usesClientCerts() ? ClientAuth.REQUIRED : tls.getClientAuth());
        }
        so = options.serverOptionsCustomizer().apply(so);
        server = vertx.createHttpServer(so).requestHandler(router);
        return server.listen().map(s -> this);
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    public Router router() {
        return router;
    }

    public Future<Void> close() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.andThen(ar -> {
            if (auditLog != null) {
                auditLog.close();
            }
        });
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static Buffer openapi() {
        try (InputStream in = AdminServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " missing from the admin-api jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + OPENAPI_RESOURCE, e);
        }
    }

    /** Assembles an {@link AdminServer}; everything but the Vertx instance is optional. */
    public static final class Builder {
        private final Vertx vertx;
        private AdminOptions options = new AdminOptions();
        private ConfigLayers layers;
        private ResourceCodec codec;
        private WriteValidator validator = WriteValidator.NONE;
        private AdminViews views = new AdminViews();
        private Auditor auditor;

        private Builder(Vertx vertx) {
            this.vertx = Objects.requireNonNull(vertx);
        }

        public Builder options(AdminOptions options) {
            this.options = Objects.requireNonNull(options);
            return this;
        }

        /** Enables {@code /apis/...}: writes go to {@code layers.store()}, conflicts are checked against its file layer. */
        public Builder resources(ConfigLayers layers, ResourceCodec codec, WriteValidator validator) {
            this.layers = Objects.requireNonNull(layers);
            this.codec = Objects.requireNonNull(codec);
            this.validator = validator == null ? WriteValidator.NONE : validator;
            return this;
        }

        public Builder resources(ConfigLayers layers, ResourceCodec codec, ResourceValidator validator) {
            return resources(layers, codec, validator == null ? WriteValidator.NONE : WriteValidator.of(validator));
        }

        /** The codec used by {@code /config_dump} when the resource API is not enabled. */
        public Builder codec(ResourceCodec codec) {
            this.codec = codec;
            return this;
        }

        public Builder views(AdminViews views) {
            this.views = Objects.requireNonNull(views);
            return this;
        }

        /** Overrides where audit entries go (default: {@link AdminOptions#auditLog()}, else the log). */
        public Builder auditor(Auditor auditor) {
            this.auditor = auditor;
            return this;
        }

        public AdminServer build() {
            return new AdminServer(this);
        }
    }
}
