package dev.meshgate.config.model.security;

import dev.meshgate.config.model.Copies;
import java.util.List;

/**
 * Request source conditions; fields are ANDed, values within a field ORed. String values use exact, prefix
 * ({@code abc*}), suffix ({@code *abc}) or presence ({@code *}) matching.
 *
 * @param serviceAccounts [1.26+]
 * @param trustDomains    [1.30+]
 */
public record Source(
        List<String> principals,
        List<String> notPrincipals,
        List<String> requestPrincipals,
        List<String> notRequestPrincipals,
        List<String> namespaces,
        List<String> notNamespaces,
        List<String> serviceAccounts,
        List<String> notServiceAccounts,
        List<String> ipBlocks,
        List<String> notIpBlocks,
        List<String> remoteIpBlocks,
        List<String> notRemoteIpBlocks,
        List<String> trustDomains,
        List<String> notTrustDomains) {

    public Source {
        principals = Copies.list(principals);
        notPrincipals = Copies.list(notPrincipals);
        requestPrincipals = Copies.list(requestPrincipals);
        notRequestPrincipals = Copies.list(notRequestPrincipals);
        namespaces = Copies.list(namespaces);
        notNamespaces = Copies.list(notNamespaces);
        serviceAccounts = Copies.list(serviceAccounts);
        notServiceAccounts = Copies.list(notServiceAccounts);
        ipBlocks = Copies.list(ipBlocks);
        notIpBlocks = Copies.list(notIpBlocks);
        remoteIpBlocks = Copies.list(remoteIpBlocks);
        notRemoteIpBlocks = Copies.list(notRemoteIpBlocks);
        trustDomains = Copies.list(trustDomains);
        notTrustDomains = Copies.list(notTrustDomains);
    }
}
