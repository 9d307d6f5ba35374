package dev.meshgate.gateway.route;

import dev.meshgate.gateway.exchange.HeaderOps;

/**
 * One Envoy route: an HTTPRoute paired with one of its matches (a route with n matches becomes n of these, in
 * order), everything resolved at compile time.
 *
 * @param name             Istio's route name, {@code <route.name>.<match.name>} (either may be empty)
 * @param catchAll         no path condition beyond prefix "/" and no header/query/method/authority/scheme
 *                         condition: Istio moves these to the end of the virtual host
 * @param pathRewrite      null when the route does not rewrite the path
 * @param authorityRewrite rewrite.authority, else headers.request set/add host; null for none
 * @param fault            null when none
 * @param cors             null when none
 */
public record CompiledRoute(String name, RequestMatcher matcher, boolean catchAll, RouteAction action,
                            PathRewrite pathRewrite, String authorityRewrite, HeaderOps requestOps,
                            HeaderOps responseOps, Fault fault, Cors cors) {

    public CompiledRoute {
        requestOps = requestOps == null ? HeaderOps.NONE : requestOps;
        responseOps = responseOps == null ? HeaderOps.NONE : responseOps;
    }
}
