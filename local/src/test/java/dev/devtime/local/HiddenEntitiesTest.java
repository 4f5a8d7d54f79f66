package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.functions.auth.ApiKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * "Hide file names" hides every entity a heartbeat carries (file paths, URLs with their tokens, app and event
 * names) behind a hash keyed with the user's own secret: nothing readable is stored, the same entity hashes
 * alike for the same user (resends deduplicate) and differently for another, and the hash is not the plain
 * SHA-256 anyone could compute from a guessed path.
 */
class HiddenEntitiesTest {

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(o -> o.withBatching(50, Duration.ofMillis(50), 2));

    static final Pattern HIDDEN = Pattern.compile("hmac-sha256:[0-9a-f]{64}");

    record User(String id, String key) {}

    static User hidingUser() {
        String id = "hide-" + UUID.randomUUID();
        String bearer = "Bearer " + STACK.deployment().issuer.tokenFor(id);
        assertEquals(
                200,
                STACK.api()
                        .request("PUT", "/api/settings", bearer, "{\"hide_file_names\":true}")
                        .status());
        String key = ApiKeys.generate();
        STACK.deployment().seedKey(id, key, "test");
        return new User(id, key);
    }

    static final String FILE = "/home/me/secret-project/Main.java";
    static final String URL = "https://example.com/reset?token=s3cr3t-token";
    static final String EVENT = "deploy-to-prod-cluster";

    static void send(User u, long t) {
        String body = "[" + heartbeat(t, FILE, "file") + "," + heartbeat(t + 30_000, URL, "url") + ","
                + heartbeat(t + 60_000, EVENT, "event") + "]";
        ApiClient.Response r =
                STACK.api().post("/api/v1/users/current/heartbeats.bulk", ApiClient.basic(u.key()), body);
        assertEquals(202, r.status(), r.body());
    }

    static String heartbeat(long t, String entity, String type) {
        return "{\"entity\":\"" + entity + "\",\"type\":\"" + type + "\",\"category\":\"coding\",\"time\":" + t / 1000.0
                + ",\"project\":\"p\",\"language\":\"Java\"}";
    }

    /** Every bucket of the user, as stored. */
    static String stored(String userId) {
        StringBuilder all = new StringBuilder();
        for (var item : STACK.deployment()
                .dynamo
                .query(q -> q.tableName(LocalDeployment.TABLE)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :b)")
                        .expressionAttributeValues(
                                Map.of(":pk", AttributeValue.fromS("U#" + userId), ":b", AttributeValue.fromS("B#"))))
                .items()) {
            all.append(new String(AccountsTest.ungzip(item.get("h").b().asByteArray()), StandardCharsets.UTF_8));
        }
        return all.toString();
    }

    static List<String> hashes(String stored) {
        List<String> out = new ArrayList<>();
        Matcher m = HIDDEN.matcher(stored);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void aProjectsFilesAreListedHashed() {
        User u = hidingUser();
        long t = System.currentTimeMillis() - 3_600_000;
        send(u, t);
        STACK.deployment().awaitDrained(Duration.ofSeconds(30));
        String from = java.time.Instant.ofEpochMilli(t).toString().substring(0, 10);
        String to = java.time.Instant.ofEpochMilli(t + 60_000).toString().substring(0, 10);
        ApiClient.Response r = STACK.api()
                .get(
                        "/api/v1/users/current/summaries?start=" + from + "&end=" + to + "&project=p",
                        ApiClient.basic(u.key()));
        assertEquals(200, r.status(), r.body());
        List<String> names = new ArrayList<>();
        double seconds = 0;
        for (var day : r.json().get("data")) {
            for (var e : day.get("entities")) {
                names.add(e.get("name").asText());
                seconds += e.get("total_seconds").asDouble();
            }
        }
        // The file and the URL get 30 s each (the event is last: no time after it), under their hashes only.
        assertEquals(2, names.size(), r.body());
        assertTrue(names.stream().allMatch(n -> HIDDEN.matcher(n).matches()), names.toString());
        assertEquals(60.0, seconds);
        assertFalse(r.body().contains("Main.java") || r.body().contains("s3cr3t"), r.body());
    }

    @Test
    void everyEntityTypeIsStoredOnlyAsAKeyedHash() throws Exception {
        User a = hidingUser();
        User b = hidingUser();
        long t = System.currentTimeMillis() - 3_600_000;
        send(a, t);
        send(b, t);
        STACK.deployment().awaitDrained(Duration.ofSeconds(30));
        String storedA = stored(a.id());
        String storedB = stored(b.id());
        for (String s : List.of(storedA, storedB)) {
            assertFalse(s.isEmpty());
            for (String secret : List.of("secret-project", "Main.java", "s3cr3t-token", "example.com", EVENT)) {
                assertFalse(s.contains(secret), secret + " stored in " + s);
            }
        }
        List<String> hashesA = hashes(storedA);
        assertEquals(3, hashesA.stream().distinct().count(), storedA);
        String sha256 = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(FILE.getBytes(StandardCharsets.UTF_8)));
        assertFalse(storedA.contains(sha256), "the plain SHA-256 of a guessable path is not stored");
        // Per user: the same path gives another hash for another user.
        assertTrue(hashes(storedB).stream().noneMatch(hashesA::contains), storedB);

        // A resend deduplicates: the same hashes, no new heartbeats.
        send(a, t);
        STACK.deployment().awaitDrained(Duration.ofSeconds(30));
        assertEquals(
                hashesA.stream().distinct().sorted().toList(),
                hashes(stored(a.id())).stream().distinct().sorted().toList());
        assertEquals(hashesA.size(), hashes(stored(a.id())).size());

        // The secret lives in the settings item, and the settings route does not show it.
        var settings = STACK.deployment()
                .dynamo
                .getItem(g -> g.tableName(LocalDeployment.TABLE)
                        .key(Map.of("pk", AttributeValue.fromS("U#" + a.id()), "sk", AttributeValue.fromS("SETTINGS"))))
                .item();
        assertEquals(32, settings.get("hk").b().asByteArray().length);
        String shown = STACK.api()
                .get("/api/settings", "Bearer " + STACK.deployment().issuer.tokenFor(a.id()))
                .body();
        assertFalse(shown.contains("hk") || shown.contains("key"), shown);
        // A later settings change keeps the secret, so later heartbeats hash alike.
        assertEquals(
                200,
                STACK.api()
                        .request(
                                "PUT",
                                "/api/settings",
                                "Bearer " + STACK.deployment().issuer.tokenFor(a.id()),
                                "{\"timeout_minutes\":20}")
                        .status());
        var after = STACK.deployment()
                .dynamo
                .getItem(g -> g.tableName(LocalDeployment.TABLE)
                        .key(Map.of("pk", AttributeValue.fromS("U#" + a.id()), "sk", AttributeValue.fromS("SETTINGS"))))
                .item();
        assertEquals(settings.get("hk"), after.get("hk"));
        assertNotEquals(null, after.get("tz"));
    }
}
