package dev.devtime.functions.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a bearer JWT the way API Gateway's JWT authorizer does: RS256 signature against the issuer's
 * JWKS, issuer, expiry, audience ({@code aud}, or Cognito's {@code client_id} on access tokens) and,
 * when configured, a required scope. Used by the local gateway and by handlers on routes that accept
 * either an API key or a dashboard token.
 */
public final class JwtVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String issuer;
    private final Set<String> audiences;
    private final String requiredScope;

    /**
     * @param issuer        e.g. {@code https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc}
     * @param jwksUri       the issuer's key set; null for {@code <issuer>/.well-known/jwks.json}
     * @param audiences     accepted client ids
     * @param requiredScope a scope the token must carry, or null
     */
    public JwtVerifier(String issuer, String jwksUri, List<String> audiences, String requiredScope) {
        this.issuer = issuer;
        this.audiences = new HashSet<>(audiences);
        this.requiredScope = requiredScope;
        try {
            String jwks = jwksUri != null ? jwksUri : issuer.replaceAll("/$", "") + "/.well-known/jwks.json";
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(
                            URI.create(jwks).toURL())
                    .retrying(true)
                    .build();
            processor.setJWSKeySelector(
                    new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad JWKS URL for issuer " + issuer, e);
        }
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp")));
    }

    /** From the environment the CDK app sets; null when dashboard tokens are not configured. */
    public static JwtVerifier fromEnvironment() {
        String issuer = System.getenv("JWT_ISSUER");
        String audience = System.getenv("JWT_AUDIENCE");
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            return null;
        }
        return new JwtVerifier(
                issuer, System.getenv("JWT_JWKS_URI"), Arrays.asList(audience.split(",")), System.getenv("JWT_SCOPE"));
    }

    public String issuer() {
        return issuer;
    }

    /** The verified claims, or null for any token that fails any check. */
    public JWTClaimsSet verify(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            // The subject becomes the user id: a present but empty one would be a user named "".
            if (claims.getSubject() == null || claims.getSubject().isBlank() || !audienceMatches(claims)) {
                return null;
            }
            if (requiredScope != null && !requiredScope.isBlank()) {
                String scope = claims.getStringClaim("scope");
                if (scope == null || !Arrays.asList(scope.split(" ")).contains(requiredScope)) {
                    return null;
                }
            }
            return claims;
        } catch (Exception e) {
            return null;
        }
    }

    private boolean audienceMatches(JWTClaimsSet claims) throws java.text.ParseException {
        if (claims.getAudience() != null) {
            for (String a : claims.getAudience()) {
                if (audiences.contains(a)) {
                    return true;
                }
            }
        }
        String clientId = claims.getStringClaim("client_id");
        return clientId != null && audiences.contains(clientId);
    }
}
