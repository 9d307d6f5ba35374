package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.networking.HTTPHeader;
import dev.meshgate.config.model.networking.ReadinessProbe;
import dev.meshgate.config.model.networking.WorkloadGroup;

/** WorkloadGroup rules of Istio's {@code ValidateWorkloadGroup}. */
final class WorkloadGroupValidator implements KindValidator<WorkloadGroup> {

    @Override
    public Class<WorkloadGroup> specType() {
        return WorkloadGroup.class;
    }

    @Override
    public void validate(Resource<WorkloadGroup> resource, FieldContext spec) {
        WorkloadGroup wg = resource.spec();
        if (wg.template() == null) {
            spec.error("template", "is required");
        } else {
            // address and labels are filled in per instance, so the template is not a full WorkloadEntry
            Checks.labels(spec.field("template").field("labels"), wg.template().labels());
        }
        if (wg.metadata() != null) {
            Checks.labels(spec.field("metadata").field("labels"), wg.metadata().labels());
        }
        probe(spec.field("probe"), wg.probe());
    }

    private static void probe(FieldContext at, ReadinessProbe p) {
        if (p == null) {
            return;
        }
        Checks.nonNegative(at.field("initialDelaySeconds"), p.initialDelaySeconds());
        Checks.nonNegative(at.field("timeoutSeconds"), p.timeoutSeconds());
        Checks.nonNegative(at.field("periodSeconds"), p.periodSeconds());
        Checks.nonNegative(at.field("successThreshold"), p.successThreshold());
        Checks.nonNegative(at.field("failureThreshold"), p.failureThreshold());
        int methods = (p.httpGet() != null ? 1 : 0) + (p.tcpSocket() != null ? 1 : 0) + (p.exec() != null ? 1 : 0)
                + (p.grpc() != null ? 1 : 0);
        if (methods == 0) {
            at.error("one of httpGet, tcpSocket, exec or grpc is required");
        } else if (methods > 1) {
            at.error("only one of httpGet, tcpSocket, exec or grpc may be set");
        }
        if (p.httpGet() != null) {
            FieldContext h = at.field("httpGet");
            Checks.port(h.field("port"), p.httpGet().port());
            String scheme = p.httpGet().scheme();
            if (!Checks.isBlank(scheme) && !scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
                h.error("scheme", "must be HTTP or HTTPS");
            }
            for (int i = 0; i < p.httpGet().httpHeaders().size(); i++) {
                HTTPHeader hdr = p.httpGet().httpHeaders().get(i);
                if (!Checks.isHeaderName(hdr.name())) {
                    h.field("httpHeaders").index(i).error("name", "invalid header name \"" + hdr.name() + "\"");
                }
            }
        }
        if (p.tcpSocket() != null) {
            Checks.port(at.field("tcpSocket").field("port"), p.tcpSocket().port());
        }
        if (p.exec() != null && p.exec().command().isEmpty()) {
            at.field("exec").error("command", "is required");
        }
        if (p.grpc() != null) {
            Checks.port(at.field("grpc").field("port"), p.grpc().port());
        }
    }
}
