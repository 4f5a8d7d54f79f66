package dev.devtime.local.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local sign-in server over real HTTP, as a browser and as a hostile page would use it: everything
 * Cognito refuses for a public client with PKCE, it refuses too.
 */
class LocalIssuerTest {

    private static final String DASHBOARD = "http://127.0.0.1:47000";
    private static final String REDIRECT = DASHBOARD + "/";
    private static final String EVIL = "http://evil.example";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-devtime";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static LocalIssuer issuer;
    private static final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        issuer = LocalIssuer.start(0, null, Duration.ofHours(1), Clock.systemUTC());
        issuer.registerDashboard(DASHBOARD);
    }

    @AfterAll
    static void stop() throws Exception {
        issuer.close();
    }

    // --- the dashboard's flow ---

    @Test
    void codeFlowWithPkceIssuesTokensTheGatewayAcceptsAndRefreshRenewsThem() throws Exception {
        Map<String, String> tokens = signIn("local");
        JWTClaimsSet access = issuer.verifier().verify(tokens.get("access_token"));
        assertNotNull(access, "the gateway's JWT check accepts the access token");
        assertEquals("local", access.getSubject());
        assertEquals(issuer.issuer(), access.getIssuer());
        assertEquals(LocalIssuer.CLIENT_ID, access.getStringClaim("client_id"));
        assertEquals(List.of(LocalIssuer.CLIENT_ID), access.getAudience());
        assertEquals("openid email devtime/api", access.getStringClaim("scope"));
        long lifetime =
                access.getExpirationTime().getTime() - access.getIssueTime().getTime();
        assertEquals(3_600_000, lifetime, "access tokens live one hour, as the CDK app sets Cognito's");
        JWTClaimsSet id = SignedJWT.parse(tokens.get("id_token")).getJWTClaimsSet();
        assertEquals("nonce-1", id.getStringClaim("nonce"));
        assertEquals("local", id.getStringClaim("cognito:username"));
        String refresh = tokens.get("refresh_token");
        assertNotNull(refresh, "the code exchange issues a refresh token");

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = post(
                    "/oauth2/token",
                    Map.of("grant_type", "refresh_token", "client_id", LocalIssuer.CLIENT_ID, "refresh_token", refresh),
                    DASHBOARD);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            JWTClaimsSet renewed =
                    issuer.verifier().verify(body.path("access_token").asText());
            assertNotNull(renewed, "a refreshed access token is accepted");
            assertEquals("local", renewed.getSubject());
            assertNotEquals(
                    tokens.get("access_token"), body.path("access_token").asText());
            assertTrue(body.has("id_token"));
            assertFalse(
                    body.has("refresh_token"),
                    "no rotation, as Cognito by default: the same refresh token stays valid");
            assertEquals(
                    DASHBOARD,
                    r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        }
        HttpResponse<String> forged = post(
                "/oauth2/token",
                Map.of(
                        "grant_type",
                        "refresh_token",
                        "client_id",
                        LocalIssuer.CLIENT_ID,
                        "refresh_token",
                        refresh + "x"),
                null);
        assertEquals("invalid_grant", error(forged, 400));
    }

    @Test
    void discoveryNamesCognitosEndpointsAndNoEndSession() throws Exception {
        HttpResponse<String> r = get(issuer.issuer() + "/.well-known/openid-configuration", DASHBOARD);
        assertEquals(200, r.statusCode());
        JsonNode d = JSON.readTree(r.body());
        assertEquals(issuer.issuer(), d.path("issuer").asText());
        assertEquals(
                issuer.domain() + "/oauth2/authorize",
                d.path("authorization_endpoint").asText());
        assertEquals(issuer.domain() + "/oauth2/token", d.path("token_endpoint").asText());
        assertEquals(
                issuer.issuer() + "/.well-known/jwks.json", d.path("jwks_uri").asText());
        assertFalse(d.has("end_session_endpoint"), "Cognito's discovery document has none; sign-out is /logout");
        assertEquals(200, get(d.path("jwks_uri").asText(), null).statusCode());
    }

    @Test
    void signingKeyIsKeptInTheDataDirectory(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("oidc-signing-key.json");
        String token;
        try (LocalIssuer first = LocalIssuer.start(0, keyFile, Duration.ofHours(1), Clock.systemUTC())) {
            token = first.tokenFor("local");
        }
        try (LocalIssuer second = LocalIssuer.start(0, keyFile, Duration.ofHours(1), Clock.systemUTC())) {
            JWTClaimsSet c = SignedJWT.parse(token).getJWTClaimsSet();
            // Another port is another issuer name; the signature is what must survive the restart.
            assertNotNull(new dev.devtime.functions.auth.JwtVerifier(
                            c.getIssuer(), second.jwksUri(), List.of(LocalIssuer.CLIENT_ID), LocalIssuer.API_SCOPE)
                    .verify(token));
        }
    }

    // --- refusals ---

    @Test
    void corsIsAnsweredForTheDashboardOnlyAndNeverWithCredentials() throws Exception {
        String discovery = issuer.issuer() + "/.well-known/openid-configuration";
        HttpResponse<String> own = get(discovery, DASHBOARD);
        assertEquals(
                DASHBOARD,
                own.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        for (String origin : List.of(EVIL, "http://127.0.0.1:47001", "null")) {
            HttpResponse<String> foreign = get(discovery, origin);
            assertTrue(
                    foreign.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                    origin + ": " + foreign.headers());
            HttpResponse<String> preflight = http.send(
                    HttpRequest.newBuilder(URI.create(issuer.domain() + "/oauth2/token"))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", origin)
                            .header("Access-Control-Request-Method", "POST")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(
                    preflight
                            .headers()
                            .firstValue("Access-Control-Allow-Origin")
                            .isEmpty(),
                    origin + " preflight");
            HttpResponse<String> token = post(
                    "/oauth2/token",
                    Map.of("grant_type", "refresh_token", "client_id", LocalIssuer.CLIENT_ID, "refresh_token", "x"),
                    origin);
            assertEquals(403, token.statusCode(), origin + " may not call the token endpoint");
            assertTrue(token.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        }
        for (HttpResponse<String> r : List.of(own, get(discovery, EVIL))) {
            assertTrue(
                    r.headers().firstValue("Access-Control-Allow-Credentials").isEmpty());
            assertFalse("*"
                    .equals(r.headers()
                            .firstValue("Access-Control-Allow-Origin")
                            .orElse("")));
        }
    }

    @Test
    void passwordAndClientCredentialsGrantsAreRefused() throws Exception {
        HttpResponse<String> password = post(
                "/oauth2/token",
                Map.of(
                        "grant_type",
                        "password",
                        "client_id",
                        LocalIssuer.CLIENT_ID,
                        "username",
                        "victim",
                        "password",
                        "x",
                        "scope",
                        LocalIssuer.SCOPES),
                null);
        assertEquals("unsupported_grant_type", error(password, 400));
        assertFalse(password.body().contains("access_token"));
        HttpResponse<String> clientCredentials = post(
                "/oauth2/token",
                Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        LocalIssuer.CLIENT_ID,
                        "scope",
                        LocalIssuer.SCOPES),
                null);
        assertEquals("unauthorized_client", error(clientCredentials, 400));
        HttpResponse<String> otherClient =
                post("/oauth2/token", Map.of("grant_type", "client_credentials", "client_id", "victim"), null);
        assertEquals("invalid_client", error(otherClient, 400));
        HttpResponse<String> notAForm = http.send(
                HttpRequest.newBuilder(URI.create(issuer.domain() + "/oauth2/token"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"password\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("invalid_request", error(notAForm, 400));
    }

    @Test
    void unregisteredRedirectUrisGetAnErrorPageAndNoRedirect() throws Exception {
        for (String uri : List.of(
                EVIL + "/",
                DASHBOARD,
                DASHBOARD + "/callback",
                DASHBOARD + "/?x=1",
                "http://127.0.0.1:47001/",
                "http://localhost:47000/")) {
            HttpResponse<String> r = get(authorizeUrl(Map.of("redirect_uri", uri)), null);
            assertEquals(400, r.statusCode(), uri);
            assertTrue(r.headers().firstValue("Location").isEmpty(), uri + " must not be redirected to");
            assertTrue(r.body().contains("redirect_uri is not registered"), r.body());
        }
        HttpResponse<String> otherClient = get(authorizeUrl(Map.of("client_id", "someone-else")), null);
        assertEquals(400, otherClient.statusCode());
        assertTrue(otherClient.headers().firstValue("Location").isEmpty());
    }

    @Test
    void authorizationWithoutPkceS256OrForTokensIsRefused() throws Exception {
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        Map<String, String> noChallenge = new HashMap<>();
        noChallenge.put("code_challenge", null);
        noChallenge.put("code_challenge_method", null);
        cases.put("invalid_request", noChallenge);
        cases.put("invalid_request ", Map.of("code_challenge_method", "plain"));
        cases.put("unsupported_response_type", Map.of("response_type", "token"));
        cases.put("invalid_scope", Map.of("scope", "openid aws.cognito.signin.user.admin"));
        for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
            HttpResponse<String> r = get(authorizeUrl(c.getValue()), null);
            assertEquals(302, r.statusCode(), c.toString());
            Map<String, String> back = query(r.headers().firstValue("Location").orElseThrow());
            assertEquals(c.getKey().trim(), back.get("error"), c.toString());
            assertNull(back.get("code"), "no code without PKCE S256");
            assertEquals("xyz-state", back.get("state"));
        }
    }

    @Test
    void aCodeIsGoodForOneExchangeWithItsVerifierAndRedirectUri() throws Exception {
        String code = code("local");
        HttpResponse<String> wrongVerifier =
                post("/oauth2/token", exchange(code, VERIFIER.replace('d', 'e'), REDIRECT), DASHBOARD);
        assertEquals("invalid_grant", error(wrongVerifier, 400));
        // A failed attempt used the code up, as Cognito does.
        assertEquals("invalid_grant", error(post("/oauth2/token", exchange(code, VERIFIER, REDIRECT), DASHBOARD), 400));

        String second = code("local");
        HttpResponse<String> noVerifier = post(
                "/oauth2/token",
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "client_id",
                        LocalIssuer.CLIENT_ID,
                        "code",
                        second,
                        "redirect_uri",
                        REDIRECT),
                DASHBOARD);
        assertEquals("invalid_grant", error(noVerifier, 400));

        String third = code("local");
        assertEquals(
                200,
                post("/oauth2/token", exchange(third, VERIFIER, REDIRECT), DASHBOARD)
                        .statusCode());
        HttpResponse<String> reuse = post("/oauth2/token", exchange(third, VERIFIER, REDIRECT), DASHBOARD);
        assertEquals("invalid_grant", error(reuse, 400));
        assertFalse(reuse.body().contains("access_token"));
    }

    @Test
    void anEmptyOrBlankUserNameDoesNotSignIn() throws Exception {
        for (String name : List.of("", "   ", "two words")) {
            String id = signInId();
            HttpResponse<String> r = post("/login", Map.of("sign_in", id, "username", name), issuer.domain());
            assertEquals(400, r.statusCode(), "'" + name + "'");
            assertTrue(r.headers().firstValue("Location").isEmpty());
            assertTrue(r.body().contains("role=\"alert\""), r.body());
        }
    }

    @Test
    void theSignInPageIsDevTimesOwnAndLoadsNothingFromOtherHosts() throws Exception {
        HttpResponse<String> r = get(authorizeUrl(Map.of()), null);
        assertEquals(200, r.statusCode());
        String page = r.body();
        assertTrue(page.contains("DevTime"));
        assertTrue(page.contains("Sign in as <code>local</code> to see the default key's data"), page);
        assertFalse(page.contains("claims"), "no claims box");
        Matcher external = Pattern.compile("(src|href)=\"(https?:)?//").matcher(page);
        assertFalse(external.find(), "nothing from another host: " + page);
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), csp);
        assertEquals(200, get(issuer.domain() + "/sign-in.css", null).statusCode());
    }

    @Test
    void aSignInFormPostedFromAnotherOriginIsRefused() throws Exception {
        HttpResponse<String> r = post("/login", Map.of("sign_in", signInId(), "username", "local"), EVIL);
        assertEquals(403, r.statusCode());
        assertTrue(r.headers().firstValue("Location").isEmpty());
    }

    @Test
    void logoutRedirectsToRegisteredSignOutUrisOnly() throws Exception {
        HttpResponse<String> ok =
                get(logoutUrl(Map.of("client_id", LocalIssuer.CLIENT_ID, "logout_uri", REDIRECT)), null);
        assertEquals(302, ok.statusCode());
        assertEquals(REDIRECT, ok.headers().firstValue("Location").orElse(null));

        for (Map<String, String> bad : List.of(
                Map.of("client_id", LocalIssuer.CLIENT_ID, "logout_uri", EVIL + "/"),
                Map.of("client_id", LocalIssuer.CLIENT_ID, "logout_uri", DASHBOARD + "/elsewhere"),
                Map.of("logout_uri", REDIRECT),
                Map.of("client_id", "someone-else", "logout_uri", REDIRECT),
                // What oidc-client-ts's signoutRedirect sends: Cognito rejects it.
                Map.of("client_id", LocalIssuer.CLIENT_ID, "post_logout_redirect_uri", REDIRECT))) {
            HttpResponse<String> r = get(logoutUrl(bad), null);
            assertEquals(400, r.statusCode(), bad.toString());
            assertTrue(r.headers().firstValue("Location").isEmpty(), bad + " must not redirect");
        }

        // Cognito's other form: sign out, then straight on to a new sign-in for the same client.
        HttpResponse<String> again = get(
                logoutUrl(Map.of(
                        "client_id",
                        LocalIssuer.CLIENT_ID,
                        "redirect_uri",
                        REDIRECT,
                        "response_type",
                        "code",
                        "scope",
                        "openid")),
                null);
        assertEquals(302, again.statusCode());
        String to = again.headers().firstValue("Location").orElseThrow();
        assertTrue(to.startsWith(issuer.domain() + "/oauth2/authorize?"), to);
        assertEquals(REDIRECT, query(to).get("redirect_uri"));
    }

    @Test
    void requestsForAForeignHostAreRefused() throws Exception {
        String discovery = "/" + LocalIssuer.ISSUER_ID + "/.well-known/openid-configuration";
        for (String host : List.of(
                "evil.example",
                "evil.example:" + issuer.port(),
                "127.0.0.1.evil.example",
                "localhost.evil.example:" + issuer.port(),
                "")) {
            assertEquals(403, rawStatus(host, discovery), "Host: " + host);
        }
        for (String host : List.of(
                "127.0.0.1:" + issuer.port(), "localhost:" + issuer.port(), "[::1]:" + issuer.port(), "localhost")) {
            assertEquals(200, rawStatus(host, discovery), "Host: " + host);
        }
        issuer.allowHost("devtime.lan");
        assertEquals(200, rawStatus("devtime.lan:" + issuer.port(), discovery), "an explicitly allowed host");
    }

    // --- helpers ---

    private static String authorizeUrl(Map<String, String> overrides) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", LocalIssuer.CLIENT_ID);
        q.put("redirect_uri", REDIRECT);
        q.put("response_type", "code");
        q.put("scope", LocalIssuer.SCOPES);
        q.put("state", "xyz-state");
        q.put("nonce", "nonce-1");
        q.put("code_challenge", LocalIssuer.s256(VERIFIER));
        q.put("code_challenge_method", "S256");
        q.putAll(overrides);
        return issuer.domain() + "/oauth2/authorize?" + form(q);
    }

    private static String logoutUrl(Map<String, String> q) {
        return issuer.domain() + "/logout?" + form(q);
    }

    /** Opens the sign-in page as the browser does and returns the id its form posts back. */
    private static String signInId() throws Exception {
        HttpResponse<String> page = get(authorizeUrl(Map.of()), null);
        assertEquals(200, page.statusCode(), page.body());
        Matcher m = Pattern.compile("name=\"sign_in\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(m.find(), page.body());
        return m.group(1);
    }

    private static String code(String user) throws Exception {
        HttpResponse<String> r = post("/login", Map.of("sign_in", signInId(), "username", user), issuer.domain());
        assertEquals(302, r.statusCode(), r.body());
        String to = r.headers().firstValue("Location").orElseThrow();
        assertTrue(to.startsWith(REDIRECT + "?"), to);
        Map<String, String> back = query(to);
        assertEquals("xyz-state", back.get("state"));
        return back.get("code");
    }

    private static Map<String, String> signIn(String user) throws Exception {
        HttpResponse<String> r = post("/oauth2/token", exchange(code(user), VERIFIER, REDIRECT), DASHBOARD);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
        Map<String, String> out = new HashMap<>();
        JSON.readTree(r.body())
                .properties()
                .forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Map<String, String> exchange(String code, String verifier, String redirect) {
        return Map.of(
                "grant_type",
                "authorization_code",
                "client_id",
                LocalIssuer.CLIENT_ID,
                "code",
                code,
                "code_verifier",
                verifier,
                "redirect_uri",
                redirect);
    }

    private static String error(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertFalse(body.path("error_description").asText().isBlank(), "a message says why: " + r.body());
        return body.path("error").asText();
    }

    private static HttpResponse<String> get(String url, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, Map<String, String> form, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(issuer.domain() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> q) {
        return q.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new HashMap<>();
        String q = URI.create(url).getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                String[] kv = pair.split("=", 2);
                out.put(
                        URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    /** The JDK client will not send a Host header of our choosing, so these requests are written by hand. */
    private static int rawStatus(String host, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", issuer.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            String hostLine = host.isEmpty() ? "" : "Host: " + host + "\r\n";
            String version = host.isEmpty() ? "HTTP/1.0" : "HTTP/1.1";
            out.write(("GET " + path + " " + version + "\r\n" + hostLine + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
