package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.functions.Wiring;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-user limit through the real gateway: a request over it is refused whole with 429 and
 * Retry-After before anything is queued, every heartbeat answered 202 is stored, and a refused request
 * sent again after the wait goes through. Each ingest instance keeps its own limiter, as each Lambda
 * container does, and requests are spread over them in turn.
 */
class RateLimitTest {

    /** 600 a minute (10 a second) with bursts of 100: small enough to reach in a test, quick to refill. */
    static final int PER_MINUTE = 600;

    static final int BURST = 100;

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(o -> o.withBatching(50, Duration.ofMillis(100), 2)
            .withConfig(Wiring.Config.defaults().withRateLimit(PER_MINUTE, BURST)));

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static String keyFor(String user) {
        String key = "waka_" + UUID.randomUUID();
        STACK.deployment().seedKey(user, key, "test");
        return ApiClient.basic(key);
    }

    final long nine = LocalDate.now(ZoneOffset.UTC)
            .minusDays(1)
            .atTime(9, 0)
            .toInstant(ZoneOffset.UTC)
            .toEpochMilli();

    /** {@code n} heartbeats a second apart from {@code first}; their times identify them. */
    List<String> items(int first, int n) {
        List<String> out = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            out.add(ApiClient.waka(nine + i * 1000L, "p", "Go", "/src/main.go"));
        }
        return out;
    }

    static HttpResponse<String> bulk(String auth, List<String> items) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(STACK.deployment().baseUrl() + "/api/v1/users/current/heartbeats.bulk"))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .header("User-Agent", ApiClient.VSCODE_UA)
                        .header("X-Machine-Name", "box")
                        .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", items) + "]"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The times of the user's stored heartbeats, through the export. */
    Set<Long> stored(String user) throws Exception {
        String bearer = "Bearer " + STACK.deployment().issuer.tokenFor(user);
        Set<Long> out = new HashSet<>();
        JsonNode page = STACK.api().get("/api/export?format=json", bearer).json();
        page.get("heartbeats").forEach(h -> out.add(Math.round(h.get("time").asDouble() * 1000)));
        assertTrue(page.get("next").isNull());
        return out;
    }

    static void awaitQuiet() {
        STACK.deployment().awaitDrained(Duration.ofSeconds(60));
    }

    @Test
    void overTheLimitIs429WithRetryAfterAndEverything202IsStored() throws Exception {
        String user = "rl-" + UUID.randomUUID();
        String auth = keyFor(user);
        Set<Long> answered202 = new HashSet<>();
        HttpResponse<String> refused = null;
        List<String> refusedItems = null;
        int refusedFirst = -1;
        // A client flushing its offline queue, 25 at a time, as fast as it can: the burst passes, then 429.
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (int r = 0; r < 12 * LocalDeployment.INSTANCES && refused == null; r++) {
                List<String> batch = items(r * 25, 25);
                HttpResponse<String> resp = bulk(auth, batch);
                if (resp.statusCode() == 202) {
                    for (int i = 0; i < 25; i++) {
                        answered202.add(nine + (r * 25 + i) * 1000L);
                    }
                } else {
                    refused = resp;
                    refusedItems = batch;
                    refusedFirst = r * 25;
                }
            }
        } finally {
            System.setOut(out);
        }
        assertTrue(refused != null, "the limit was never reached");
        // The operator sees who was throttled (even with --quiet), not what they sent.
        String lines = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(lines.contains("\"level\":\"WARN\",\"message\":\"rate limited\",\"user\":\"" + user + "\""), lines);
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(
                answered202.size() >= BURST * LocalDeployment.INSTANCES,
                "the burst passes in each container: " + answered202.size());
        long retryAfter =
                Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 3, "25 heartbeats at 10 a second: " + retryAfter);
        assertTrue(ApiClient.JSON
                .readTree(refused.body())
                .get("error")
                .asText()
                .contains("nothing of this request was stored"));

        // Another user is not held back by this one.
        assertEquals(
                202, bulk(keyFor("rl-other-" + UUID.randomUUID()), items(0, 25)).statusCode());

        // Nothing of the refused request was queued: once the queue is drained, exactly the 202s are stored.
        awaitQuiet();
        assertEquals(answered202, stored(user));

        // The refused request, sent again after the wait, passes.
        Thread.sleep(retryAfter * 1000 + 200);
        HttpResponse<String> again = bulk(auth, refusedItems);
        assertEquals(202, again.statusCode(), again.body());
        for (int i = 0; i < 25; i++) {
            answered202.add(nine + (refusedFirst + i) * 1000L);
        }

        PipelineContract.await(
                () -> {
                    try {
                        return stored(user).equals(answered202);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                Duration.ofSeconds(60));
    }

    @Test
    void invalidItemsCostNothingAndTheNativeBatchRouteIsLimitedToo() throws Exception {
        String user = "rl-" + UUID.randomUUID();
        String auth = keyFor(user);
        // 200 items of which only 60 valid: 60 tokens of the 100, in every container (the same items each time).
        List<String> mixed = new ArrayList<>(items(0, 60));
        for (int i = 0; i < 140; i++) {
            mixed.add("{\"time\":" + (nine / 1000) + "}");
        }
        for (int c = 0; c < LocalDeployment.INSTANCES; c++) {
            HttpResponse<String> r = bulk(auth, mixed);
            assertEquals(202, r.statusCode(), r.body());
        }
        // 60 more need 20 tokens beyond the 40 left (plus a little refill): refused whole on the native route.
        StringBuilder batch = new StringBuilder("{\"heartbeats\":[");
        for (int i = 0; i < 60; i++) {
            batch.append(i == 0 ? "" : ",")
                    .append("{\"tool\":\"codex\",\"timestamp\":")
                    .append(nine + 500_000 + i * 1000L)
                    .append(",\"activity_type\":\"coding\",\"project\":\"p\"}");
        }
        batch.append("]}");
        ApiClient.Response native1 = STACK.api().post("/api/heartbeat/batch", auth, batch.toString());
        assertEquals(429, native1.status(), native1.body());
        Thread.sleep(2_500);
        assertEquals(
                202,
                STACK.api().post("/api/heartbeat/batch", auth, batch.toString()).status());
        PipelineContract.await(
                () -> {
                    try {
                        return stored(user).size() == 120;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                Duration.ofSeconds(60));
    }
}
