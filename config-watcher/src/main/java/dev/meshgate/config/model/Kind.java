package dev.meshgate.config.model;

import dev.meshgate.config.model.networking.DestinationRule;
import dev.meshgate.config.model.networking.Gateway;
import dev.meshgate.config.model.networking.ServiceEntry;
import dev.meshgate.config.model.networking.Sidecar;
import dev.meshgate.config.model.networking.VirtualService;
import dev.meshgate.config.model.networking.WorkloadEntry;
import dev.meshgate.config.model.networking.WorkloadGroup;
import dev.meshgate.config.model.security.AuthorizationPolicy;
import dev.meshgate.config.model.security.PeerAuthentication;
import dev.meshgate.config.model.security.RequestAuthentication;
import dev.meshgate.config.model.telemetry.Telemetry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every resource kind Meshgate understands, with the API group, served versions, plural (for Kubernetes-style
 * paths) and the spec record it binds to. All served versions of a kind share one schema, as in Istio.
 */
public enum Kind {
    GATEWAY(Groups.NETWORKING, "Gateway", "gateways", Groups.NETWORKING_VERSIONS, Gateway.class),
    VIRTUAL_SERVICE(Groups.NETWORKING, "VirtualService", "virtualservices", Groups.NETWORKING_VERSIONS,
            VirtualService.class),
    DESTINATION_RULE(Groups.NETWORKING, "DestinationRule", "destinationrules", Groups.NETWORKING_VERSIONS,
            DestinationRule.class),
    SERVICE_ENTRY(Groups.NETWORKING, "ServiceEntry", "serviceentries", Groups.NETWORKING_VERSIONS,
            ServiceEntry.class),
    SIDECAR(Groups.NETWORKING, "Sidecar", "sidecars", Groups.NETWORKING_VERSIONS, Sidecar.class),
    WORKLOAD_ENTRY(Groups.NETWORKING, "WorkloadEntry", "workloadentries", Groups.NETWORKING_VERSIONS,
            WorkloadEntry.class),
    WORKLOAD_GROUP(Groups.NETWORKING, "WorkloadGroup", "workloadgroups", Groups.NETWORKING_VERSIONS,
            WorkloadGroup.class),
    AUTHORIZATION_POLICY(Groups.SECURITY, "AuthorizationPolicy", "authorizationpolicies", Groups.SECURITY_VERSIONS,
            AuthorizationPolicy.class),
    PEER_AUTHENTICATION(Groups.SECURITY, "PeerAuthentication", "peerauthentications", Groups.SECURITY_VERSIONS,
            PeerAuthentication.class),
    REQUEST_AUTHENTICATION(Groups.SECURITY, "RequestAuthentication", "requestauthentications",
            Groups.SECURITY_VERSIONS, RequestAuthentication.class),
    TELEMETRY(Groups.TELEMETRY, "Telemetry", "telemetries", Groups.TELEMETRY_VERSIONS, Telemetry.class);

    /** API groups and served versions (Istio's +cue-gen versions tags); the first version is the storage one. */
    public static final class Groups {
        public static final String NETWORKING = "networking.istio.io";
        public static final String SECURITY = "security.istio.io";
        public static final String TELEMETRY = "telemetry.istio.io";
        public static final List<String> NETWORKING_VERSIONS = List.of("v1", "v1beta1", "v1alpha3");
        public static final List<String> SECURITY_VERSIONS = List.of("v1", "v1beta1");
        public static final List<String> TELEMETRY_VERSIONS = List.of("v1", "v1alpha1");

        private Groups() {
        }
    }

    private final String group;
    private final String kind;
    private final String plural;
    private final List<String> versions;
    private final Class<? extends Record> specClass;

    Kind(String group, String kind, String plural, List<String> versions, Class<? extends Record> specClass) {
        this.group = group;
        this.kind = kind;
        this.plural = plural;
        this.versions = List.copyOf(versions);
        this.specClass = specClass;
    }

    public String group() {
        return group;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    public List<String> versions() {
        return versions;
    }

    public Class<? extends Record> specClass() {
        return specClass;
    }

    /** {@code group/version} for every served version, e.g. {@code networking.istio.io/v1beta1}. */
    public List<String> apiVersions() {
        return versions.stream().map(v -> group + "/" + v).toList();
    }

    /** {@code group/version} of the first (preferred) version, for output. */
    public String preferredApiVersion() {
        return group + "/" + versions.get(0);
    }

    public boolean serves(String apiVersion) {
        return apiVersion != null && Lookup.BY_API_VERSION_AND_KIND.get(apiVersion + "|" + kind) == this;
    }

    /**
     * The kind for an envelope's {@code apiVersion} and {@code kind}, exactly as Kubernetes matches them
     * (case-sensitive); empty for kinds that are not ours or versions that are not served.
     */
    public static Optional<Kind> lookup(String apiVersion, String kind) {
        if (apiVersion == null || kind == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(Lookup.BY_API_VERSION_AND_KIND.get(apiVersion + "|" + kind));
    }

    /** The kind for a Kubernetes resource path's group and plural ({@code networking.istio.io}, {@code gateways}). */
    public static Optional<Kind> byPlural(String group, String plural) {
        if (group == null || plural == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(Lookup.BY_GROUP_AND_PLURAL.get(group + "|" + plural));
    }

    /** The kind with this {@code kind} name in any of our groups (for messages and CLI filters). */
    public static Optional<Kind> byKindName(String kind) {
        return Optional.ofNullable(Lookup.BY_KIND.get(kind));
    }

    /** Whether this group is one of ours (a resource of an unknown kind in it is an error, not a skip). */
    public static boolean isIstioGroup(String group) {
        return Groups.NETWORKING.equals(group) || Groups.SECURITY.equals(group) || Groups.TELEMETRY.equals(group);
    }

    /** Built after the constants exist; enum constructors cannot touch static maps. */
    private static final class Lookup {
        static final Map<String, Kind> BY_API_VERSION_AND_KIND = new HashMap<>();
        static final Map<String, Kind> BY_GROUP_AND_PLURAL = new HashMap<>();
        static final Map<String, Kind> BY_KIND = new HashMap<>();

        static {
            for (Kind k : values()) {
                for (String v : k.versions) {
                    BY_API_VERSION_AND_KIND.put(k.group + "/" + v + "|" + k.kind, k);
                }
                BY_GROUP_AND_PLURAL.put(k.group + "|" + k.plural, k);
                BY_KIND.put(k.kind, k);
            }
        }
    }
}
