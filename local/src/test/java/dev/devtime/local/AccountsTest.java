package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.devtime.local.oidc.LocalIssuer;
import dev.devtime.model.api.ApiRoutes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Accounts through the real gateway and its JWT authorizer, with tokens from the local issuer: keys,
 * settings, deletion, and tenant isolation on every route.
 */
class AccountsTest {

    @RegisterExtension
    static final DeploymentExtension STACK =
            new DeploymentExtension(o -> o.withBatching(50, Duration.ofMillis(100), 2));

    /** A user with a dashboard token and an API key created through the dashboard route. */
    record User(String id, String bearer, String keyAuth, String key, String keyId) {}

    User a;
    User b;
    final LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    final long noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

    @BeforeEach
    void users() {
        a = newUser();
        b = newUser();
    }

    static User newUser() {
        String id = "u-" + UUID.randomUUID();
        String bearer = "Bearer " + STACK.deployment().issuer.tokenFor(id);
        ApiClient.Response r = STACK.api().request("POST", "/api/auth/token", bearer, "{\"label\":\"laptop\"}");
        assertEquals(201, r.status(), r.body());
        String key = r.json().get("key").asText();
        assertTrue(key.matches("waka_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), key);
        return new User(
                id, bearer, ApiClient.basic(key), key, r.json().get("id").asText());
    }

    void ingest(User u, String project, int minutes) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < minutes; i++) {
            items.add(ApiClient.waka(noon + i * 60_000L, project, "Java", "/src/" + project + "/Main.java"));
        }
        ApiClient.Response r = STACK.api()
                .post("/api/v1/users/current/heartbeats.bulk", u.keyAuth(), "[" + String.join(",", items) + "]");
        assertEquals(202, r.status(), r.body());
    }

    static void awaitQuiet() {
        STACK.deployment().awaitDrained(Duration.ofSeconds(60));
    }

    double total(String auth) {
        return STACK.api()
                .get("/api/stats?start=" + day + "&end=" + day, auth)
                .json()
                .get("total_seconds")
                .asDouble();
    }

    // ---- tokens

    JWTClaimsSet.Builder validClaims(String sub) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(STACK.deployment().issuer.issuer())
                .subject(sub)
                .audience(LocalIssuer.CLIENT_ID)
                .claim("client_id", LocalIssuer.CLIENT_ID)
                .claim("scope", LocalIssuer.SCOPES)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)));
    }

    @Test
    void badTokensAndMissingCredentialsAre401OnEveryKindOfRoute() throws Exception {
        Instant now = Instant.now();
        String expired = STACK.deployment()
                .issuer
                .sign(validClaims(a.id())
                        .issueTime(Date.from(now.minusSeconds(7200)))
                        .expirationTime(Date.from(now.minusSeconds(3600)))
                        .build());
        String wrongIssuer = STACK.deployment()
                .issuer
                .sign(validClaims(a.id()).issuer("https://evil.example/devtime").build());
        String wrongAudience = STACK.deployment()
                .issuer
                .sign(validClaims(a.id())
                        .audience("someone-else")
                        .claim("client_id", "someone-else")
                        .build());
        String noScope = STACK.deployment()
                .issuer
                .sign(validClaims(a.id()).claim("scope", "openid").build());
        String unsigned = new PlainJWT(validClaims(a.id()).build()).serialize();
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID("forged").generate();
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID("forged")
                        .type(JOSEObjectType.JWT)
                        .build(),
                validClaims(a.id()).build());
        forged.sign(new RSASSASigner(otherKey));
        List<String> bad =
                List.of(expired, wrongIssuer, wrongAudience, noScope, unsigned, forged.serialize(), "not.a.jwt");
        for (String token : bad) {
            for (String path : List.of("/api/keys", "/api/settings", "/api/stats", "/api/me")) {
                assertEquals(401, STACK.api().get(path, "Bearer " + token).status(), path + " with " + token);
            }
        }
        for (String path : List.of(
                "/api/keys", "/api/settings", "/api/stats", "/api/me", "/api/v1/users/current/statusbar/today")) {
            assertEquals(401, STACK.api().get(path, null).status(), path + " without credentials");
        }
        // API keys are for plugins: the dashboard's routes refuse them at the gateway.
        assertEquals(401, STACK.api().get("/api/keys", a.keyAuth()).status());
        assertEquals(200, STACK.api().get("/api/keys", a.bearer()).status());
    }

    // ---- keys

    @Test
    void keysAreListedLabelledAndRevokedAndARevokedKeyIs401() {
        JsonNode keys = STACK.api().get("/api/keys", a.bearer()).json().get("keys");
        assertEquals(1, keys.size());
        assertEquals("laptop", keys.get(0).get("label").asText());
        assertFalse(keys.get(0).has("key"), "a key is shown once, at creation");
        ingest(a, "p", 2);
        assertTrue(STACK.api()
                .get("/api/keys", a.bearer())
                .json()
                .get("keys")
                .get(0)
                .hasNonNull("last_used_at"));

        ApiClient.Response renamed =
                STACK.api().request("PATCH", "/api/keys/" + a.keyId(), a.bearer(), "{\"label\":\"desktop\"}");
        assertEquals(200, renamed.status(), renamed.body());
        assertEquals("desktop", renamed.json().get("label").asText());

        assertEquals(
                204,
                STACK.api()
                        .request("DELETE", "/api/keys/" + a.keyId(), a.bearer(), null)
                        .status());
        // No query instance looked the key up: refused at once. An ingest instance that did accepts it until
        // its key cache entry expires (ContainersTest).
        assertEquals(401, STACK.api().get("/api/stats", a.keyAuth()).status());
        assertEquals(
                0, STACK.api().get("/api/keys", a.bearer()).json().get("keys").size());
    }

    @Test
    void aReadOnlyKeyReadsButCannotSendHeartbeats() {
        ApiClient.Response r =
                STACK.api().request("POST", "/api/auth/token", a.bearer(), "{\"label\":\"badge\",\"read_only\":true}");
        assertEquals(201, r.status());
        String ro = ApiClient.basic(r.json().get("key").asText());
        assertEquals(
                403,
                STACK.api()
                        .post(
                                "/api/v1/users/current/heartbeats.bulk",
                                ro,
                                "[" + ApiClient.waka(noon, "p", "Java", "/a") + "]")
                        .status());
        assertEquals(200, STACK.api().get("/api/stats", ro).status());
    }

    // ---- settings

    @Test
    void changingTheTimeZoneRecomputesTheDays() {
        // 23:50 to 00:10 UTC: one UTC day becomes two days in Asia/Kolkata? No: there it is 05:20 to 05:40.
        // Use a time that crosses Kolkata's midnight instead: 18:20 to 18:40 UTC is 23:50 to 00:10 there.
        long start = day.atTime(18, 20).toInstant(ZoneOffset.UTC).toEpochMilli();
        List<String> items = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            items.add(ApiClient.waka(start + i * 60_000L, "p", "Java", "/a"));
        }
        assertEquals(
                202,
                STACK.api()
                        .post("/api/v1/users/current/heartbeats.bulk", a.keyAuth(), "[" + String.join(",", items) + "]")
                        .status());
        awaitQuiet();
        JsonNode utc = STACK.api()
                .get("/api/stats?start=" + day + "&end=" + day.plusDays(1), a.bearer())
                .json();
        assertEquals(1200.0, utc.get("by_day").get(0).get("seconds").asDouble());
        assertEquals(0.0, utc.get("by_day").get(1).get("seconds").asDouble());

        ApiClient.Response put = STACK.api()
                .request("PUT", "/api/settings", a.bearer(), "{\"timezone\":\"Asia/Kolkata\",\"timeout_minutes\":10}");
        assertEquals(200, put.status(), put.body());
        assertEquals("Asia/Kolkata", put.json().get("timezone").asText());
        assertTrue(put.json().get("recomputing_days").asInt() >= 2);
        awaitQuiet();
        JsonNode kolkata = STACK.api()
                .get("/api/stats?start=" + day + "&end=" + day.plusDays(1), a.bearer())
                .json();
        assertEquals("Asia/Kolkata", kolkata.get("range").get("timezone").asText());
        assertEquals(600.0, kolkata.get("by_day").get(0).get("seconds").asDouble());
        assertEquals(600.0, kolkata.get("by_day").get(1).get("seconds").asDouble());
        // Nothing changed for the other user.
        assertEquals(
                "UTC",
                STACK.api()
                        .get("/api/settings", b.bearer())
                        .json()
                        .get("timezone")
                        .asText());
    }

    @Test
    void badSettingsAre400WithAMessage() {
        for (String body : List.of(
                "{\"timezone\":\"Mars/Olympus\"}",
                "{\"timeout_minutes\":0}",
                "{\"timeout_minutes\":\"5\"}",
                "{\"retention_days\":-1}",
                "{\"excluded_projects\":\"x\"}",
                "{\"hide_file_names\":\"yes\"}",
                "[]")) {
            ApiClient.Response r = STACK.api().request("PUT", "/api/settings", a.bearer(), body);
            assertEquals(400, r.status(), body);
            assertNotNull(r.json().get("error").asText(), body);
        }
    }

    @Test
    void privacySettingsApplyBeforeAnythingIsStored() {
        assertEquals(
                200,
                STACK.api()
                        .request(
                                "PUT",
                                "/api/settings",
                                a.bearer(),
                                "{\"hide_file_names\":true,\"excluded_projects\":[\"secret\"]}")
                        .status());
        ingest(a, "secret", 3);
        ingest(a, "open", 3);
        awaitQuiet();
        JsonNode s = STACK.api()
                .get("/api/stats?start=" + day + "&end=" + day, a.bearer())
                .json();
        assertFalse(s.get("by_project").has("secret"));
        assertEquals(120.0, s.get("by_project").get("open").asDouble());
        var items = STACK.deployment()
                .dynamo
                .query(q -> q.tableName(LocalDeployment.TABLE)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :b)")
                        .expressionAttributeValues(
                                Map.of(":pk", AttributeValue.fromS("U#" + a.id()), ":b", AttributeValue.fromS("B#"))))
                .items();
        assertFalse(items.isEmpty());
        for (var item : items) {
            String raw = new String(ungzip(item.get("h").b().asByteArray()));
            assertFalse(raw.contains("Main.java"), "file names are stored only as hashes");
            assertFalse(raw.contains("secret"), "excluded projects are not stored");
        }
    }

    static byte[] ungzip(byte[] b) {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- isolation and deletion

    @Test
    void oneUsersCredentialsNeverSeeAnotherUsersDataOnAnyRoute() {
        ingest(b, "bravo-secret-project", 5);
        ingest(a, "alpha", 5);
        awaitQuiet();
        assertEquals(240.0, total(b.keyAuth()));
        // B's team, sharing everything of B with its members (A is not one).
        String team = STACK.api()
                .request("POST", "/api/teams", b.bearer(), "{\"name\":\"bravo\"}")
                .json()
                .get("id")
                .asText();
        STACK.api().request("PUT", "/api/teams/" + team + "/sharing", b.bearer(), "{\"share\":\"breakdown\"}");
        for (ApiRoutes.Route route : ApiRoutes.all()) {
            if (!route.method().equals("GET") || route.auth() == ApiRoutes.Auth.NONE) {
                continue;
            }
            String path = route.path()
                    .replace("{range}", "last_7_days")
                    .replace("{id}", b.keyId())
                    .replace("{user}", b.id())
                    .replace("{team}", team)
                    .replace("{board}", team);
            String query =
                    path.contains("?") ? "" : "?start=" + day + "&end=" + day + "&date=" + day + "&range=last_7_days";
            for (String cred : List.of(a.bearer(), a.keyAuth())) {
                ApiClient.Response r = STACK.api().get(path + query, cred);
                assertFalse(
                        r.body().contains("bravo-secret-project"), route.routeKey() + " leaked another user's data");
                assertFalse(r.body().contains(b.keyId()), route.routeKey() + " leaked another user's key");
            }
        }
        // Writes too: A cannot rename or revoke B's key, and A's settings do not touch B's.
        assertEquals(
                404,
                STACK.api()
                        .request("PATCH", "/api/keys/" + b.keyId(), a.bearer(), "{\"label\":\"x\"}")
                        .status());
        assertEquals(
                404,
                STACK.api()
                        .request("DELETE", "/api/keys/" + b.keyId(), a.bearer(), null)
                        .status());
        assertEquals(
                200,
                STACK.api()
                        .request("PUT", "/api/settings", a.bearer(), "{\"timeout_minutes\":1}")
                        .status());
        awaitQuiet();
        assertEquals(240.0, total(b.keyAuth()));
        assertEquals(
                "laptop",
                STACK.api()
                        .get("/api/keys", b.bearer())
                        .json()
                        .get("keys")
                        .get(0)
                        .get("label")
                        .asText());
    }

    @Test
    void aDeletedAccountLeavesOnlyItsTombstoneEvenWithHeartbeatsStillQueued() {
        ingest(a, "alpha", 5);
        awaitQuiet();
        ingest(b, "bravo", 5);
        assertEquals(
                200,
                STACK.api()
                        .request("PUT", "/api/settings", a.bearer(), "{\"retention_days\":30}")
                        .status());
        // Queue more for A and delete at once: these messages were accepted before the deletion.
        ingest(a, "late", 3);
        ApiClient.Response del = STACK.api().request("DELETE", "/api/account", a.bearer(), null);
        assertEquals(202, del.status(), del.body());
        // The data is deleted in the background, through the queue.
        PipelineContract.await(() -> items(a).size() == 1, Duration.ofSeconds(60));
        awaitQuiet();
        var left = items(a);
        // Only the tombstone stays, holding nothing but when (it expires with SQS's retention).
        assertEquals(1, left.size(), left.toString());
        assertEquals("REMOVED", left.get(0).get("sk").s());
        assertEquals(Set.of("pk", "sk", "at", "ttl"), left.get(0).keySet());
        assertEquals(401, STACK.api().get("/api/stats", a.keyAuth()).status(), "the account's keys are revoked");
        assertEquals(0.0, total(a.bearer()));
        assertEquals(240.0, total(b.keyAuth()), "the other user keeps everything");
    }

    static List<Map<String, AttributeValue>> items(User u) {
        return STACK.deployment()
                .dynamo
                .query(q -> q.tableName(LocalDeployment.TABLE)
                        .keyConditionExpression("pk = :pk")
                        .consistentRead(true)
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("U#" + u.id()))))
                .items();
    }
}
