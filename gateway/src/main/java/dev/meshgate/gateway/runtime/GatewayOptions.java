package dev.meshgate.gateway.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How this gateway instance presents itself to the config and binds its listeners.
 *
 * @param labels           the instance's workload labels; Gateways whose selector is a subset of them apply
 *                         (in any namespace, as Istio does by default)
 * @param gatewayNamespace the instance's namespace (exportTo of VirtualServices is checked against it)
 * @param portMap          Gateway service port to local port, as a Service port maps to a targetPort; unmapped
 *                         ports bind as written; a local port 0 picks a free one (tests)
 * @param eventLoops       verticles (and event loops) per listener; default the number of cores
 * @param acceptHttp10     serve HTTP/1.0 instead of answering 426 (Istio's PILOT_HTTP10)
 * @param bindHost         address listeners bind when a server has no {@code bind}
 * @param locality         the instance's locality {@code region/zone/subzone} for locality load balancing;
 *                         empty = none (no locality awareness)
 */
public record GatewayOptions(Map<String, String> labels, String gatewayNamespace, Map<Integer, Integer> portMap,
                             int eventLoops, boolean acceptHttp10, String bindHost, String locality) {

    public GatewayOptions(Map<String, String> labels, String gatewayNamespace, Map<Integer, Integer> portMap,
                          int eventLoops, boolean acceptHttp10, String bindHost) {
        this(labels, gatewayNamespace, portMap, eventLoops, acceptHttp10, bindHost, "");
    }

    public static final Map<String, String> DEFAULT_LABELS = Map.of("istio", "ingressgateway");
    public static final String DEFAULT_NAMESPACE = "istio-system";

    public GatewayOptions {
        labels = labels == null ? DEFAULT_LABELS : Map.copyOf(labels);
        gatewayNamespace = gatewayNamespace == null || gatewayNamespace.isBlank() ? DEFAULT_NAMESPACE : gatewayNamespace;
        portMap = portMap == null ? Map.of() : Map.copyOf(portMap);
        eventLoops = eventLoops <= 0 ? Runtime.getRuntime().availableProcessors() : eventLoops;
        bindHost = bindHost == null || bindHost.isBlank() ? "0.0.0.0" : bindHost;
        locality = locality == null ? "" : locality.trim();
    }

    public static GatewayOptions defaults() {
        return new GatewayOptions(null, null, null, 0, false, null);
    }

    public GatewayOptions withPortMap(Map<Integer, Integer> map) {
        return new GatewayOptions(labels, gatewayNamespace, map, eventLoops, acceptHttp10, bindHost, locality);
    }

    public GatewayOptions withBindHost(String host) {
        return new GatewayOptions(labels, gatewayNamespace, portMap, eventLoops, acceptHttp10, host, locality);
    }

    public GatewayOptions withEventLoops(int n) {
        return new GatewayOptions(labels, gatewayNamespace, portMap, n, acceptHttp10, bindHost, locality);
    }

    public GatewayOptions withAcceptHttp10(boolean accept) {
        return new GatewayOptions(labels, gatewayNamespace, portMap, eventLoops, accept, bindHost, locality);
    }

    public GatewayOptions withLabels(Map<String, String> l) {
        return new GatewayOptions(l, gatewayNamespace, portMap, eventLoops, acceptHttp10, bindHost, locality);
    }

    public GatewayOptions withLocality(String l) {
        return new GatewayOptions(labels, gatewayNamespace, portMap, eventLoops, acceptHttp10, bindHost, l);
    }

    /**
     * Checks a {@code region/zone/subzone} locality (zone and subzone optional, no wildcards).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkLocality(String locality) {
        if (locality == null || locality.isBlank()) {
            return "";
        }
        String v = locality.trim();
        String[] parts = v.split("/", -1);
        if (parts.length > 3 || v.contains("*") || parts[0].isEmpty()
                || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("locality '" + locality
                    + "': expected REGION[/ZONE[/SUBZONE]] with no empty part and no '*'");
        }
        return v;
    }

    public int localPort(int servicePort) {
        return portMap.getOrDefault(servicePort, servicePort);
    }

    /** Parses {@code 80=8080,443=8443}. */
    public static Map<Integer, Integer> parsePortMap(String spec) {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("port map entry '" + p + "': expected SERVICE_PORT=LOCAL_PORT");
            }
            int from = parsePort(p.substring(0, eq).trim(), p, false);
            int to = parsePort(p.substring(eq + 1).trim(), p, true);
            out.put(from, to);
        }
        return out;
    }

    /** Parses {@code istio=ingressgateway,app=edge}. */
    public static Map<String, String> parseLabels(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("label '" + p + "': expected KEY=VALUE");
            }
            out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return out;
    }

    private static int parsePort(String s, String entry, boolean allowZero) {
        try {
            int v = Integer.parseInt(s);
            if (v < (allowZero ? 0 : 1) || v > 65535) {
                throw new IllegalArgumentException("port map entry '" + entry + "': port " + v + " out of range");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port map entry '" + entry + "': '" + s + "' is not a port number");
        }
    }
}
