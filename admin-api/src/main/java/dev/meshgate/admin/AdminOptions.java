package dev.meshgate.admin;

import dev.meshgate.admin.auth.CertRoles;
import dev.meshgate.admin.auth.Credentials;
import dev.meshgate.admin.auth.TokenFile;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * How the admin server listens and whom it trusts. Defaults: 127.0.0.1:15000, no TLS, no credentials (then it is
 * read-only and refuses to bind anywhere but loopback), no audit file.
 */
public final class AdminOptions {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 15000;
    public static final long DEFAULT_BODY_LIMIT = 1024 * 1024;

    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private TokenFile tokens;
    private CertRoles certRoles;
    private ServerSSLOptions tls;
    private UnaryOperator<HttpServerOptions> serverOptionsCustomizer = UnaryOperator.identity();
    private Path auditLog;
    private long bodyLimit = DEFAULT_BODY_LIMIT;

    public String host() {
        return host;
    }

    public AdminOptions setHost(String host) {
        this.host = host;
        return this;
    }

    public int port() {
        return port;
    }

    /** 0 picks a free port (tests); read the bound one from {@link AdminServer#port()}. */
    public AdminOptions setPort(int port) {
        this.port = port;
        return this;
    }

    public TokenFile tokens() {
        return tokens;
    }

    /** Bearer tokens with roles (see {@link TokenFile} for the file format). */
    public AdminOptions setTokens(TokenFile tokens) {
        this.tokens = tokens;
        return this;
    }

    public CertRoles certRoles() {
        return certRoles;
    }

    /** Client-certificate SAN/CN to role; requires {@link #setTls}, and makes a client certificate mandatory. */
    public AdminOptions setCertRoles(CertRoles certRoles) {
        this.certRoles = certRoles;
        return this;
    }

    public ServerSSLOptions tls() {
        return tls;
    }

    /** Serve HTTPS with this key/cert (and trust, for client certificates). */
    public AdminOptions setTls(ServerSSLOptions tls) {
        this.tls = tls;
        return this;
    }

    public UnaryOperator<HttpServerOptions> serverOptionsCustomizer() {
        return serverOptionsCustomizer;
    }

    /** Last word on the HTTP server options (SSL engine, idle timeouts, ...), applied after everything above. */
    public AdminOptions setServerOptionsCustomizer(UnaryOperator<HttpServerOptions> customizer) {
        this.serverOptionsCustomizer = customizer == null ? UnaryOperator.identity() : customizer;
        return this;
    }

    public Path auditLog() {
        return auditLog;
    }

    /** JSON-lines audit log of every write and dry run; null disables auditing (writes are then only logged). */
    public AdminOptions setAuditLog(Path auditLog) {
        this.auditLog = auditLog;
        return this;
    }

    public long bodyLimit() {
        return bodyLimit;
    }

    public AdminOptions setBodyLimit(long bodyLimit) {
        this.bodyLimit = bodyLimit;
        return this;
    }

    public Credentials credentials() {
        return new Credentials(tokens, certRoles);
    }
}
