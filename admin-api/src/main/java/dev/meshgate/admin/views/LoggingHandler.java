package dev.meshgate.admin.views;

import dev.meshgate.admin.audit.AuditEntry;
import dev.meshgate.admin.audit.Auditor;
import dev.meshgate.admin.auth.Caller;
import dev.meshgate.admin.resources.ApiError;
import dev.meshgate.admin.resources.Bodies;
import dev.meshgate.admin.resources.Responses;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * {@code GET /logging} lists the loggers with an explicit level; {@code POST /logging} sets one, from a JSON/YAML
 * body {@code {"logger": "dev.meshgate.gateway", "level": "debug"}} or query parameters
 * {@code ?logger=...&level=...} (no logger: the root logger). Levels: java.util.logging names (SEVERE ... FINEST,
 * OFF, ALL) or error, warn, info, debug, trace.
 */
public final class LoggingHandler {

    /** java.util.logging holds loggers weakly; a level set here must outlive the next GC. */
    private final Map<String, Logger> pinned = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final Auditor auditor;

    public LoggingHandler(Vertx vertx, Auditor auditor) {
        this.vertx = vertx;
        this.auditor = auditor;
    }

    public void get(RoutingContext ctx) {
        Responses.send(ctx, 200, levels());
    }

    public void post(RoutingContext ctx) {
        Context context = vertx.getOrCreateContext();
        String name = ctx.queryParams().get("logger");
        String levelName = ctx.queryParams().get("level");
        try {
            String text = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString();
            if (!text.isBlank()) {
                Map<String, Object> body = Bodies.parseObject(ctx.request().getHeader("Content-Type"), text);
                name = body.get("logger") == null ? name : body.get("logger").toString();
                levelName = body.get("level") == null ? levelName : body.get("level").toString();
            }
            if (levelName == null) {
                throw ApiError.badRequest("level is required (e.g. {\"logger\": \"dev.meshgate\", \"level\": \"debug\"})");
            }
            Level level = parse(levelName);
            String loggerName = name == null ? "" : name;
            Logger logger = pinned.computeIfAbsent(loggerName, Logger::getLogger);
            Level old = logger.getLevel();
            logger.setLevel(level);
            AuditEntry entry = new AuditEntry(Instant.now(), Caller.of(ctx).name(), "set-log-level",
                    "logger " + (loggerName.isEmpty() ? "<root>" : loggerName) + " "
                            + (old == null ? "inherit" : old.getName()) + " -> " + level.getName(),
                    null, null, false, 200);
            auditor.record(entry).onComplete(done -> context.runOnContext(v -> Responses.send(ctx, 200, levels())));
        } catch (ApiError e) {
            Responses.error(ctx, e);
        }
    }

    private static JsonObject levels() {
        Map<String, Object> out = new TreeMap<>();
        LogManager lm = LogManager.getLogManager();
        for (String n : Collections.list(lm.getLoggerNames())) {
            Logger l = lm.getLogger(n);
            if (l != null && l.getLevel() != null) {
                out.put(n.isEmpty() ? "<root>" : n, l.getLevel().getName());
            }
        }
        return new JsonObject().put("loggers", new JsonObject(out));
    }

    static Level parse(String s) {
        String v = s.strip().toUpperCase(Locale.ROOT);
        switch (v) {
            case "ERROR", "CRITICAL" -> {
                return Level.SEVERE;
            }
            case "WARN" -> {
                return Level.WARNING;
            }
            case "DEBUG" -> {
                return Level.FINE;
            }
            case "TRACE" -> {
                return Level.FINEST;
            }
            default -> {
                try {
                    return Level.parse(v);
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("unknown level \"" + s + "\"; use one of error, warn, info, debug,"
                            + " trace, or a java.util.logging level (SEVERE, WARNING, INFO, CONFIG, FINE, FINER,"
                            + " FINEST, OFF, ALL)");
                }
            }
        }
    }
}
