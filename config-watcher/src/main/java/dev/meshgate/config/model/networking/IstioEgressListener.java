package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * A Sidecar outbound listener. {@code captureMode} is filled with DEFAULT when absent.
 *
 * @param port  null = all ports
 * @param hosts REQUIRED, {@code namespace/dnsName} ({@code *}, {@code .}, {@code ~} namespaces)
 */
public record IstioEgressListener(SidecarPort port, String bind, CaptureMode captureMode, List<String> hosts) {

    public IstioEgressListener {
        captureMode = captureMode == null ? CaptureMode.DEFAULT : captureMode;
        hosts = Copies.list(hosts);
    }
}
