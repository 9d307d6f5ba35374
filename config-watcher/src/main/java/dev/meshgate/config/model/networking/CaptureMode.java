package dev.meshgate.config.model.networking;

/** How traffic reaches a Sidecar listener. */
public enum CaptureMode {
    DEFAULT,
    IPTABLES,
    NONE
}
