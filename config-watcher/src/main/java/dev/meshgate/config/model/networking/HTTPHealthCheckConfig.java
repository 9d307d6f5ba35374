package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * {@code ReadinessProbe.httpGet} (Kubernetes' HTTPGetAction).
 *
 * @param port   REQUIRED; 0 when absent
 * @param scheme HTTP or HTTPS; null = HTTP
 */
public record HTTPHealthCheckConfig(String path, int port, String host, String scheme, List<HTTPHeader> httpHeaders) {

    public HTTPHealthCheckConfig {
        httpHeaders = Copies.list(httpHeaders);
    }
}
