package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.security.AuthorizationPolicy;
import dev.meshgate.config.model.security.AuthorizationPolicy.Action;
import dev.meshgate.config.model.security.Condition;
import dev.meshgate.config.model.security.Operation;
import dev.meshgate.config.model.security.Rule;
import dev.meshgate.config.model.security.Source;

import java.util.List;

/** AuthorizationPolicy rules of Istio's {@code ValidateAuthorizationPolicy}. */
final class AuthorizationPolicyValidator implements KindValidator<AuthorizationPolicy> {

    @Override
    public Class<AuthorizationPolicy> specType() {
        return AuthorizationPolicy.class;
    }

    @Override
    public void validate(Resource<AuthorizationPolicy> resource, FieldContext spec) {
        AuthorizationPolicy ap = resource.spec();
        PolicyRules.selectorAndTargets(spec, ap.selector(), ap.targetRef(), ap.targetRefs());
        if (ap.action() == Action.CUSTOM) {
            if (ap.rules().isEmpty()) {
                spec.error("rules", "a CUSTOM policy without rules never triggers; add an empty rule {} to "
                        + "apply it to every request");
            }
            if (ap.provider() == null || Checks.isBlank(ap.provider().name())) {
                spec.field("provider").error("name", "is required for action CUSTOM");
            }
        } else if (ap.provider() != null) {
            spec.error("provider", "is only allowed with action CUSTOM (the action is " + ap.action() + ")");
        }
        if (ap.action() == Action.DENY && ap.rules().isEmpty()) {
            spec.error("rules", "a DENY policy without rules never triggers; add an empty rule {} to deny every "
                    + "request");
        }
        for (int i = 0; i < ap.rules().size(); i++) {
            rule(spec.field("rules").index(i), ap.rules().get(i), ap.action());
        }
    }

    private static void rule(FieldContext at, Rule rule, Action action) {
        for (int i = 0; i < rule.from().size(); i++) {
            FieldContext fi = at.field("from").index(i);
            Source s = rule.from().get(i).source();
            if (s == null) {
                fi.error("source", "is required");
                continue;
            }
            source(fi.field("source"), s, action);
        }
        for (int i = 0; i < rule.to().size(); i++) {
            FieldContext ti = at.field("to").index(i);
            Operation op = rule.to().get(i).operation();
            if (op == null) {
                ti.error("operation", "is required");
                continue;
            }
            operation(ti.field("operation"), op);
        }
        for (int i = 0; i < rule.when().size(); i++) {
            Condition c = rule.when().get(i);
            FieldContext ci = at.field("when").index(i);
            if (Checks.isBlank(c.key())) {
                ci.error("key", "is required");
                continue;
            }
            if (c.values().isEmpty() && c.notValues().isEmpty()) {
                ci.error("at least one of values or notValues is required for key " + c.key());
            }
            if (action == Action.CUSTOM && (c.key().equals("source.namespace") || c.key().equals("source.principal")
                    || c.key().startsWith("request.auth."))) {
                ci.error("key", c.key() + " is not supported with action CUSTOM");
            }
            if (c.key().equals("source.ip") || c.key().equals("remote.ip") || c.key().equals("destination.ip")) {
                ips(ci.field("values"), c.values());
                ips(ci.field("notValues"), c.notValues());
            }
            if (c.key().equals("destination.port")) {
                ports(ci.field("values"), c.values());
                ports(ci.field("notValues"), c.notValues());
            }
        }
    }

    private static void source(FieldContext at, Source s, Action action) {
        boolean empty = s.principals().isEmpty() && s.notPrincipals().isEmpty() && s.requestPrincipals().isEmpty()
                && s.notRequestPrincipals().isEmpty() && s.namespaces().isEmpty() && s.notNamespaces().isEmpty()
                && s.serviceAccounts().isEmpty() && s.notServiceAccounts().isEmpty() && s.ipBlocks().isEmpty()
                && s.notIpBlocks().isEmpty() && s.remoteIpBlocks().isEmpty() && s.notRemoteIpBlocks().isEmpty()
                && s.trustDomains().isEmpty() && s.notTrustDomains().isEmpty();
        if (empty) {
            at.error("must set at least one field");
        }
        ips(at.field("ipBlocks"), s.ipBlocks());
        ips(at.field("notIpBlocks"), s.notIpBlocks());
        ips(at.field("remoteIpBlocks"), s.remoteIpBlocks());
        ips(at.field("notRemoteIpBlocks"), s.notRemoteIpBlocks());
        for (String[] pair : new String[][] {{"principals"}, {"notPrincipals"}, {"requestPrincipals"},
                {"notRequestPrincipals"}, {"namespaces"}, {"notNamespaces"}, {"serviceAccounts"},
                {"notServiceAccounts"}}) {
            noEmptyValues(at.field(pair[0]), list(s, pair[0]));
        }
        if ((!s.serviceAccounts().isEmpty() || !s.notServiceAccounts().isEmpty())
                && (!s.principals().isEmpty() || !s.notPrincipals().isEmpty() || !s.namespaces().isEmpty()
                || !s.notNamespaces().isEmpty())) {
            at.error("serviceAccounts cannot be combined with principals or namespaces");
        }
        if (action == Action.CUSTOM) {
            for (String f : List.of("namespaces", "notNamespaces", "principals", "notPrincipals",
                    "requestPrincipals", "notRequestPrincipals")) {
                if (!list(s, f).isEmpty()) {
                    at.error(f, "is not supported with action CUSTOM");
                }
            }
        }
    }

    private static List<String> list(Source s, String f) {
        return switch (f) {
            case "principals" -> s.principals();
            case "notPrincipals" -> s.notPrincipals();
            case "requestPrincipals" -> s.requestPrincipals();
            case "notRequestPrincipals" -> s.notRequestPrincipals();
            case "namespaces" -> s.namespaces();
            case "notNamespaces" -> s.notNamespaces();
            case "serviceAccounts" -> s.serviceAccounts();
            case "notServiceAccounts" -> s.notServiceAccounts();
            default -> List.of();
        };
    }

    private static void operation(FieldContext at, Operation op) {
        if (op.hosts().isEmpty() && op.notHosts().isEmpty() && op.ports().isEmpty() && op.notPorts().isEmpty()
                && op.methods().isEmpty() && op.notMethods().isEmpty() && op.paths().isEmpty()
                && op.notPaths().isEmpty()) {
            at.error("must set at least one field");
        }
        ports(at.field("ports"), op.ports());
        ports(at.field("notPorts"), op.notPorts());
        noEmptyValues(at.field("hosts"), op.hosts());
        noEmptyValues(at.field("notHosts"), op.notHosts());
        noEmptyValues(at.field("methods"), op.methods());
        noEmptyValues(at.field("notMethods"), op.notMethods());
        paths(at.field("paths"), op.paths());
        paths(at.field("notPaths"), op.notPaths());
    }

    private static void ips(FieldContext at, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            String problem = HostNames.checkIpOrCidr(values.get(i));
            if (problem != null) {
                at.index(i).error(problem);
            }
        }
    }

    private static void ports(FieldContext at, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null || !v.matches("[0-9]{1,5}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > 65535) {
                at.index(i).error("\"" + v + "\" is not a port number 1..65535");
            }
        }
    }

    private static void noEmptyValues(FieldContext at, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (Checks.isBlank(values.get(i))) {
                at.index(i).error("must not be empty");
            }
        }
    }

    /** Path templates: {@code {*}} is one segment, {@code {**}} the rest and only last; no other braces. */
    private static void paths(FieldContext at, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            String p = values.get(i);
            if (Checks.isBlank(p)) {
                at.index(i).error("must not be empty");
                continue;
            }
            if (!p.contains("{")) {
                continue;
            }
            String[] segs = p.split("/", -1);
            for (int s = 0; s < segs.length; s++) {
                String seg = segs[s];
                if (!seg.contains("{") && !seg.contains("}")) {
                    continue;
                }
                if (seg.equals("{**}") && s != segs.length - 1) {
                    at.index(i).error("path template \"" + p + "\": {**} must be the last segment");
                } else if (!seg.equals("{*}") && !seg.equals("{**}")) {
                    at.index(i).error("path template \"" + p + "\": only whole segments {*} and {**} are supported");
                }
            }
        }
    }
}
