package dev.meshgate.gateway.upstream.lb;

import java.util.HashMap;
import java.util.Map;

/**
 * An Istio locality {@code region/zone/subzone} (empty parts allowed), of an endpoint or of the gateway itself.
 * Istio also exposes it as the endpoint's topology labels; {@link #of(Map)} reads it back from them.
 */
public record Locality(String region, String zone, String subzone) {

    public static final String REGION_LABEL = "topology.kubernetes.io/region";
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    public static final String SUBZONE_LABEL = "topology.istio.io/subzone";
    public static final String NETWORK_LABEL = "topology.istio.io/network";
    /** Istio's legacy locality label, {@code region.zone.subzone} with dots (used when no locality field is set). */
    public static final String ISTIO_LOCALITY_LABEL = "istio-locality";

    public static final Locality NONE = new Locality("", "", "");

    public Locality {
        region = region == null ? "" : region;
        zone = zone == null ? "" : zone;
        subzone = subzone == null ? "" : subzone;
    }

    /** Parses {@code region/zone/subzone} (fewer parts allowed); null or blank is {@link #NONE}. */
    public static Locality parse(String s) {
        if (s == null || s.isBlank()) {
            return NONE;
        }
        String[] parts = s.trim().split("/", 3);
        return new Locality(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
    }

    /** The locality an endpoint's topology labels describe. */
    public static Locality of(Map<String, String> labels) {
        return new Locality(labels.get(REGION_LABEL), labels.get(ZONE_LABEL), labels.get(SUBZONE_LABEL));
    }

    public boolean isEmpty() {
        return region.isEmpty() && zone.isEmpty() && subzone.isEmpty();
    }

    /**
     * Istio's LocalityMatch: {@code pattern} is {@code region[/zone[/subzone]]} where a part may be {@code *};
     * a missing zone or subzone matches any.
     */
    public boolean matches(String pattern) {
        Locality p = parse(pattern);
        return (p.region.equals("*") || p.region.equals(region))
                && (p.zone.isEmpty() || p.zone.equals("*") || p.zone.equals(zone))
                && (p.subzone.isEmpty() || p.subzone.equals("*") || p.subzone.equals(subzone));
    }

    /**
     * Istio's LbPriority seen from this (the gateway's) locality: 0 same region/zone/subzone, 1 same region/zone,
     * 2 same region, 3 otherwise.
     */
    public int priorityOf(Locality endpoint) {
        if (!region.equals(endpoint.region)) {
            return 3;
        }
        if (!zone.equals(endpoint.zone)) {
            return 2;
        }
        return subzone.equals(endpoint.subzone) ? 0 : 1;
    }

    /**
     * {@code labels} plus this locality's topology labels (and the network label when given), overriding
     * existing values, as Istio's AugmentLabels does for endpoints and proxies.
     */
    public Map<String, String> augment(Map<String, String> labels, String network) {
        if (isEmpty() && (network == null || network.isEmpty())) {
            return labels;
        }
        Map<String, String> out = new HashMap<>(labels);
        if (!region.isEmpty()) {
            out.put(REGION_LABEL, region);
        }
        if (!zone.isEmpty()) {
            out.put(ZONE_LABEL, zone);
        }
        if (!subzone.isEmpty()) {
            out.put(SUBZONE_LABEL, subzone);
        }
        if (network != null && !network.isEmpty()) {
            out.put(NETWORK_LABEL, network);
        }
        return out;
    }

    @Override
    public String toString() {
        return region + "/" + zone + "/" + subzone;
    }
}
