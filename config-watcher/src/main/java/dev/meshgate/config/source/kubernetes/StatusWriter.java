package dev.meshgate.config.source.kubernetes;

import dev.meshgate.config.diag.Diagnostic;
import dev.meshgate.config.model.Kind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Optional (off by default): writes each Istio object's findings to its {@code status}, the way istiod reports
 * analysis, so {@code kubectl get vs -o yaml} shows why a VirtualService did not bind.
 * <pre>
 * status:
 *   observedGeneration: 3
 *   validationMessages:
 *   - level: ERROR
 *     type: {code: MG0001, name: MeshgateValidation}
 *     message: "spec.http[0].route[0].weight: must be between 0 and 100"
 *     documentationUrl: https://meshgate.dev/docs/kubernetes#status
 * </pre>
 * Written with a JSON Patch of {@code /status} (other status fields kept). Istio's messages carry only a code; Meshgate's findings are free text, so each message adds a {@code message}
 * field (the CRDs preserve unknown status fields). A write happens only when the desired status differs from the
 * object's current one, so status writes (which change the resourceVersion and come back as informer events)
 * settle after one round. Do not enable next to a running istiod: both would own the same field.
 * Needs {@code patch} on {@code <plural>/status}. Worker thread only.
 */
final class StatusWriter {

    private static final Logger LOG = Logger.getLogger(StatusWriter.class.getName());
    static final String DOCS = "https://meshgate.dev/docs/kubernetes#status";

    private final KubernetesClient client;
    private boolean forbiddenLogged;

    StatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** Brings every object's status in line with the findings that name it ({@link IstioObjects#sourceName}). */
    void write(Map<Kind, String> versions, List<GenericKubernetesResource> objects, List<Diagnostic> diagnostics) {
        Map<String, List<Diagnostic>> byObject = new LinkedHashMap<>();
        for (Diagnostic d : diagnostics) {
            if (d.file() != null && d.file().startsWith("kubernetes:")) {
                byObject.computeIfAbsent(d.file(), k -> new ArrayList<>()).add(d);
            }
        }
        for (GenericKubernetesResource o : objects) {
            Kind kind = Kind.byKindName(o.getKind()).orElse(null);
            if (kind == null || !versions.containsKey(kind)) {
                continue;
            }
            String ns = o.getMetadata().getNamespace();
            String name = o.getMetadata().getName();
            List<Map<String, Object>> desired = messages(byObject.getOrDefault(
                    IstioObjects.sourceName(o.getKind(), ns, name), List.of()));
            Object status = o.getAdditionalProperties().get("status");
            Object current = status instanceof Map<?, ?> m ? m.get("validationMessages") : null;
            Object observed = status instanceof Map<?, ?> m ? m.get("observedGeneration") : null;
            boolean currentEmpty = current == null || current instanceof List<?> l && l.isEmpty();
            if ((desired.isEmpty() && currentEmpty) || (Objects.equals(desired, current)
                    && Objects.equals(number(observed), o.getMetadata().getGeneration()))) {
                continue;
            }
            // JSON Patch replacing the whole status with the current one plus our two fields: arrays in a merge
            // patch are not merged element-wise by every server, and other fields of the status are kept
            Map<String, Object> next = new LinkedHashMap<>();
            if (status instanceof Map<?, ?> m) {
                m.forEach((k, v) -> next.put(String.valueOf(k), v));
            }
            next.put("observedGeneration", o.getMetadata().getGeneration());
            next.put("validationMessages", desired);
            String patch = client.getKubernetesSerialization().asJson(List.of(
                    Map.of("op", "add", "path", "/status", "value", next)));
            try {
                client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup(kind.group())
                                .withVersion(versions.get(kind)).withKind(kind.kind()).withPlural(kind.plural())
                                .withNamespaced(true).build())
                        .inNamespace(ns).withName(name).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON), patch);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 403 && forbiddenLogged) {
                    continue;
                }
                forbiddenLogged |= e.getCode() == 403;
                LOG.log(Level.WARNING, "kubernetes: cannot write the status of " + kind.kind() + " " + ns + "/"
                        + name + ": " + e.getMessage());
            }
        }
    }

    static List<Map<String, Object>> messages(List<Diagnostic> diagnostics) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("code", switch (d.severity()) {
                case ERROR -> "MG0001";
                case WARNING -> "MG0002";
                case INFO -> "MG0003";
            });
            type.put("name", "MeshgateValidation");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", d.severity().name());
            m.put("type", type);
            m.put("message", d.field() == null || d.field().isEmpty() ? d.message() : d.field() + ": " + d.message());
            m.put("documentationUrl", DOCS);
            out.add(m);
        }
        return out;
    }

    private static Long number(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }
}
