package dev.meshgate.config.model.telemetry;

/** Which side of the traffic a telemetry rule applies to. CLIENT_AND_SERVER is the enum zero value. */
public enum WorkloadMode {
    CLIENT_AND_SERVER,
    CLIENT,
    SERVER
}
