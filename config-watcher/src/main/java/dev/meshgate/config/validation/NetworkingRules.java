package dev.meshgate.config.validation;

import dev.meshgate.config.model.networking.Destination;
import dev.meshgate.config.model.networking.StringMatch;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rules shared by several networking kinds: destinations, gateway references, exportTo, string matches. */
final class NetworkingRules {

    static final String MESH = "mesh";

    private NetworkingRules() {
    }

    /** A route or mirror destination: host required (not {@code *}), subset a DNS label, port 1..65535. */
    static void destination(FieldContext at, Destination d) {
        if (d == null) {
            at.error("is required");
            return;
        }
        if (Checks.isBlank(d.host())) {
            at.error("host", "is required");
        } else if (d.host().equals("*")) {
            at.error("host", "\"*\" is not a valid destination host");
        } else {
            String problem = HostNames.checkWildcardDomain(d.host());
            if (problem != null) {
                at.error("host", problem);
            }
        }
        if (d.subset() != null) {
            if (d.subset().isEmpty()) {
                at.error("subset", "must not be empty");
            } else if (!HostNames.isDnsLabel(d.subset())) {
                at.error("subset", "invalid subset name \"" + d.subset() + "\": must be a DNS-1123 label");
            }
        }
        if (d.port() != null) {
            Checks.port(at.field("port").field("number"), d.port().number());
        }
    }

    /** Gateway references: {@code ns/name}, {@code name}, {@code mesh}, legacy {@code name.ns.svc.cluster.local}. */
    static void gatewayNames(FieldContext at, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            String g = names.get(i);
            FieldContext gi = at.index(i);
            if (Checks.isBlank(g)) {
                gi.error("gateway name must not be empty");
                continue;
            }
            int slash = g.indexOf('/');
            if (slash < 0) {
                if (g.contains(".")) {
                    String[] parts = g.split("\\.");
                    String hint = parts.length > 1 ? parts[1] + "/" + parts[0] : g;
                    gi.warn("legacy gateway name \"" + g + "\"; prefer the <namespace>/<name> form \"" + hint + "\"");
                    String problem = HostNames.checkFqdn(g);
                    if (problem != null) {
                        gi.error(problem);
                    }
                } else if (!HostNames.isDnsLabel(g)) {
                    gi.error("invalid gateway name \"" + g + "\": must be a DNS-1123 label");
                }
                continue;
            }
            String ns = g.substring(0, slash);
            String name = g.substring(slash + 1);
            if (ns.isEmpty() || name.isEmpty()) {
                gi.error("gateway \"" + g + "\": namespace and name must not be empty");
                continue;
            }
            if (!ns.equals(".") && !HostNames.isDnsLabel(ns)) {
                gi.error("gateway \"" + g + "\": invalid namespace \"" + ns + "\"");
            }
            if (!HostNames.isDnsLabel(name)) {
                gi.error("gateway \"" + g + "\": invalid name \"" + name + "\"");
            }
        }
    }

    /** {@code exportTo}: {@code .}, {@code *}, namespace names (and {@code ~} for ServiceEntry), no duplicates. */
    static void exportTo(FieldContext at, String namespace, List<String> exportTo, boolean allowNone) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < exportTo.size(); i++) {
            String e = exportTo.get(i);
            FieldContext ei = at.index(i);
            String key = ".".equals(e) ? namespace : e;
            if (!seen.add(key)) {
                ei.error(".".equals(e) || e.equals(namespace)
                        ? "duplicate entry: \".\" and the resource's namespace \"" + namespace + "\" are the same"
                        : "duplicate entry \"" + e + "\"");
                continue;
            }
            if (e == null || !(e.equals(".") || e.equals("*") || (allowNone && e.equals("~"))
                    || HostNames.isLowerDnsLabel(e))) {
                ei.error("invalid exportTo value \"" + e + "\": use \".\", \"*\""
                        + (allowNone ? ", \"~\"" : "") + " or a namespace name");
            }
        }
        if (exportTo.size() > 1 && exportTo.contains("*")) {
            at.error("\"*\" exports to every namespace and cannot be combined with other entries");
        }
        if (allowNone && exportTo.size() > 1 && exportTo.contains("~")) {
            at.error("\"~\" (export to nobody) cannot be combined with other entries");
        }
    }

    /**
     * A StringMatch: at most one of exact/prefix/regex, regexes compile as RE2.
     *
     * @param presenceAllowed headers and query parameters: {@code {}} and {@code regex: "*"} mean "present"
     */
    static void stringMatch(FieldContext at, StringMatch m, boolean presenceAllowed) {
        if (m == null) {
            return;
        }
        if (m.alternativesSet() > 1) {
            at.error("only one of exact, prefix or regex may be set");
            return;
        }
        if (m.alternativesSet() == 0) {
            if (!presenceAllowed) {
                at.error("one of exact, prefix or regex is required");
            }
            return;
        }
        if (m.regex() != null) {
            if (presenceAllowed && StringMatch.PRESENCE_REGEX.equals(m.regex())) {
                return;
            }
            Checks.regex(at.field("regex"), m.regex());
        }
    }
}
