package dev.meshgate.config.validation;

import dev.meshgate.config.model.Resource;
import dev.meshgate.config.model.security.ClaimToHeader;
import dev.meshgate.config.model.security.JWTRule;
import dev.meshgate.config.model.security.RequestAuthentication;

import java.net.URI;
import java.net.URISyntaxException;

/** RequestAuthentication rules of Istio's {@code ValidateRequestAuthentication}. */
final class RequestAuthenticationValidator implements KindValidator<RequestAuthentication> {

    @Override
    public Class<RequestAuthentication> specType() {
        return RequestAuthentication.class;
    }

    @Override
    public void validate(Resource<RequestAuthentication> resource, FieldContext spec) {
        RequestAuthentication ra = resource.spec();
        PolicyRules.selectorAndTargets(spec, ra.selector(), ra.targetRef(), ra.targetRefs());
        for (int i = 0; i < ra.jwtRules().size(); i++) {
            rule(spec.field("jwtRules").index(i), ra.jwtRules().get(i));
        }
    }

    private static void rule(FieldContext at, JWTRule r) {
        if (Checks.isBlank(r.issuer())) {
            at.error("issuer", "is required");
        }
        for (int i = 0; i < r.audiences().size(); i++) {
            if (Checks.isBlank(r.audiences().get(i))) {
                at.field("audiences").index(i).error("must not be empty");
            }
        }
        if (!Checks.isBlank(r.jwksUri()) && !Checks.isBlank(r.jwks())) {
            at.error("only one of jwksUri or jwks may be set");
        }
        if (!Checks.isBlank(r.jwksUri())) {
            try {
                URI u = new URI(r.jwksUri());
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                    at.error("jwksUri", "must be an http or https URL with a host");
                }
            } catch (URISyntaxException e) {
                at.error("jwksUri", "is not a valid URL: " + e.getReason());
            }
        }
        if (!Checks.isBlank(r.jwks()) && !r.jwks().trim().startsWith("{")) {
            at.error("jwks", "must be an inline JSON Web Key Set (a JSON object)");
        }
        for (int i = 0; i < r.fromHeaders().size(); i++) {
            if (Checks.isBlank(r.fromHeaders().get(i).name())) {
                at.field("fromHeaders").index(i).error("name", "is required");
            }
        }
        for (int i = 0; i < r.fromParams().size(); i++) {
            if (Checks.isBlank(r.fromParams().get(i))) {
                at.field("fromParams").index(i).error("must not be empty");
            }
        }
        for (int i = 0; i < r.fromCookies().size(); i++) {
            if (Checks.isBlank(r.fromCookies().get(i))) {
                at.field("fromCookies").index(i).error("must not be empty");
            }
        }
        for (int i = 0; i < r.outputClaimToHeaders().size(); i++) {
            ClaimToHeader c = r.outputClaimToHeaders().get(i);
            FieldContext ci = at.field("outputClaimToHeaders").index(i);
            if (Checks.isBlank(c.claim())) {
                ci.error("claim", "is required");
            }
            if (Checks.isBlank(c.header())) {
                ci.error("header", "is required");
            } else if (!Checks.isHeaderName(c.header())) {
                ci.error("header", "invalid header name \"" + c.header() + "\"");
            }
        }
        Checks.duration(at.field("timeout"), r.timeout());
    }
}
