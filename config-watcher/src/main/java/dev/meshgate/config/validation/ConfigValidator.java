package dev.meshgate.config.validation;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.diag.ResourceValidator;
import dev.meshgate.config.diag.ValidationResult;
import dev.meshgate.config.model.Kind;
import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.ResourceKey;
import dev.meshgate.config.model.security.AuthorizationPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a candidate configuration the way Istio's validating webhook and {@code istioctl analyze} would
 * together: per-resource field rules first (an ERROR rejects that resource only), then cross-resource analysis
 * over the accepted ones (WARNINGs that never reject). Never throws on bad input.
 */
public final class ConfigValidator implements ResourceValidator {

    static final String DRY_RUN_ANNOTATION = "istio.io/dry-run";

    private final Map<Class<?>, KindValidator<?>> validators = new HashMap<>();
    private final Analyzer analyzer = new Analyzer();

    public ConfigValidator() {
        register(new GatewayValidator());
        register(new VirtualServiceValidator());
        register(new DestinationRuleValidator());
        register(new ServiceEntryValidator());
        register(new WorkloadEntryValidator());
        register(new WorkloadGroupValidator());
        register(new SidecarValidator());
        register(new AuthorizationPolicyValidator());
        register(new PeerAuthenticationValidator());
        register(new RequestAuthenticationValidator());
        register(new TelemetryValidator());
    }

    private void register(KindValidator<?> v) {
        validators.put(v.specType(), v);
    }

    @Override
    public ValidationResult validate(List<Resource<?>> resources) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<Resource<?>> accepted = new ArrayList<>();
        Map<ResourceKey, Resource<?>> seen = new HashMap<>();
        for (Resource<?> r : resources) {
            List<Diagnostic> own = new ArrayList<>(validateResource(r));
            Resource<?> first = seen.putIfAbsent(r.key(), r);
            if (first != null) {
                own.add(0, Diagnostic.error(r.source().file(), r.source().line(), r.displayName(), null,
                        "defined more than once (first at " + where(first) + "); this later definition is ignored"));
            }
            diagnostics.addAll(own);
            if (own.stream().noneMatch(Diagnostic::isError)) {
                accepted.add(r);
            }
        }
        diagnostics.addAll(analyzer.analyze(accepted));
        return new ValidationResult(accepted, diagnostics);
    }

    /** Field rules of one resource alone (no duplicate detection, no cross-resource analysis). */
    public List<Diagnostic> validateResource(Resource<?> resource) {
        List<Diagnostic> out = new ArrayList<>();
        FieldContext root = FieldContext.root(resource, out);
        metadata(resource, root);
        KindValidator<?> v = validators.get(resource.spec().getClass());
        if (v != null) {
            try {
                run(v, resource, root.field("spec"));
            } catch (RuntimeException e) {
                // a validator bug must not take the config source down; say so and let the resource through
                root.warn("internal validation error, some rules were skipped: " + e);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <S extends Record> void run(KindValidator<S> v, Resource<?> r, FieldContext spec) {
        v.validate((Resource<S>) r, spec);
    }

    private static void metadata(Resource<?> r, FieldContext root) {
        FieldContext meta = root.field("metadata");
        String name = r.name();
        if (Checks.isBlank(name)) {
            meta.error("name", "is required");
        } else if (!HostNames.isDnsSubdomain(name)) {
            meta.error("name", "invalid name \"" + name + "\": lower-case letters, digits, '-' and '.' "
                    + "(a DNS-1123 subdomain)");
        }
        String ns = r.namespace();
        if (ns != null && !HostNames.isLowerDnsLabel(ns)) {
            meta.error("namespace", "invalid namespace \"" + ns + "\": must be a DNS-1123 label");
        }
        String dryRun = r.metadata().annotations().get(DRY_RUN_ANNOTATION);
        if (dryRun != null) {
            FieldContext at = meta.field("annotations").key(DRY_RUN_ANNOTATION);
            if (r.kind() != Kind.AUTHORIZATION_POLICY) {
                at.error("is only supported on AuthorizationPolicy");
            } else {
                AuthorizationPolicy.Action action = ((AuthorizationPolicy) r.spec()).action();
                if (action != AuthorizationPolicy.Action.ALLOW && action != AuthorizationPolicy.Action.DENY) {
                    at.error("is only supported with action ALLOW or DENY (found " + action + ")");
                } else if (!dryRun.equalsIgnoreCase("true") && !dryRun.equalsIgnoreCase("false")) {
                    at.error("must be \"true\" or \"false\"");
                }
            }
        }
    }

    private static String where(Resource<?> r) {
        return r.source().line() > 0 ? r.source().file() + ":" + r.source().line() : r.source().file();
    }
}
