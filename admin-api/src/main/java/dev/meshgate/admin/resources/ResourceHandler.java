package dev.meshgate.admin.resources;

import dev.meshgate.admin.audit.AuditEntry;
import dev.meshgate.admin.audit.Auditor;
import dev.meshgate.admin.auth.Caller;
import dev.meshgate.admin.auth.Principal;
import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.ObjectMeta;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import dev.meshgate.config.model.SourceRef;
import dev.meshgate.config.store.ConfigLayers;
import dev.meshgate.config.store.ResourceStore;
import dev.meshgate.config.store.StoreException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Kubernetes-style resource endpoints over the API layer ({@link ResourceStore}):
 * {@code /apis/{group}/{version}/namespaces/{ns}/{plural}[/{name}]} and the cluster-wide list
 * {@code /apis/{group}/{version}/{plural}}. Decoding and validation run on worker threads; store calls are
 * Future-based; an event loop never waits.
 */
public final class ResourceHandler {

    private static final Logger LOG = Logger.getLogger(ResourceHandler.class.getName());

    public static final String BODY_SOURCE = "request-body";
    public static final String PATCH_SOURCE = "patched-object";
    /** The source of every resource written through the API, as later diagnostics name it. */
    public static final SourceRef API_SOURCE = SourceRef.of("admin-api");

    public static final String NS_PATH = "/apis/:group/:version/namespaces/:namespace/:plural";
    public static final String NAME_PATH = NS_PATH + "/:name";
    public static final String CLUSTER_PATH = "/apis/:group/:version/:plural";

    private static final int CAS_ATTEMPTS = 3;

    private final Vertx vertx;
    private final ConfigLayers layers;
    private final ResourceStore store;
    private final ResourceCodec codec;
    private final WriteValidator validator;
    private final Auditor auditor;
    private final KindIndex kinds = new KindIndex();

    public ResourceHandler(Vertx vertx, ConfigLayers layers, ResourceCodec codec, WriteValidator validator,
                           Auditor auditor) {
        this.vertx = vertx;
        this.layers = layers;
        this.store = layers.store();
        this.codec = codec;
        this.validator = validator;
        this.auditor = auditor;
    }

    public void mount(Router router, long bodyLimit) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimit);
        router.get(CLUSTER_PATH).handler(this::list);
        router.get(NS_PATH).handler(this::list);
        router.post(NS_PATH).handler(body).handler(this::create);
        router.get(NAME_PATH).handler(this::get);
        router.put(NAME_PATH).handler(body).handler(this::replace);
        router.patch(NAME_PATH).handler(body).handler(this::patch);
        router.delete(NAME_PATH).handler(body).handler(this::delete);
    }

    /** What the path addresses. */
    record Target(Kind kind, String group, String version, String plural, String namespace, String name,
                  boolean dryRun) {

        ResourceKey key() {
            return new ResourceKey(kind, namespace, name);
        }

        String apiVersion() {
            return group + "/" + version;
        }

        /** {@code virtualservices.networking.istio.io "reviews"}, as Kubernetes names objects in messages. */
        String qualified(String n) {
            return plural + "." + group + " \"" + n + "\"";
        }
    }

    /** A resource that passed decoding and validation, with the warnings to pass on. */
    record Checked(Resource<?> resource, String requestedVersion, List<Diagnostic> warnings) {
    }

    /** What the audit entry will say. */
    private static final class Attempt {
        final String verb;
        final Target target;
        String name;
        String oldVersion;
        String newVersion;

        Attempt(String verb, Target target) {
            this.verb = verb;
            this.target = target;
            this.name = target.name();
        }

        /** {@code networking.istio.io/v1 VirtualService default/reviews}; the name is unknown for an unreadable create. */
        String resource() {
            return target.apiVersion() + " " + target.kind().kind() + " " + target.namespace() + "/"
                    + (name == null ? "" : name);
        }
    }

    // ---- reads ----

    private void list(RoutingContext ctx) {
        Target t;
        try {
            t = target(ctx, false);
        } catch (ApiError e) {
            Responses.error(ctx, e);
            return;
        }
        store.list(t.kind(), t.namespace())
                .compose(items -> store.currentVersion().map(rv -> {
                    List<Object> encoded = new ArrayList<>(items.size());
                    for (Resource<?> r : items) {
                        encoded.add(encode(r, t));
                    }
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("apiVersion", t.apiVersion());
                    doc.put("kind", t.kind().kind() + "List");
                    doc.put("metadata", Map.of("resourceVersion", rv));
                    doc.put("items", encoded);
                    return doc;
                }))
                .onSuccess(doc -> Responses.send(ctx, 200, doc))
                .onFailure(e -> Responses.error(ctx, toApiError(e, t)));
    }

    private void get(RoutingContext ctx) {
        Target t;
        try {
            t = target(ctx, true);
        } catch (ApiError e) {
            Responses.error(ctx, e);
            return;
        }
        store.get(t.key())
                .onSuccess(r -> {
                    if (r == null) {
                        Responses.error(ctx, notFound(t));
                    } else {
                        Responses.send(ctx, 200, encode(r, t));
                    }
                })
                .onFailure(e -> Responses.error(ctx, toApiError(e, t)));
    }

    // ---- writes ----

    private void create(RoutingContext ctx) {
        write(ctx, "create", false, 201, (t, a) -> {
            String text = bodyText(ctx);
            return decode(t, ctx.request().getHeader("Content-Type"), text, BODY_SOURCE)
                    .andThen(ar -> {
                        if (ar.succeeded()) {
                            a.name = ar.result().resource().name();
                        }
                    })
                    .compose(c -> guardFileLayer(c.resource().key(), t).map(c))
                    .compose(this::validate)
                    .compose(c -> {
                        // creationTimestamp, resourceVersion and generation are the store's to set
                        ObjectMeta m = c.resource().metadata();
                        Resource<?> fresh = c.resource().withMetadata(new ObjectMeta(m.name(), m.namespace(),
                                m.labels(), m.annotations(), null, null, null));
                        if (t.dryRun()) {
                            return store.get(fresh.key()).compose(existing -> existing != null
                                    ? Future.failedFuture(alreadyExists(t, fresh.name()))
                                    : Future.succeededFuture(withResult(c, fresh)));
                        }
                        return store.create(fresh.withSource(API_SOURCE)).map(stored -> {
                            a.newVersion = stored.metadata().resourceVersion();
                            return withResult(c, stored);
                        });
                    });
        });
    }

    private void replace(RoutingContext ctx) {
        write(ctx, "update", true, 200, (t, a) -> {
            String text = bodyText(ctx);
            return guardFileLayer(t.key(), t)
                    .compose(v -> decode(t, ctx.request().getHeader("Content-Type"), text, BODY_SOURCE))
                    .compose(this::validate)
                    .compose(c -> commitReplace(t, a, c));
        });
    }

    private void patch(RoutingContext ctx) {
        write(ctx, "patch", true, 200, (t, a) -> {
            String ct = Bodies.mediaType(ctx.request().getHeader("Content-Type"));
            if (!Bodies.MERGE_PATCH.equals(ct)) {
                return Future.failedFuture(ApiError.unsupportedMediaType("unsupported patch type \"" + ct
                        + "\"; only JSON merge patch (Content-Type: application/merge-patch+json) is supported"));
            }
            Map<String, Object> patch = Bodies.parseObject(Bodies.JSON, bodyText(ctx));
            return guardFileLayer(t.key(), t)
                    .compose(v -> store.get(t.key()))
                    .compose(current -> {
                        if (current == null) {
                            return Future.failedFuture(notFound(t));
                        }
                        Object merged = MergePatch.apply(encode(current, t), patch);
                        return decode(t, Bodies.JSON, Json.encode(merged), PATCH_SOURCE);
                    })
                    .compose(this::validate)
                    .compose(c -> commitReplace(t, a, c));
        });
    }

    private void delete(RoutingContext ctx) {
        write(ctx, "delete", true, 200, (t, a) -> {
            String text = bodyText(ctx);
            String precondition = text.isBlank() ? null : preconditionOf(
                    Bodies.parseObject(ctx.request().getHeader("Content-Type"), text));
            return guardFileLayer(t.key(), t)
                    .compose(v -> store.get(t.key()))
                    .compose(current -> {
                        if (current == null) {
                            return Future.failedFuture(notFound(t));
                        }
                        String rv = current.metadata().resourceVersion();
                        a.oldVersion = rv;
                        if (precondition != null && !precondition.equals(rv)) {
                            return Future.failedFuture(stale(t, precondition, rv));
                        }
                        if (t.dryRun()) {
                            return Future.succeededFuture(new Checked(current, null, List.of()));
                        }
                        return store.delete(t.key(), rv).map(old -> new Checked(old, null, List.of()));
                    });
        });
    }

    /**
     * Replace with compare-and-swap: a request that names a resourceVersion must match it; one that does not is
     * applied to the version read just before (retried a few times if another write slips in), so the audit entry
     * always knows the exact old version.
     */
    private Future<Checked> commitReplace(Target t, Attempt a, Checked c) {
        return commitReplace(t, a, c, CAS_ATTEMPTS);
    }

    private Future<Checked> commitReplace(Target t, Attempt a, Checked c, int attemptsLeft) {
        return store.get(t.key()).compose(current -> {
            if (current == null) {
                return Future.failedFuture(notFound(t));
            }
            String rv = current.metadata().resourceVersion();
            a.oldVersion = rv;
            String requested = c.requestedVersion();
            if (requested != null && !requested.equals(rv)) {
                return Future.failedFuture(stale(t, requested, rv));
            }
            // server-owned metadata comes from the stored object, whatever the body said
            ObjectMeta m = c.resource().metadata();
            ObjectMeta cm = current.metadata();
            Resource<?> next = c.resource().withMetadata(new ObjectMeta(m.name(), m.namespace(), m.labels(),
                    m.annotations(), cm.creationTimestamp(), rv, cm.generation()));
            if (t.dryRun()) {
                return Future.succeededFuture(withResult(c, next));
            }
            return store.replace(next.withSource(API_SOURCE), rv)
                    .map(stored -> {
                        a.newVersion = stored.metadata().resourceVersion();
                        return withResult(c, stored);
                    })
                    .recover(e -> {
                        if (requested == null && attemptsLeft > 1 && e instanceof StoreException se
                                && se.reason() == StoreException.Reason.CONFLICT) {
                            return commitReplace(t, a, c, attemptsLeft - 1);
                        }
                        return Future.failedFuture(e);
                    });
        });
    }

    @FunctionalInterface
    private interface WriteBody {
        Future<Checked> run(Target t, Attempt a);
    }

    private void write(RoutingContext ctx, String verb, boolean named, int successCode, WriteBody body) {
        Context context = vertx.getOrCreateContext();
        Target t;
        try {
            t = target(ctx, named);
        } catch (ApiError e) {
            Responses.error(ctx, e);
            return;
        }
        Attempt a = new Attempt(verb, t);
        Future<Checked> result;
        try {
            result = body.run(t, a);
        } catch (ApiError e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            int code;
            Object doc;
            List<Diagnostic> warnings = List.of();
            if (ar.succeeded()) {
                code = successCode;
                doc = encode(ar.result().resource(), t);
                warnings = ar.result().warnings();
            } else {
                ApiError e = toApiError(ar.cause(), t);
                code = e.code();
                doc = e.toStatus();
            }
            Principal p = Caller.of(ctx);
            AuditEntry entry = new AuditEntry(Instant.now(), p.name(), verb, a.resource(), a.oldVersion,
                    a.newVersion, t.dryRun(), code);
            List<Diagnostic> w = warnings;
            auditor.record(entry).onComplete(done -> context.runOnContext(v -> Responses.send(ctx, code, doc, w)));
        });
    }

    // ---- steps ----

    private Target target(RoutingContext ctx, boolean named) {
        String group = ctx.pathParam("group");
        String version = ctx.pathParam("version");
        String plural = ctx.pathParam("plural");
        Kind kind = kinds.find(group, version, plural);
        if (kind == null) {
            throw ApiError.notFound("the server could not find the requested resource: no " + plural + " in "
                    + group + "/" + version);
        }
        List<String> dry = ctx.queryParam("dryRun");
        boolean dryRun = false;
        for (String d : dry) {
            if (!"All".equals(d)) {
                throw ApiError.badRequest("dryRun: unsupported value \"" + d + "\"; the only supported value is All");
            }
            dryRun = true;
        }
        return new Target(kind, group, version, plural, ctx.pathParam("namespace"),
                named ? ctx.pathParam("name") : null, dryRun);
    }

    private static String bodyText(RoutingContext ctx) {
        return ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString();
    }

    /** Checks the envelope against the path, then loads the text with the config codec (on a worker). */
    private Future<Checked> decode(Target t, String contentType, String text, String sourceName) {
        return vertx.executeBlocking(() -> decodeBlocking(t, contentType, text, sourceName), false);
    }

    private Checked decodeBlocking(Target t, String contentType, String text, String sourceName) {
        Map<String, Object> raw = Bodies.parseObject(contentType, text);
        Object apiVersion = raw.get("apiVersion");
        Object kind = raw.get("kind");
        if (apiVersion == null || kind == null) {
            throw ApiError.badRequest("apiVersion and kind are required (expected apiVersion: " + t.apiVersion()
                    + ", kind: " + t.kind().kind() + ")");
        }
        String av = apiVersion.toString();
        int slash = av.indexOf('/');
        String group = slash < 0 ? "" : av.substring(0, slash);
        String version = av.substring(slash + 1);
        if (!t.group().equals(group) || !t.kind().versions().contains(version) || !t.kind().kind().equals(kind.toString())) {
            throw ApiError.badRequest("the object is a " + kind + " of " + av + " but the request path is for "
                    + t.kind().kind() + " of " + t.apiVersion());
        }
        Map<?, ?> meta = raw.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        Object ns = meta.get("namespace");
        if (ns != null && !ns.toString().equals(t.namespace())) {
            throw ApiError.badRequest("the namespace of the provided object (" + ns
                    + ") does not match the namespace sent on the request (" + t.namespace() + ")");
        }
        Object name = meta.get("name");
        if (name == null || name.toString().isBlank()) {
            throw ApiError.invalid(t.kind().kind() + " is invalid: metadata.name: required",
                    List.of(new ApiError.Cause("FieldValueRequired", "metadata.name", "metadata.name: required")));
        }
        if (t.name() != null && !name.toString().equals(t.name())) {
            throw ApiError.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
                    + t.name() + ")");
        }
        Object rv = meta.get("resourceVersion");
        String requested = rv == null || rv.toString().isEmpty() ? null : rv.toString();

        ResourceCodec.Decoded decoded = codec.decode(sourceName, text, t.namespace());
        List<Diagnostic> errors = new ArrayList<>();
        List<Diagnostic> warnings = new ArrayList<>();
        for (Diagnostic d : decoded.diagnostics()) {
            (d.isError() ? errors : warnings).add(d);
        }
        String display = t.kind().kind() + " " + t.namespace() + "/" + name;
        if (!errors.isEmpty()) {
            throw invalid(display, errors);
        }
        if (decoded.resources().size() != 1 || decoded.resources().get(0).kind() != t.kind()) {
            throw ApiError.badRequest("expected exactly one " + t.kind().kind() + " in the request body, found "
                    + decoded.resources().size() + " resources of that kind");
        }
        Resource<?> r = decoded.resources().get(0);
        if (ns == null && !t.namespace().equals(r.namespace())) {
            r = r.withMetadata(r.metadata().withNamespace(t.namespace()));
        }
        return new Checked(r, requested, warnings);
    }

    private Future<Void> guardFileLayer(ResourceKey key, Target t) {
        return layers.fileResource(key)
                .<Future<Void>>map(f -> {
                    SourceRef s = f.source();
                    String where = s.file() + (s.line() > 0 ? ":" + s.line() : "");
                    return Future.failedFuture(ApiError.conflict(key + " is defined in the file layer (" + where
                            + "); a resource may be defined in one layer only: change it in the file, or remove it"
                            + " there before managing it through the API"));
                })
                .orElse(Future.succeededFuture());
    }

    private Future<Checked> validate(Checked c) {
        List<Resource<?>> files = layers.fileResources();
        return store.listAll().compose(api -> vertx.executeBlocking(() -> {
            List<Resource<?>> context = new ArrayList<>(files.size() + api.size());
            context.addAll(files);
            context.addAll(api);
            List<Diagnostic> errors = new ArrayList<>();
            List<Diagnostic> warnings = new ArrayList<>(c.warnings());
            for (Diagnostic d : validator.check(c.resource(), context)) {
                (d.isError() ? errors : warnings).add(d);
            }
            if (!errors.isEmpty()) {
                throw invalid(c.resource().displayName(), errors);
            }
            return new Checked(c.resource(), c.requestedVersion(), warnings);
        }, false));
    }

    private static Checked withResult(Checked c, Resource<?> r) {
        return new Checked(r, c.requestedVersion(), c.warnings());
    }

    private static String preconditionOf(Map<String, Object> deleteOptions) {
        if (deleteOptions.get("preconditions") instanceof Map<?, ?> pre && pre.get("resourceVersion") != null) {
            return pre.get("resourceVersion").toString();
        }
        return null;
    }

    // ---- encoding and errors ----

    /** The Kubernetes form, with apiVersion as requested (all served versions share one schema). */
    private Map<String, Object> encode(Resource<?> r, Target t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiVersion", t.apiVersion());
        codec.encode(r).forEach((k, v) -> {
            if (!"apiVersion".equals(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    static ApiError invalid(String display, List<Diagnostic> errors) {
        StringBuilder msg = new StringBuilder(display).append(" is invalid:");
        List<ApiError.Cause> causes = new ArrayList<>();
        for (Diagnostic d : errors) {
            msg.append('\n').append(d.format());
            causes.add(new ApiError.Cause("FieldValueInvalid", d.field(), d.format()));
        }
        return ApiError.invalid(msg.toString(), causes);
    }

    private static ApiError notFound(Target t) {
        return ApiError.notFound(t.qualified(t.name()) + " not found");
    }

    private static ApiError alreadyExists(Target t, String name) {
        return ApiError.alreadyExists(t.qualified(name) + " already exists");
    }

    private static ApiError stale(Target t, String requested, String actual) {
        return ApiError.conflict("Operation cannot be fulfilled on " + t.qualified(t.name())
                + ": the object has been modified; please apply your changes to the latest version and try again"
                + " (resourceVersion " + requested + " is stale, current is " + actual + ")");
    }

    private static ApiError toApiError(Throwable e, Target t) {
        if (e instanceof ApiError api) {
            return api;
        }
        if (e instanceof StoreException se) {
            String name = se.key() == null ? t.name() : se.key().name();
            return switch (se.reason()) {
                case NOT_FOUND -> ApiError.notFound(t.qualified(name) + " not found");
                case ALREADY_EXISTS -> ApiError.alreadyExists(t.qualified(name) + " already exists");
                case CONFLICT -> ApiError.conflict("Operation cannot be fulfilled on " + t.qualified(name)
                        + ": the object has been modified; please apply your changes to the latest version and"
                        + " try again (" + se.getMessage() + ")");
            };
        }
        LOG.log(Level.WARNING, "admin API request failed", e);
        return new ApiError(500, "InternalError", "internal error: " + Objects.toString(e.getMessage(), e.toString()));
    }
}
