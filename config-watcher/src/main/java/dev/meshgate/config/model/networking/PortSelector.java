package dev.meshgate.config.model.networking;

/** A port by number; 0 when absent. */
public record PortSelector(int number) {
}
