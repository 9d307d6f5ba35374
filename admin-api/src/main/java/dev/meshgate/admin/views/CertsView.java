package dev.meshgate.admin.views;

/**
 * {@code GET /certs}: the certificate inventory. Expected shape:
 * <pre>{"certificates": [{"name": "istio-system/gw-cert", "subject": "CN=example.com", "sans": ["example.com"],
 *   "notBefore": "2026-01-01T00:00:00Z", "notAfter": "2027-01-01T00:00:00Z", "daysUntilExpiry": 35,
 *   "usedBy": ["0.0.0.0_8443"]}]}</pre>
 */
@FunctionalInterface
public interface CertsView extends JsonView {
}
