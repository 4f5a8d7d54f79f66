package dev.devtime.local.oidc;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.devtime.functions.auth.JwtVerifier;
import dev.devtime.local.gateway.HostAllowList;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The sign-in server that stands in for Cognito on one machine. It answers as a user pool with a hosted
 * domain and one public app client (the dashboard) does: the OIDC discovery document and JWKS under the
 * issuer, {@code /oauth2/authorize} (authorization code with PKCE S256 only, to registered redirect URIs
 * only), {@code /oauth2/token} ({@code authorization_code} and {@code refresh_token} grants only; codes
 * are single use and live 5 minutes; refresh tokens are not rotated), and {@code /logout} (to registered
 * sign-out URIs only). Its sign-in page asks only for a user name, which becomes the token's {@code sub},
 * that is the DevTime user. Browsers get CORS answers only for the dashboard's origins, and requests whose
 * Host is not loopback are refused. Tokens are signed with an RSA key kept in the data directory.
 */
public final class LocalIssuer implements AutoCloseable {

    public static final String ISSUER_ID = "devtime";
    public static final String CLIENT_ID = "devtime-dashboard";
    public static final String API_SCOPE = "devtime/api";
    public static final String SCOPES = "openid email " + API_SCOPE;
    /** Access and ID token lifetime in seconds, when not one hour (the browser tests shorten it to see renewal). */
    public static final String ACCESS_TOKEN_SECONDS_PROPERTY = "devtime.oidc.access-token-seconds";

    static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
    static final Duration SIGN_IN_LIFETIME = Duration.ofMinutes(15);
    /** As the CDK app configures the dashboard's client. */
    static final Duration REFRESH_LIFETIME = Duration.ofDays(30);
    /** Cognito's user name limit. */
    static final int MAX_USER_NAME = 128;
    /** Outstanding sign-ins, codes and refresh tokens kept at most, so a flood cannot fill the heap. */
    private static final int MAX_PENDING = 10_000;

    private static final Set<String> ALLOWED_SCOPES = Set.of(SCOPES.split(" "));
    private static final Pattern PKCE_VALUE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private record SignIn(
            String redirectUri, String state, String nonce, String scope, String codeChallenge, Instant expires) {}

    private record Grant(
            String user,
            String scope,
            String nonce,
            Instant authTime,
            String redirectUri,
            String codeChallenge,
            Instant expires) {}

    private final Server server;
    private final RSAKey key;
    private final Duration accessLifetime;
    private final Clock clock;
    private final HostAllowList hosts = new HostAllowList();
    /** The dashboard's origins: CORS is answered for these, and origin + "/" is its redirect and sign-out URI. */
    private final Set<String> dashboardOrigins = ConcurrentHashMap.newKeySet();

    private final Map<String, SignIn> signIns = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
    private final int port;

    private LocalIssuer(Server server, RSAKey key, Duration accessLifetime, Clock clock) throws Exception {
        this.server = server;
        this.key = key;
        this.accessLifetime = accessLifetime;
        this.clock = clock;
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                LocalIssuer.this.handle(request, response, callback);
                return true;
            }
        });
        server.start();
        this.port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /**
     * On 127.0.0.1, with tokens that live one hour (or {@value #ACCESS_TOKEN_SECONDS_PROPERTY} seconds).
     *
     * @param keyFile where the signing key is kept across restarts; null for a key of this run only
     */
    public static LocalIssuer start(int port, Path keyFile) throws Exception {
        return start(
                port,
                keyFile,
                Duration.ofSeconds(Long.getLong(ACCESS_TOKEN_SECONDS_PROPERTY, 3600)),
                Clock.systemUTC());
    }

    public static LocalIssuer start(int port, Path keyFile, Duration accessLifetime, Clock clock) throws Exception {
        RSAKey key = signingKey(keyFile);
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("oidc");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        try {
            return new LocalIssuer(server, key, accessLifetime, clock);
        } catch (Exception e) {
            server.stop();
            throw e;
        }
    }

    /**
     * Registers a dashboard origin ({@code scheme://host[:port]}): its CORS requests are answered, and
     * {@code origin + "/"} becomes an allowed redirect URI and sign-out URI, as the CDK app registers the
     * dashboard's URLs with Cognito.
     */
    public void registerDashboard(String origin) {
        if (!isOrigin(origin)) {
            throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin);
        }
        dashboardOrigins.add(origin.toLowerCase(Locale.ROOT));
    }

    /** scheme://host[:port] and nothing more. */
    public static boolean isOrigin(String origin) {
        try {
            URI u = new URI(origin);
            return u.getScheme() != null
                    && u.getHost() != null
                    && (u.getRawPath() == null || u.getRawPath().isEmpty())
                    && u.getRawQuery() == null
                    && u.getRawFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Accepts requests for {@code host} too (a name the user serves DevTime under), beside loopback names. */
    public void allowHost(String host) {
        hosts.allow(host);
    }

    /** The issuer as tokens name it. DevTime always uses 127.0.0.1 (never localhost) for it. */
    public String issuer() {
        return domain() + "/" + ISSUER_ID;
    }

    /** The base of the OAuth endpoints, as Cognito's hosted domain is in AWS. */
    public String domain() {
        return "http://127.0.0.1:" + port;
    }

    public String jwksUri() {
        return issuer() + "/.well-known/jwks.json";
    }

    public int port() {
        return port;
    }

    /** Checks tokens as API Gateway's JWT authorizer is configured to in AWS. */
    public JwtVerifier verifier() {
        return new JwtVerifier(issuer(), jwksUri(), List.of(CLIENT_ID), API_SCOPE);
    }

    /** An access token for {@code user} with the claims the sign-in page's tokens have (tests, scripted set-ups). */
    public String tokenFor(String user) {
        return accessToken(user, SCOPES, clock.instant());
    }

    /** Signs any claims with this issuer's key (tests use it to make expired or wrong-audience tokens). */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(key.getKeyID())
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    // --- HTTP ---

    private void handle(Request request, Response response, Callback callback) {
        try {
            String hostHeader = request.getHeaders().get(HttpHeader.HOST);
            if (!hosts.allows(hostHeader)) {
                json(
                        response,
                        callback,
                        403,
                        error("forbidden_host", "this server answers only requests for a loopback host name"));
                return;
            }
            String path = request.getHttpURI().getPath();
            String method = request.getMethod();
            String origin = request.getHeaders().get(HttpHeader.ORIGIN);
            boolean dashboard = origin != null && dashboardOrigins.contains(origin.toLowerCase(Locale.ROOT));
            if (dashboard) {
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            }
            response.getHeaders().put(HttpHeader.VARY, "Origin");
            if (method.equals("OPTIONS")) {
                preflight(dashboard, response, callback);
                return;
            }
            switch (path) {
                case "/" + ISSUER_ID + "/.well-known/openid-configuration" ->
                    get(method, response, callback, this::discovery);
                case "/" + ISSUER_ID + "/.well-known/jwks.json" ->
                    get(method, response, callback, () -> new JWKSet(key.toPublicJWK()).toString());
                case "/oauth2/authorize" -> {
                    if (!method.equals("GET")) {
                        json(response, callback, 405, error("invalid_request", "use GET"));
                    } else {
                        authorize(Request.extractQueryParameters(request), response, callback);
                    }
                }
                case "/login" -> {
                    if (!method.equals("POST")) {
                        json(response, callback, 405, error("invalid_request", "use POST"));
                    } else if (origin != null && !origin.equalsIgnoreCase(domain()) && !isLoopbackSelf(origin)) {
                        // The sign-in form is posted by this server's own page only.
                        json(
                                response,
                                callback,
                                403,
                                error("forbidden_origin", "sign-in is posted from this server's own page only"));
                    } else {
                        signIn(request, response, callback);
                    }
                }
                case "/oauth2/token" -> {
                    if (!method.equals("POST")) {
                        json(response, callback, 405, error("invalid_request", "use POST"));
                    } else if (origin != null && !dashboard) {
                        json(
                                response,
                                callback,
                                403,
                                error("forbidden_origin", "tokens are issued to the dashboard's origin only"));
                    } else {
                        token(request, response, callback);
                    }
                }
                case "/logout" -> {
                    if (!method.equals("GET")) {
                        json(response, callback, 405, error("invalid_request", "use GET"));
                    } else {
                        logout(Request.extractQueryParameters(request), response, callback);
                    }
                }
                case "/sign-in.css" ->
                    get(method, response, callback, () -> resource("sign-in.css"), "text/css; charset=utf-8");
                default -> json(response, callback, 404, error("not_found", "no such endpoint: " + path));
            }
        } catch (BadRequest e) {
            json(response, callback, 400, error("invalid_request", e.getMessage()));
        } catch (Exception e) {
            json(response, callback, 500, error("server_error", "the sign-in server failed: " + e));
        }
    }

    /** The page of this server as reached through localhost instead of 127.0.0.1. */
    private boolean isLoopbackSelf(String origin) {
        return origin.equalsIgnoreCase("http://localhost:" + port);
    }

    private void preflight(boolean dashboard, Response response, Callback callback) {
        if (!dashboard) {
            json(
                    response,
                    callback,
                    403,
                    error("forbidden_origin", "cross-origin requests are answered for the dashboard only"));
            return;
        }
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type");
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "3600");
        response.setStatus(204);
        callback.succeeded();
    }

    private interface Body {
        String get() throws Exception;
    }

    private void get(String method, Response response, Callback callback, Body body) throws Exception {
        get(method, response, callback, body, "application/json");
    }

    private void get(String method, Response response, Callback callback, Body body, String type) throws Exception {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            json(response, callback, 405, error("invalid_request", "use GET"));
            return;
        }
        send(response, callback, 200, type, body.get());
    }

    /** What Cognito's discovery document names, at the same paths; like Cognito's, it has no end_session_endpoint. */
    private String discovery() {
        ObjectNode d = JSON.createObjectNode();
        d.put("issuer", issuer());
        d.put("authorization_endpoint", domain() + "/oauth2/authorize");
        d.put("token_endpoint", domain() + "/oauth2/token");
        d.put("jwks_uri", jwksUri());
        d.putArray("response_types_supported").add("code");
        d.putArray("grant_types_supported").add("authorization_code").add("refresh_token");
        d.putArray("code_challenge_methods_supported").add("S256");
        d.putArray("scopes_supported").add("openid").add("email").add(API_SCOPE);
        d.putArray("subject_types_supported").add("public");
        d.putArray("id_token_signing_alg_values_supported").add("RS256");
        d.putArray("token_endpoint_auth_methods_supported").add("none");
        return d.toString();
    }

    // --- /oauth2/authorize and the sign-in page ---

    private void authorize(Fields q, Response response, Callback callback) {
        String clientId = q.getValue("client_id");
        String redirectUri = q.getValue("redirect_uri");
        // Until client and redirect URI are known good, errors stay on this server (never redirect anywhere else).
        if (!CLIENT_ID.equals(clientId)) {
            errorPage(
                    response,
                    callback,
                    "unknown client_id: only the DevTime dashboard (" + CLIENT_ID + ") signs in here");
            return;
        }
        if (redirectUri == null || !isRegistered(redirectUri)) {
            errorPage(
                    response,
                    callback,
                    "redirect_uri is not registered for this client: it must be the dashboard's own address"
                            + " followed by \"/\"");
            return;
        }
        String state = q.getValue("state");
        if (!"code".equals(q.getValue("response_type"))) {
            redirectError(
                    response,
                    callback,
                    redirectUri,
                    state,
                    "unsupported_response_type",
                    "only response_type=code is supported");
            return;
        }
        String challenge = q.getValue("code_challenge");
        if (challenge == null
                || !PKCE_VALUE.matcher(challenge).matches()
                || !"S256".equals(q.getValue("code_challenge_method"))) {
            redirectError(
                    response,
                    callback,
                    redirectUri,
                    state,
                    "invalid_request",
                    "PKCE is required: code_challenge (43 to 128 characters) with code_challenge_method=S256");
            return;
        }
        String scope = q.getValue("scope");
        scope = scope == null || scope.isBlank() ? SCOPES : scope.trim();
        if (!ALLOWED_SCOPES.containsAll(Arrays.asList(scope.split(" +")))) {
            redirectError(response, callback, redirectUri, state, "invalid_scope", "allowed scopes: " + SCOPES);
            return;
        }
        if (!room(signIns)) {
            errorPage(response, callback, "too many sign-ins in progress; try again later");
            return;
        }
        String id = randomToken();
        signIns.put(
                id,
                new SignIn(
                        redirectUri,
                        state,
                        q.getValue("nonce"),
                        scope,
                        challenge,
                        clock.instant().plus(SIGN_IN_LIFETIME)));
        signInPage(response, callback, 200, id, "", null, redirectUri);
    }

    private void signIn(Request request, Response response, Callback callback) throws Exception {
        Fields form = form(request);
        String id = form.getValue("sign_in");
        SignIn pending = id == null ? null : signIns.get(id);
        if (pending == null || pending.expires().isBefore(clock.instant())) {
            if (id != null) {
                signIns.remove(id);
            }
            errorPage(
                    response,
                    callback,
                    "this sign-in has expired or was already used: open the dashboard and sign in again");
            return;
        }
        String user = form.getValue("username");
        user = user == null ? "" : user.strip();
        String problem = user.isEmpty()
                ? "Enter a user name."
                : user.length() > MAX_USER_NAME
                        ? "A user name has at most " + MAX_USER_NAME + " characters."
                        : user.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))
                                ? "A user name has no spaces or control characters."
                                : null;
        if (problem != null) {
            signInPage(response, callback, 400, id, user, problem, pending.redirectUri());
            return;
        }
        if (signIns.remove(id) == null || !room(codes)) {
            errorPage(response, callback, "this sign-in was already used: open the dashboard and sign in again");
            return;
        }
        String code = randomToken();
        Instant now = clock.instant();
        codes.put(
                code,
                new Grant(
                        user,
                        pending.scope(),
                        pending.nonce(),
                        now,
                        pending.redirectUri(),
                        pending.codeChallenge(),
                        now.plus(CODE_LIFETIME)));
        StringBuilder to =
                new StringBuilder(pending.redirectUri()).append("?code=").append(enc(code));
        if (pending.state() != null) {
            to.append("&state=").append(enc(pending.state()));
        }
        redirect(response, callback, to.toString());
    }

    private void signInPage(
            Response response,
            Callback callback,
            int status,
            String signInId,
            String user,
            String problem,
            String redirectUri) {
        String page = resource("sign-in.html")
                .replace("{{signIn}}", html(signInId))
                .replace("{{user}}", html(user))
                .replace("{{maxUser}}", Integer.toString(MAX_USER_NAME))
                .replace(
                        "{{problem}}",
                        problem == null
                                ? ""
                                : "<p class=\"state state-error\" role=\"alert\" id=\"problem\">" + html(problem)
                                        + "</p>")
                .replace("{{describedBy}}", problem == null ? "user-hint" : "user-hint problem");
        // The form posts here and this server then redirects to the dashboard: form-action covers both.
        String dashboardOrigin = URI.create(redirectUri).resolve("/").toString().replaceAll("/$", "");
        htmlHeaders(response, "form-action 'self' " + dashboardOrigin);
        send(response, callback, status, "text/html; charset=utf-8", page);
    }

    private void errorPage(Response response, Callback callback, String message) {
        String page = resource("error.html").replace("{{message}}", html(message));
        htmlHeaders(response, "form-action 'none'");
        send(response, callback, 400, "text/html; charset=utf-8", page);
    }

    private static void htmlHeaders(Response response, String formAction) {
        response.getHeaders()
                .put(
                        "Content-Security-Policy",
                        "default-src 'none'; style-src 'self'; img-src 'self' data:; " + formAction
                                + "; frame-ancestors 'none'; base-uri 'none'");
        response.getHeaders().put("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: with no-referrer the browser posts the form with "Origin: null".
        response.getHeaders().put("Referrer-Policy", "same-origin");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Cache-Control", "no-store");
    }

    // --- /oauth2/token ---

    private void token(Request request, Response response, Callback callback) throws Exception {
        Fields form = form(request);
        String clientId = form.getValue("client_id");
        if (!CLIENT_ID.equals(clientId)) {
            tokenError(response, callback, "invalid_client", "unknown client_id: only " + CLIENT_ID + " is registered");
            return;
        }
        String grantType = form.getValue("grant_type");
        if (grantType == null) {
            tokenError(response, callback, "invalid_request", "grant_type is required");
            return;
        }
        switch (grantType) {
            case "authorization_code" -> codeGrant(form, response, callback);
            case "refresh_token" -> refreshGrant(form, response, callback);
            case "client_credentials" ->
                tokenError(
                        response,
                        callback,
                        "unauthorized_client",
                        "the dashboard's client may not use the client_credentials grant");
            default ->
                tokenError(
                        response,
                        callback,
                        "unsupported_grant_type",
                        "supported grant types: authorization_code, refresh_token");
        }
    }

    private void codeGrant(Fields form, Response response, Callback callback) throws Exception {
        String code = form.getValue("code");
        // Removed before it is checked: a code is good for one attempt, right or wrong.
        Grant g = code == null ? null : codes.remove(code);
        Instant now = clock.instant();
        if (g == null || g.expires().isBefore(now)) {
            tokenError(response, callback, "invalid_grant", "the code is unknown, expired or already used");
            return;
        }
        if (!g.redirectUri().equals(form.getValue("redirect_uri"))) {
            tokenError(response, callback, "invalid_grant", "redirect_uri differs from the one the code was issued to");
            return;
        }
        String verifier = form.getValue("code_verifier");
        if (verifier == null
                || !PKCE_VALUE.matcher(verifier).matches()
                || !g.codeChallenge().equals(s256(verifier))) {
            tokenError(response, callback, "invalid_grant", "code_verifier does not match the code_challenge");
            return;
        }
        if (!room(refreshTokens)) {
            tokenError(response, callback, "invalid_request", "too many sessions; try again later");
            return;
        }
        String refresh = randomToken();
        refreshTokens.put(
                refresh,
                new Grant(g.user(), g.scope(), null, g.authTime(), g.redirectUri(), null, now.plus(REFRESH_LIFETIME)));
        ObjectNode body = tokens(g, now);
        body.put("refresh_token", refresh);
        tokenResponse(response, callback, body);
    }

    private void refreshGrant(Fields form, Response response, Callback callback) throws Exception {
        String refresh = form.getValue("refresh_token");
        Grant g = refresh == null ? null : refreshTokens.get(refresh);
        Instant now = clock.instant();
        if (g == null || g.expires().isBefore(now)) {
            if (g != null) {
                refreshTokens.remove(refresh);
            }
            tokenError(response, callback, "invalid_grant", "the refresh token is unknown or expired");
            return;
        }
        // Cognito without refresh token rotation: new access and ID tokens, the same refresh token stays valid.
        tokenResponse(response, callback, tokens(g, now));
    }

    private ObjectNode tokens(Grant g, Instant now) {
        ObjectNode body = JSON.createObjectNode();
        body.put("access_token", accessToken(g.user(), g.scope(), now));
        if (Arrays.asList(g.scope().split(" ")).contains("openid")) {
            body.put("id_token", idToken(g, now));
        }
        body.put("token_type", "Bearer");
        body.put("expires_in", accessLifetime.toSeconds());
        return body;
    }

    private String accessToken(String user, String scope, Instant now) {
        return sign(new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(user)
                .audience(CLIENT_ID)
                .claim("client_id", CLIENT_ID)
                .claim("token_use", "access")
                .claim("scope", scope)
                .claim("username", user)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(accessLifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build());
    }

    private String idToken(Grant g, Instant now) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(g.user())
                .audience(CLIENT_ID)
                .claim("token_use", "id")
                .claim("cognito:username", g.user())
                .claim("auth_time", g.authTime().getEpochSecond())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(accessLifetime)))
                .jwtID(UUID.randomUUID().toString());
        if (g.nonce() != null) {
            b.claim("nonce", g.nonce());
        }
        return sign(b.build());
    }

    private void tokenResponse(Response response, Callback callback, ObjectNode body) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        json(response, callback, 200, body.toString());
    }

    private void tokenError(Response response, Callback callback, String code, String description) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        json(response, callback, 400, error(code, description));
    }

    // --- /logout ---

    /**
     * Cognito's sign-out: with {@code logout_uri}, to that URI if it is a registered sign-out URL of the
     * client; with {@code redirect_uri} and {@code response_type}, on to the sign-in page for a new
     * authorization request. Anything else is an error page, never a redirect.
     */
    private void logout(Fields q, Response response, Callback callback) {
        if (!CLIENT_ID.equals(q.getValue("client_id"))) {
            errorPage(
                    response,
                    callback,
                    "client_id is required and must be the DevTime dashboard's (" + CLIENT_ID + ")");
            return;
        }
        String logoutUri = q.getValue("logout_uri");
        if (logoutUri != null) {
            if (!isRegistered(logoutUri)) {
                errorPage(response, callback, "logout_uri is not a registered sign-out URL of this client");
                return;
            }
            redirect(response, callback, logoutUri);
            return;
        }
        String redirectUri = q.getValue("redirect_uri");
        if (redirectUri != null && q.getValue("response_type") != null) {
            StringBuilder to = new StringBuilder(domain()).append("/oauth2/authorize?");
            for (Fields.Field f : q) {
                for (String v : f.getValues()) {
                    to.append(enc(f.getName())).append('=').append(enc(v)).append('&');
                }
            }
            to.setLength(to.length() - 1);
            redirect(response, callback, to.toString());
            return;
        }
        errorPage(
                response,
                callback,
                "sign-out needs logout_uri (a registered sign-out URL), or redirect_uri and response_type");
    }

    // --- helpers ---

    private boolean isRegistered(String uri) {
        for (String origin : dashboardOrigins) {
            if (uri.equals(origin + "/")) {
                return true;
            }
        }
        return false;
    }

    /** Drops what has expired; false when the map is still full. */
    private boolean room(Map<String, ?> map) {
        if (map.size() < MAX_PENDING) {
            return true;
        }
        Instant now = clock.instant();
        map.values().removeIf(v -> (v instanceof Grant g ? g.expires() : ((SignIn) v).expires()).isBefore(now));
        return map.size() < MAX_PENDING;
    }

    private static Fields form(Request request) throws BadRequest {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new BadRequest("the body must be application/x-www-form-urlencoded");
        }
        try {
            return FormFields.from(request).get();
        } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new BadRequest("the form body could not be read: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadRequest("the form body could not be read");
        }
    }

    private void redirectError(
            Response response, Callback callback, String redirectUri, String state, String code, String description) {
        StringBuilder to = new StringBuilder(redirectUri)
                .append("?error=")
                .append(enc(code))
                .append("&error_description=")
                .append(enc(description));
        if (state != null) {
            to.append("&state=").append(enc(state));
        }
        redirect(response, callback, to.toString());
    }

    private static void redirect(Response response, Callback callback, String location) {
        response.setStatus(302);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        callback.succeeded();
    }

    private static String error(String code, String description) {
        return JSON.createObjectNode()
                .put("error", code)
                .put("error_description", description)
                .toString();
    }

    private static void json(Response response, Callback callback, int status, String body) {
        send(response, callback, status, "application/json", body);
    }

    private static void send(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        Content.Sink.write(response, true, body, callback);
    }

    private static String resource(String name) {
        try (var in = LocalIssuer.class.getResourceAsStream("/oidc/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /oidc/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String html(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    private static RSAKey signingKey(Path keyFile) throws Exception {
        if (keyFile != null && Files.exists(keyFile)) {
            return RSAKey.parse(Files.readString(keyFile, StandardCharsets.UTF_8));
        }
        RSAKey key = new RSAKeyGenerator(2048)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .keyID(UUID.randomUUID().toString())
                .generate();
        if (keyFile != null) {
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, key.toJSONString(), StandardCharsets.UTF_8);
            keyFile.toFile().setReadable(false, false);
            keyFile.toFile().setReadable(true, true);
        }
        return key;
    }
}
