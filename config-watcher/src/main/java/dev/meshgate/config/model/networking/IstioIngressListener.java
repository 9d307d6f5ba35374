package dev.meshgate.config.model.networking;

/**
 * A Sidecar inbound listener. {@code captureMode} is filled with DEFAULT when absent.
 *
 * @param port            REQUIRED
 * @param defaultEndpoint {@code 127.0.0.1:PORT}, {@code [::1]:PORT}, {@code 0.0.0.0:PORT}, {@code [::]:PORT} or
 *                        {@code unix://...}
 * @param tls             SIMPLE/MUTUAL only; null when absent
 */
public record IstioIngressListener(
        SidecarPort port,
        String bind,
        CaptureMode captureMode,
        String defaultEndpoint,
        ServerTLSSettings tls,
        ConnectionPoolSettings connectionPool) {

    public IstioIngressListener {
        captureMode = captureMode == null ? CaptureMode.DEFAULT : captureMode;
    }
}
