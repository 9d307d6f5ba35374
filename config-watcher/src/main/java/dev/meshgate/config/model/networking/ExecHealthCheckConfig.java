package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * {@code ReadinessProbe.exec} (Kubernetes' ExecAction).
 *
 * @param command REQUIRED
 */
public record ExecHealthCheckConfig(List<String> command) {

    public ExecHealthCheckConfig {
        command = Copies.list(command);
    }
}
