package dev.meshgate.config.model.security;

import dev.meshgate.config.model.Copies;
import java.time.Duration;
import java.util.List;

/**
 * How to validate JWTs from one issuer. {@code timeout} (JWKS fetch) is filled with 5s when absent
 * (request_authentication.proto [1.22+]).
 *
 * @param audiences             empty = the service name is accepted
 * @param jwksUri               exclusive with {@code jwks}
 * @param jwks                  inline JWKS JSON
 * @param fromHeaders           empty together with fromParams/fromCookies = {@code Authorization: Bearer} then
 *                              the {@code access_token} query parameter
 * @param fromCookies           [1.22+]
 * @param forwardOriginalToken  false (default) = the token is removed before forwarding
 * @param spaceDelimitedClaims  [1.28+], in addition to {@code scope} and {@code permission}
 */
public record JWTRule(
        String issuer,
        List<String> audiences,
        String jwksUri,
        String jwks,
        List<JWTHeader> fromHeaders,
        List<String> fromParams,
        String outputPayloadToHeader,
        List<String> fromCookies,
        boolean forwardOriginalToken,
        List<ClaimToHeader> outputClaimToHeaders,
        Duration timeout,
        List<String> spaceDelimitedClaims) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public JWTRule {
        audiences = Copies.list(audiences);
        fromHeaders = Copies.list(fromHeaders);
        fromParams = Copies.list(fromParams);
        fromCookies = Copies.list(fromCookies);
        outputClaimToHeaders = Copies.list(outputClaimToHeaders);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        spaceDelimitedClaims = Copies.list(spaceDelimitedClaims);
    }
}
