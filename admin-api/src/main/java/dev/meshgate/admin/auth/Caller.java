package dev.meshgate.admin.auth;

import io.vertx.ext.web.RoutingContext;

/** Stores and reads the authenticated principal on a request. */
public final class Caller {

    private static final String KEY = "meshgate.principal";

    private Caller() {
    }

    public static void set(RoutingContext ctx, Principal p) {
        ctx.put(KEY, p);
    }

    public static Principal of(RoutingContext ctx) {
        Principal p = ctx.get(KEY);
        return p == null ? Principal.ANONYMOUS : p;
    }
}
