package dev.meshgate.config.model.security;

/**
 * Istio's {@code AuthorizationPolicy.ExtensionProvider}: a reference to a MeshConfig extension provider.
 */
public record ExtensionProvider(String name) {
}
