package dev.devtime.functions.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.Params;
import dev.devtime.functions.store.KeyStore;
import dev.devtime.functions.store.KeyStore.ApiKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves who a request acts for: the gateway's JWT claims, a dashboard bearer token, or an API key in
 * any of the forms WakaTime clients send ({@code Basic base64(key)}, {@code Basic base64(key:)},
 * {@code Bearer key}, Wakapi's {@code Bearer base64(key)}, {@code ?api_key=key}). Key lookups are cached briefly in a warm container.
 */
public final class Authenticator {

    private static final long TOUCH_INTERVAL_MS = 3_600_000L;
    private static final int MAX_CACHED = 10_000;

    private final KeyStore keys;
    private final JwtVerifier jwt;
    private final long cacheMs;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(ApiKey key, long expiresAt) {}

    public Authenticator(KeyStore keys, JwtVerifier jwt, Duration cacheTtl, Clock clock) {
        this.keys = keys;
        this.jwt = jwt;
        this.cacheMs = cacheTtl.toMillis();
        this.clock = clock;
    }

    public Principal authenticate(HttpRequest request) {
        Map<String, String> claims = request.authorizerClaims();
        if (claims != null && claims.get("sub") != null) {
            return new Principal(subject(claims.get("sub")), false, false);
        }
        String candidate = null;
        String authorization = request.header("authorization");
        if (authorization != null && !authorization.isBlank()) {
            String[] parts = authorization.trim().split("\\s+", 2);
            String scheme = parts[0].toLowerCase();
            String value = parts.length > 1 ? parts[1].trim() : "";
            if (scheme.equals("basic")) {
                candidate = fromBasic(value);
            } else if (scheme.equals("bearer")) {
                if (value.chars().filter(c -> c == '.').count() == 2) {
                    return fromJwt(value);
                }
                candidate = ApiKeys.isValid(value) ? value : fromBase64(value);
            } else {
                throw unauthorized("unsupported Authorization scheme; use Basic or Bearer");
            }
        } else if (request.query("api_key") != null) {
            candidate = request.query("api_key");
        }
        if (candidate == null || candidate.isBlank()) {
            throw unauthorized("missing credentials: send your API key as Authorization: Basic base64(key)");
        }
        if (!ApiKeys.isValid(candidate)) {
            throw unauthorized("invalid API key");
        }
        ApiKey key = lookup(ApiKeys.hash(candidate));
        if (key == null) {
            throw unauthorized("invalid API key");
        }
        long now = clock.millis();
        if (now - key.lastUsedMs() > TOUCH_INTERVAL_MS) {
            keys.touch(key, now);
            cache.put(
                    key.hash(),
                    new Cached(
                            new ApiKey(
                                    key.id(),
                                    key.userId(),
                                    key.hash(),
                                    key.label(),
                                    key.readOnly(),
                                    key.createdMs(),
                                    now),
                            now + cacheMs));
        }
        return new Principal(key.userId(), true, key.readOnly());
    }

    /**
     * The caller, who must be the user a {@code /users/{user}} route names: WakaTime's {@code :user} is
     * {@code current} or the caller's own id. Another id is answered 404, which does not say whether it exists.
     */
    public Principal authenticateOwner(HttpRequest request) {
        Principal p = authenticate(request);
        String named = Params.pathUser(request);
        if (named != null && !named.equals(p.userId())) {
            throw new HttpException(404, "no such user here (use /users/current or your own user id)");
        }
        return p;
    }

    /** Forgets cached lookups (after a key is revoked in this process). */
    public void invalidate() {
        cache.clear();
    }

    private ApiKey lookup(String hash) {
        long now = clock.millis();
        Cached c = cache.get(hash);
        if (c != null && c.expiresAt > now) {
            return c.key;
        }
        ApiKey key = keys.findByHash(hash);
        if (key != null && !ApiKeys.sameHash(key.hash(), hash)) {
            key = null;
        }
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
        // Only hits are cached: a key created a moment ago must work at once.
        if (cacheMs > 0 && key != null) {
            cache.put(hash, new Cached(key, now + cacheMs));
        }
        return key;
    }

    private Principal fromJwt(String token) {
        if (jwt == null) {
            throw unauthorized("dashboard tokens are not accepted here");
        }
        JWTClaimsSet claims = jwt.verify(token);
        if (claims == null) {
            throw unauthorized("invalid or expired token");
        }
        return new Principal(subject(claims.getSubject()), false, false);
    }

    /** A token's subject is the user id: it must name someone, and fit in a key. */
    private static String subject(String sub) {
        if (sub == null || sub.isBlank() || !Params.fitsId(sub)) {
            throw unauthorized("the token's subject is empty or too long to be a user");
        }
        return sub;
    }

    private static String fromBasic(String value) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unauthorized("malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return decoded;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        return user.isEmpty() ? password : user;
    }

    /** Wakapi's bearer form; anything that does not decode is left as it was, to be refused as a key. */
    private static String fromBase64(String value) {
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8).trim();
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static HttpException unauthorized(String message) {
        return new HttpException(401, message, Map.of("WWW-Authenticate", "Basic realm=\"DevTime\""));
    }
}
