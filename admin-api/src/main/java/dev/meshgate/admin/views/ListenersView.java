package dev.meshgate.admin.views;

/**
 * {@code GET /listeners}: every bound listener. Expected shape:
 * <pre>{"listeners": [{"name": "0.0.0.0_8443", "address": "0.0.0.0", "port": 8443, "protocol": "HTTPS",
 *   "gateways": ["istio-system/main"], "hosts": ["*.example.com"], "tls": {"mode": "SIMPLE", "sni": [...]}}]}</pre>
 */
@FunctionalInterface
public interface ListenersView extends JsonView {
}
