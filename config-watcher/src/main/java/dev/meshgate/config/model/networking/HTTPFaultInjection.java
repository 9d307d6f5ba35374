package dev.meshgate.config.model.networking;

/**
 * Fault injection; at least one of delay / abort (validators enforce it). Both are null when absent.
 */
public record HTTPFaultInjection(Delay delay, Abort abort) {
}
