package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.auth.Authenticator;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What must never leak or be loosened: API keys, file paths and prompts in logs; the key comparison's
 * timing; cross-origin access to the API; the dashboard's security headers.
 */
class SecurityTest {

    static final String DEV_SERVER = "http://localhost:5173";

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(o -> o.withBatching(10, Duration.ofMillis(50), 1));

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        STACK.deployment().gateway.allowOrigin(DEV_SERVER);
    }

    @Test
    void keysPathsAndPromptsNeverReachTheLogs() throws Exception {
        String key = ApiKeys.generate();
        String user = "user-" + UUID.randomUUID();
        STACK.deployment().seedKey(user, key, "test");
        String auth = ApiClient.basic(key);
        String unknownKey = ApiKeys.generate();
        String path = "/home/alice/clients/acme-merger/Secret"
                + UUID.randomUUID().toString().substring(0, 6) + ".java";
        String prompt = "refactor the payroll export for acme " + UUID.randomUUID();
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        long noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        ApiClient api = new ApiClient(STACK.deployment().baseUrl());

        // Everything that would be logged in production (the benchmark and `dlq` silence the per-request lines).
        dev.devtime.functions.Log.setQuiet(false);
        dev.devtime.functions.Log.setVerbose(true);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            String hb = "{\"entity\":\"" + path + "\",\"type\":\"file\",\"time\":" + noon / 1000.0
                    + ",\"project\":\"acme-merger\"" + ",\"tool\":\"claude-code\",\"ai_session\":\"" + prompt
                    + "\",\"ai_prompts\":1}";
            assertEquals(
                    202,
                    api.post(
                                    "/api/v1/users/current/heartbeats.bulk",
                                    auth,
                                    "[" + hb + "," + hb.replace("\"time\":", "\"time\":-") + "]")
                            .status());
            assertEquals(
                    202,
                    api.post("/api/v1/users/current/heartbeats.bulk?api_key=" + key, null, "[" + hb + "]")
                            .status());
            // Failing requests: an unknown key, a malformed body, a plugin error report carrying a prompt and a path.
            assertEquals(
                    401,
                    api.post("/api/v1/users/current/heartbeats.bulk", ApiClient.basic(unknownKey), "[" + hb + "]")
                            .status());
            assertEquals(
                    401,
                    api.post("/api/v1/users/current/heartbeats.bulk", "Bearer " + unknownKey, "[" + hb + "]")
                            .status());
            assertEquals(
                    400,
                    api.post("/api/v1/users/current/heartbeats.bulk", auth, "[" + hb + ",{" + path)
                            .status());
            assertEquals(
                    201,
                    api.post(
                                    "/api/v1/plugins/errors",
                                    auth,
                                    "{\"message\":\"failed on " + path + "\",\"prompt\":\"" + prompt
                                            + "\",\"api_key\":\"" + key + "\"}")
                            .status());
            // The aggregator logs its batch after writing the day, so stats can show it a moment before the
            // line is printed: wait for both before the capture ends.
            PipelineContract.await(
                    () -> {
                        var r = api.get("/api/stats?start=" + day + "&end=" + day + "&api_key=" + key, null);
                        return r.status() == 200
                                && r.json().get("ai").get("prompts").asInt() == 1
                                && captured.toString(StandardCharsets.UTF_8).contains("batch aggregated");
                    },
                    Duration.ofSeconds(30));
        } finally {
            System.setOut(out);
            System.setErr(err);
            dev.devtime.functions.Log.setVerbose(false);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        // The test saw the logs it checks: the aggregation and the plugin error report were logged.
        assertTrue(logs.contains("batch aggregated"), logs);
        assertTrue(logs.contains("plugin error reported"), logs);
        for (String secret : new String[] {
            key,
            ApiKeys.normalize(key),
            unknownKey,
            ApiKeys.normalize(unknownKey),
            Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)),
            ApiKeys.hash(key),
            path,
            "acme-merger",
            prompt
        }) {
            assertFalse(logs.contains(secret), "logs hold " + secret + ":\n" + logs);
        }
    }

    @Test
    void apiKeysAreComparedInConstantTime() throws Exception {
        String h = ApiKeys.hash(ApiKeys.generate());
        assertTrue(ApiKeys.sameHash(h, new String(h.toCharArray())));
        assertFalse(ApiKeys.sameHash(h, h.substring(0, 63) + (h.charAt(63) == '0' ? '1' : '0')));
        // MessageDigest.isEqual does not return at the first differing byte; sameHash must be built on
        // it, and the authenticator must check the stored hash with sameHash (not String.equals).
        assertTrue(constants(ApiKeys.class).contains("isEqual"), "ApiKeys.sameHash uses MessageDigest.isEqual");
        assertTrue(constants(Authenticator.class).contains("sameHash"), "Authenticator compares with ApiKeys.sameHash");
    }

    /** The class file's constant pool as text: which methods it calls, by name. */
    static String constants(Class<?> c) throws Exception {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    HttpResponse<String> preflight(String origin) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(STACK.deployment().baseUrl() + "/api/stats"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", origin)
                        .header("Access-Control-Request-Method", "GET")
                        .header("Access-Control-Request-Headers", "authorization")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyAllowedOriginsMayCallTheApiFromABrowser() throws Exception {
        HttpResponse<String> ok = preflight(DEV_SERVER);
        assertEquals(204, ok.statusCode());
        assertEquals(
                DEV_SERVER,
                ok.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(ok.headers()
                .firstValue("Access-Control-Allow-Headers")
                .orElse("")
                .contains("Authorization"));
        assertEquals("Origin", ok.headers().firstValue("Vary").orElse(null));

        HttpResponse<String> evil = preflight("https://evil.example");
        assertEquals(204, evil.statusCode());
        assertNull(
                evil.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                "no CORS grant for other origins");
        assertNull(evil.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
        assertNull(preflight("null")
                .headers()
                .firstValue("Access-Control-Allow-Origin")
                .orElse(null));

        // The actual request: the answer carries the grant only for the allowed origin.
        HttpResponse<String> health = HTTP.send(
                HttpRequest.newBuilder(URI.create(STACK.deployment().baseUrl() + "/api/health"))
                        .header("Origin", DEV_SERVER)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertEquals(
                DEV_SERVER,
                health.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> other = HTTP.send(
                HttpRequest.newBuilder(URI.create(STACK.deployment().baseUrl() + "/api/health"))
                        .header("Origin", "https://evil.example")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, other.statusCode());
        assertNull(other.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void theDashboardIsServedWithSecurityHeaders() throws Exception {
        String issuerOrigin = URI.create(STACK.deployment().issuer.issuer())
                .resolve("/")
                .toString()
                .replaceAll("/$", "");
        for (String page : new String[] {"/", "/stats", "/config.json"}) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(STACK.deployment().baseUrl() + page))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), page);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("default-src 'self'"), page + ": " + csp);
            assertTrue(csp.contains("script-src 'self';"), "no inline or remote scripts: " + csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
            assertTrue(csp.contains("object-src 'none'"), csp);
            assertTrue(
                    csp.contains("connect-src 'self' " + issuerOrigin + ";"),
                    "the API and the sign-in issuer only: " + csp);
            assertFalse(csp.contains("*"), "no wildcard source: " + csp);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), page);
            assertEquals(
                    "no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null), page);
            assertEquals(
                    "nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), page);
        }
    }
}
