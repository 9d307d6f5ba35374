package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.telemetry.AccessLogging;
import dev.meshgate.config.model.telemetry.CustomTag;
import dev.meshgate.config.model.telemetry.Metrics;
import dev.meshgate.config.model.telemetry.MetricsOverrides;
import dev.meshgate.config.model.telemetry.ProviderRef;
import dev.meshgate.config.model.telemetry.TagOverride;
import dev.meshgate.config.model.telemetry.Telemetry;
import dev.meshgate.config.model.telemetry.Tracing;

import java.util.List;
import java.util.Map;

/** Telemetry rules of Istio's {@code ValidateTelemetry}. */
final class TelemetryValidator implements KindValidator<Telemetry> {

    @Override
    public Class<Telemetry> specType() {
        return Telemetry.class;
    }

    @Override
    public void validate(Resource<Telemetry> resource, FieldContext spec) {
        Telemetry t = resource.spec();
        PolicyRules.selectorAndTargets(spec, t.selector(), t.targetRef(), t.targetRefs());
        if (t.tracing().size() > 1) {
            spec.warn("tracing", "only the first tracing entry is used");
        }
        for (int i = 0; i < t.tracing().size(); i++) {
            tracing(spec.field("tracing").index(i), t.tracing().get(i));
        }
        for (int i = 0; i < t.metrics().size(); i++) {
            metrics(spec.field("metrics").index(i), t.metrics().get(i));
        }
        for (int i = 0; i < t.accessLogging().size(); i++) {
            AccessLogging l = t.accessLogging().get(i);
            FieldContext li = spec.field("accessLogging").index(i);
            providers(li.field("providers"), l.providers());
            if (l.filter() != null && Checks.isBlank(l.filter().expression())) {
                li.field("filter").error("expression", "is required");
            }
        }
    }

    private static void tracing(FieldContext at, Tracing tr) {
        if (tr.providers().size() > 1) {
            at.warn("providers", "only one provider per tracing entry is supported");
        }
        providers(at.field("providers"), tr.providers());
        if (tr.randomSamplingPercentage() != null
                && (tr.randomSamplingPercentage() < 0 || tr.randomSamplingPercentage() > 100)) {
            at.error("randomSamplingPercentage", "must be in the range 0..100");
        }
        for (Map.Entry<String, CustomTag> e : tr.customTags().entrySet()) {
            FieldContext ti = at.field("customTags").key(e.getKey());
            CustomTag tag = e.getValue();
            if (Checks.isBlank(e.getKey())) {
                ti.error("tag name must not be empty");
            }
            int kinds = (tag.literal() != null ? 1 : 0) + (tag.environment() != null ? 1 : 0)
                    + (tag.header() != null ? 1 : 0) + (tag.formatter() != null ? 1 : 0);
            if (kinds != 1) {
                ti.error("exactly one of literal, environment, header or formatter is required");
            }
            if (tag.literal() != null && Checks.isBlank(tag.literal().value())) {
                ti.field("literal").error("value", "is required");
            }
            if (tag.environment() != null && Checks.isBlank(tag.environment().name())) {
                ti.field("environment").error("name", "is required");
            }
            if (tag.header() != null && Checks.isBlank(tag.header().name())) {
                ti.field("header").error("name", "is required");
            }
            if (tag.formatter() != null && Checks.isBlank(tag.formatter().value())) {
                ti.field("formatter").error("value", "is required");
            }
        }
    }

    private static void metrics(FieldContext at, Metrics m) {
        providers(at.field("providers"), m.providers());
        if (m.reportingInterval() != null) {
            Checks.duration(at.field("reportingInterval"), m.reportingInterval());
        }
        for (int i = 0; i < m.overrides().size(); i++) {
            MetricsOverrides o = m.overrides().get(i);
            FieldContext oi = at.field("overrides").index(i);
            for (Map.Entry<String, TagOverride> e : o.tagOverrides().entrySet()) {
                FieldContext ti = oi.field("tagOverrides").key(e.getKey());
                if (Checks.isBlank(e.getKey())) {
                    ti.warn("tag name is empty");
                }
                TagOverride to = e.getValue();
                if (to.operation() == TagOverride.Operation.UPSERT && Checks.isBlank(to.value())) {
                    ti.error("value", "is required when operation is UPSERT");
                }
                if (to.operation() == TagOverride.Operation.REMOVE && !Checks.isBlank(to.value())) {
                    ti.error("value", "is only allowed when operation is UPSERT");
                }
            }
            if (o.match() != null) {
                if (o.match().metric() != null && o.match().customMetric() != null) {
                    oi.field("match").error("only one of metric or customMetric may be set");
                } else if (o.match().customMetric() != null && o.match().customMetric().isEmpty()) {
                    oi.field("match").error("customMetric", "must not be empty");
                }
            }
        }
    }

    private static void providers(FieldContext at, List<ProviderRef> providers) {
        for (int i = 0; i < providers.size(); i++) {
            if (Checks.isBlank(providers.get(i).name())) {
                at.index(i).error("name", "is required");
            }
        }
    }
}
