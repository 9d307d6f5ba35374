package dev.meshgate.config.model.networking;

/**
 * A ServiceEntry port.
 *
 * @param number     REQUIRED, 1-65535; 0 when absent
 * @param protocol   null when absent
 * @param name       REQUIRED
 * @param targetPort 0 when absent = the same as {@code number}
 */
public record ServicePort(int number, Protocol protocol, String name, int targetPort) {

    public int targetPortOrDefault() {
        return targetPort > 0 ? targetPort : number;
    }
}
