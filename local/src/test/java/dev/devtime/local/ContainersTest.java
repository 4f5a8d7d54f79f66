package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.functions.Wiring;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Several instances of each function, as Lambda runs several warm containers: what one holds (its API key
 * cache) the others do not know. A revoked key, or a deleted account's key, still passes in a container that
 * looked it up before, until that container's cache entry expires; the account's deletion must win anyway.
 * The handlers' clock is moved by the test, so the key cache's lifetime is crossed without waiting for it.
 */
class ContainersTest {

    static final OpenDaysTest.MovableClock CLOCK = new OpenDaysTest.MovableClock(Instant.now());
    static final Duration KEY_CACHE = Wiring.Config.defaults().keyCacheTtl();

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(
            o -> o.withBatching(50, Duration.ofMillis(100), 2).withClock(CLOCK));

    final long noon = LocalDate.now(ZoneOffset.UTC)
            .minusDays(1)
            .atTime(12, 0)
            .toInstant(ZoneOffset.UTC)
            .toEpochMilli();

    static void advance(Duration d) {
        CLOCK.set(LocalDateTime.ofInstant(CLOCK.instant().plus(d), ZoneOffset.UTC));
    }

    record User(String id, String bearer, String keyAuth, String keyId) {}

    static User newUser() {
        String id = "c-" + UUID.randomUUID();
        String bearer = "Bearer " + STACK.deployment().issuer.tokenFor(id);
        ApiClient.Response r = STACK.api().request("POST", "/api/auth/token", bearer, "{\"label\":\"laptop\"}");
        assertEquals(201, r.status(), r.body());
        return new User(
                id,
                bearer,
                ApiClient.basic(r.json().get("key").asText()),
                r.json().get("id").asText());
    }

    /**
     * One request after another, as many as there are instances: requests are spread in turn, so each
     * ingest instance gets one (and has looked the key up, if it had not). Returns the statuses.
     */
    static List<Integer> throughEveryInstance(User u, long timeMs) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < LocalDeployment.INSTANCES; i++) {
            statuses.add(STACK.api()
                    .post(
                            "/api/v1/users/current/heartbeats.bulk",
                            u.keyAuth(),
                            "[" + ApiClient.waka(timeMs + i * 60_000L, "p", "Java", "/src/Main.java") + "]")
                    .status());
        }
        return statuses;
    }

    static List<Integer> all(int status) {
        return Collections.nCopies(LocalDeployment.INSTANCES, status);
    }

    static List<Map<String, AttributeValue>> items(User u) {
        return STACK.deployment()
                .dynamo
                .query(q -> q.tableName(LocalDeployment.TABLE)
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("U#" + u.id()))))
                .items();
    }

    @Test
    void aDeletedAccountStaysDeletedWhileOtherContainersStillTrustItsKey() {
        User u = newUser();
        assertEquals(all(202), throughEveryInstance(u, noon));
        STACK.deployment().awaitDrained(Duration.ofSeconds(60));
        assertTrue(items(u).stream().anyMatch(i -> i.get("sk").s().startsWith("B#")), "stored before the deletion");

        advance(Duration.ofSeconds(1));
        ApiClient.Response deleted = STACK.api().request("DELETE", "/api/account", u.bearer(), null);
        assertEquals(202, deleted.status(), deleted.body());

        // The ingest containers looked the key up a second ago: they accept it still, and stamp what they
        // queue after the deletion.
        advance(Duration.ofSeconds(1));
        assertEquals(all(202), throughEveryInstance(u, noon + 3_600_000L));
        STACK.deployment().awaitDrained(Duration.ofSeconds(60));
        List<Map<String, AttributeValue>> left = items(u);
        assertEquals(1, left.size(), "only the tombstone is left: " + left);
        assertEquals("REMOVED", left.get(0).get("sk").s());

        // Once their cache entries expire, the key is refused everywhere.
        advance(KEY_CACHE);
        assertEquals(all(401), throughEveryInstance(u, noon + 7_200_000L));
    }

    @Test
    void aUserWhoComesBackAfterDeletingTheAccountIsStoredAgain() {
        User u = newUser();
        assertEquals(all(202), throughEveryInstance(u, noon));
        STACK.deployment().awaitDrained(Duration.ofSeconds(60));
        advance(Duration.ofSeconds(1));
        assertEquals(
                202,
                STACK.api().request("DELETE", "/api/account", u.bearer(), null).status());
        STACK.deployment().awaitDrained(Duration.ofSeconds(60));
        advance(KEY_CACHE.plusSeconds(1));

        // A new key after the deletion: what it sends is stored again, and nothing from before comes back.
        User back = newKey(u);
        assertEquals(all(202), throughEveryInstance(back, noon + 3_600_000L));
        STACK.deployment().awaitDrained(Duration.ofSeconds(60));
        double total = STACK.api()
                .get(
                        "/api/stats?start=" + LocalDate.now(ZoneOffset.UTC).minusDays(1) + "&end="
                                + LocalDate.now(ZoneOffset.UTC).minusDays(1),
                        u.bearer())
                .json()
                .get("total_seconds")
                .asDouble();
        assertEquals(60.0 * (LocalDeployment.INSTANCES - 1), total, "only the heartbeats sent after coming back");
    }

    static User newKey(User existing) {
        ApiClient.Response r =
                STACK.api().request("POST", "/api/auth/token", existing.bearer(), "{\"label\":\"new laptop\"}");
        assertEquals(201, r.status(), r.body());
        return new User(
                existing.id(),
                existing.bearer(),
                ApiClient.basic(r.json().get("key").asText()),
                r.json().get("id").asText());
    }

    @Test
    void aRevokedKeyIsRefusedByEveryContainerOnceItsCacheEntryExpires() {
        User u = newUser();
        assertEquals(all(202), throughEveryInstance(u, noon));
        assertEquals(
                204,
                STACK.api()
                        .request("DELETE", "/api/keys/" + u.keyId(), u.bearer(), null)
                        .status());

        // Up to the key cache's lifetime after their lookup, the containers that made it still accept the key...
        advance(KEY_CACHE.minusSeconds(1));
        assertEquals(all(202), throughEveryInstance(u, noon + 3_600_000L));
        // ...and from then on none does. A query instance never looked it up: refused at once.
        advance(Duration.ofSeconds(2));
        assertEquals(all(401), throughEveryInstance(u, noon + 7_200_000L));
        for (int i = 0; i < LocalDeployment.INSTANCES; i++) {
            assertEquals(401, STACK.api().get("/api/stats", u.keyAuth()).status());
        }
    }
}
