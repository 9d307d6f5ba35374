package dev.meshgate.gateway.route;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTPFaultInjection compiled. Delay and abort are rolled independently per request; an unset percentage means
 * never (Istio). An abort is a local reply (flag FI) and is never retried; a delay is flagged DI.
 *
 * @param delay       null when no delay
 * @param abortStatus HTTP status of the abort, 0 when none (or when the abort is gRPC)
 * @param grpcStatus  numeric gRPC status of the abort, -1 when none
 */
public record Fault(Duration delay, double delayPercent, int abortStatus, int grpcStatus, double abortPercent) {

    public boolean rollDelay() {
        return delay != null && roll(delayPercent);
    }

    public boolean rollAbort() {
        return (abortStatus > 0 || grpcStatus >= 0) && roll(abortPercent);
    }

    static boolean roll(double percent) {
        if (percent <= 0) {
            return false;
        }
        return percent >= 100 || ThreadLocalRandom.current().nextDouble() * 100.0 < percent;
    }
}
