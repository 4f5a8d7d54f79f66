package dev.devtime.local.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Date;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.devtime.functions.auth.JwtVerifier;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * The OIDC issuer that stands in for Cognito on one machine: NAV's mock-oauth2-server with its sign-in
 * page (the user name typed there becomes the token's {@code sub}, that is the DevTime user), signing
 * with an RSA key of this installation kept in the data directory. Tokens carry what Cognito's access
 * tokens carry for the dashboard: {@code client_id}, {@code aud} and the {@code devtime/api} scope, so
 * the same JWT checks run here and in AWS.
 */
public final class LocalIssuer implements AutoCloseable {

    public static final String ISSUER_ID = "devtime";
    public static final String CLIENT_ID = "devtime-dashboard";
    public static final String API_SCOPE = "devtime/api";
    public static final String SCOPES = "openid email " + API_SCOPE;

    private final MockOAuth2Server server;
    private final RSAKey key;
    private final int port;

    private LocalIssuer(MockOAuth2Server server, RSAKey key, int port) {
        this.server = server;
        this.key = key;
        this.port = port;
    }

    /** @param keyFile where the signing key is kept across restarts; null for a key of this run only */
    public static LocalIssuer start(int port, Path keyFile) throws Exception {
        DefaultOAuth2TokenCallback callback = new DefaultOAuth2TokenCallback(ISSUER_ID, UUID.randomUUID().toString(),
                "JWT", List.of(CLIENT_ID), Map.of("scope", SCOPES, "client_id", CLIENT_ID), 3600L);
        // The server names its key after the issuer id; ours must carry the same kid for tokens to verify.
        RSAKey key = new RSAKey.Builder(signingKey(keyFile)).keyID(ISSUER_ID).build();
        OAuth2Config config = new OAuth2Config(true, null, null, false,
                new OAuth2TokenProvider(new KeyProvider(List.of(key)), (Instant) null), Set.of(callback));
        MockOAuth2Server server = new MockOAuth2Server(config);
        server.start(InetAddress.getByName("127.0.0.1"), port);
        return new LocalIssuer(server, key, server.baseUrl().port());
    }

    /**
     * The issuer as the browser sees it. The server names itself after the Host header of each request, so
     * DevTime always uses 127.0.0.1 (never localhost) for it, in the dashboard's configuration and here.
     */
    public String issuer() {
        return "http://127.0.0.1:" + port + "/" + ISSUER_ID;
    }

    public String jwksUri() {
        return issuer() + "/jwks";
    }

    /** Checks tokens as API Gateway's JWT authorizer is configured to in AWS. */
    public JwtVerifier verifier() {
        return new JwtVerifier(issuer(), jwksUri(), List.of(CLIENT_ID), API_SCOPE);
    }

    /** A token for {@code user} with the claims the sign-in page's tokens have (tests, scripted set-ups). */
    public String tokenFor(String user) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer()).subject(user).audience(CLIENT_ID)
                .claim("client_id", CLIENT_ID).claim("scope", SCOPES).issueTime(Date.from(now))
                .notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .jwtID(UUID.randomUUID().toString()).build();
        return sign(claims);
    }

    /** Signs any claims with this issuer's key (tests use it to make expired or wrong-audience tokens). */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }

    private static RSAKey signingKey(Path keyFile) throws Exception {
        if (keyFile != null && Files.exists(keyFile)) {
            return RSAKey.parse(Files.readString(keyFile, StandardCharsets.UTF_8));
        }
        RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                .keyID(UUID.randomUUID().toString()).generate();
        if (keyFile != null) {
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, key.toJSONString(), StandardCharsets.UTF_8);
            keyFile.toFile().setReadable(false, false);
            keyFile.toFile().setReadable(true, true);
        }
        return key;
    }
}
