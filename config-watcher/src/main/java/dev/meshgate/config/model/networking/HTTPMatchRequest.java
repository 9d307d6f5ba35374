package dev.meshgate.config.model.networking;

import dev.meshgate.config.model.Copies;
import java.util.List;
import java.util.Map;

/**
 * The conditions of one HTTP match; all set conditions must hold (AND).
 *
 * @param headers         lowercase header name to match; an empty StringMatch is a presence check. Keys starting
 *                        with {@code @request.auth.claims} match JWT claims
 * @param port            0 = any port
 * @param sourceLabels    config-time client selector (sidecars only)
 * @param gateways        overrides the VirtualService's gateways for this match
 * @param withoutHeaders  negated header matches
 * @param ignoreUriCase   exact/prefix URI matches ignore case
 */
public record HTTPMatchRequest(
        String name,
        StringMatch uri,
        StringMatch scheme,
        StringMatch method,
        StringMatch authority,
        Map<String, StringMatch> headers,
        int port,
        Map<String, String> sourceLabels,
        List<String> gateways,
        Map<String, StringMatch> queryParams,
        boolean ignoreUriCase,
        Map<String, StringMatch> withoutHeaders,
        String sourceNamespace,
        String statPrefix) {

    public HTTPMatchRequest {
        headers = Copies.map(headers);
        sourceLabels = Copies.map(sourceLabels);
        gateways = Copies.list(gateways);
        queryParams = Copies.map(queryParams);
        withoutHeaders = Copies.map(withoutHeaders);
    }
}
