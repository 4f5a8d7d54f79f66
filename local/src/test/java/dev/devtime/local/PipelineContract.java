package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.functions.auth.ApiKeys;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's behaviour through real HTTP, the real handlers, SQS and DynamoDB. Backend-neutral:
 * {@link EmbeddedPipelineTest} runs it on DynamoDB Local and ElasticMQ, {@link LocalStackPipelineTest}
 * on LocalStack where Docker exists. Each test uses a user of its own.
 */
abstract class PipelineContract {

    abstract LocalDeployment stack();

    ApiClient api;
    String key;
    String auth;
    /** Two whole UTC days in the past, so no test runs into midnight or the future limit. */
    final LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);

    final long noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

    @BeforeEach
    void newUser() {
        api = new ApiClient(stack().baseUrl());
        key = ApiKeys.generate();
        auth = ApiClient.basic(key);
        stack().seedKey("user-" + UUID.randomUUID(), key, "test");
    }

    String bulk(List<String> items) {
        return "[" + String.join(",", items) + "]";
    }

    ApiClient.Response sendBulk(List<String> items) {
        return api.post("/api/v1/users/current/heartbeats.bulk", auth, bulk(items));
    }

    JsonNode stats(LocalDate from, LocalDate to) {
        ApiClient.Response r = api.get("/api/stats?start=" + from + "&end=" + to, auth);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    /** Waits until the queue is drained and nothing is in flight, so every accepted heartbeat is stored. */
    void awaitQuiet() {
        stack().awaitDrained(Duration.ofSeconds(60));
    }

    static void await(BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("condition not met within " + timeout);
    }

    @Test
    void bulkIngestGivesStatsBrokenDownEveryWay() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(ApiClient.waka(noon + i * 60_000L, "alpha", "Java", "/src/alpha/A.java"));
        }
        for (int i = 0; i < 5; i++) {
            items.add(ApiClient.waka(noon + 600_000L + i * 30_000L, "beta", "Go", "/src/beta/b.go"));
        }
        ApiClient.Response r = sendBulk(items);
        assertEquals(202, r.status(), r.body());
        assertEquals(15, r.json().get("responses").size());
        r.json().get("responses").forEach(t -> assertEquals(201, t.get(1).asInt()));
        awaitQuiet();

        JsonNode s = stats(day, day);
        // alpha: 9 gaps of 60 s, plus the 60 s gap from its last heartbeat to beta's first = 600 s.
        // beta: 4 gaps of 30 s = 120 s. Nothing after the last heartbeat.
        assertEquals(720.0, s.get("total_seconds").asDouble());
        assertEquals(600.0, s.get("by_project").get("alpha").asDouble());
        assertEquals(120.0, s.get("by_project").get("beta").asDouble());
        assertEquals(600.0, s.get("by_language").get("Java").asDouble());
        assertEquals(720.0, s.get("by_tool").get("vscode").asDouble());
        assertEquals(720.0, s.get("by_editor").get("VS Code").asDouble());
        assertEquals(720.0, s.get("by_os").get("Linux").asDouble());
        assertEquals(720.0, s.get("by_machine").get("test-box").asDouble());
        assertEquals(720.0, s.get("by_branch").get("main").asDouble());
        assertEquals(720.0, s.get("by_day").get(0).get("seconds").asDouble());

        JsonNode filtered = api.get("/api/stats?start=" + day + "&end=" + day + "&project=beta", auth)
                .json();
        assertEquals(120.0, filtered.get("total_seconds").asDouble());
        assertEquals(1, filtered.get("by_language").size());

        JsonNode sessions = api.get("/api/sessions?date=" + day, auth).json().get("sessions");
        assertEquals(2, sessions.size());
        assertEquals("alpha", sessions.get(0).get("project").asText());
        assertEquals(540.0, sessions.get(0).get("duration").asDouble());
        assertEquals(10, sessions.get(0).get("heartbeat_count").asInt());
    }

    @Test
    void resentHeartbeatsAreCountedOnce() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add(ApiClient.waka(noon + i * 60_000L, "alpha", "Java", "/src/A.java"));
        }
        assertEquals(202, sendBulk(items).status());
        assertEquals(202, sendBulk(items).status());
        assertEquals(202, sendBulk(items.subList(2, 5)).status());
        awaitQuiet();
        assertEquals(300.0, stats(day, day).get("total_seconds").asDouble());
    }

    @Test
    void lateAndOutOfOrderHeartbeatsLandOnTheirOwnDay() {
        LocalDate earlier = day.minusDays(1);
        long earlierNoon = noon - 86_400_000L;
        // Today's activity first, then hours-late heartbeats of the day before, newest first.
        assertEquals(
                202,
                sendBulk(List.of(
                                ApiClient.waka(noon, "p", "Java", "/a"),
                                ApiClient.waka(noon + 120_000, "p", "Java", "/a")))
                        .status());
        assertEquals(
                202,
                sendBulk(List.of(
                                ApiClient.waka(earlierNoon + 240_000, "p", "Java", "/a"),
                                ApiClient.waka(earlierNoon + 60_000, "p", "Java", "/a")))
                        .status());
        assertEquals(
                202,
                sendBulk(List.of(
                                ApiClient.waka(earlierNoon, "p", "Java", "/a"),
                                ApiClient.waka(noon + 60_000, "p", "Java", "/a")))
                        .status());
        awaitQuiet();
        JsonNode s = stats(earlier, day);
        assertEquals(240.0, s.get("by_day").get(0).get("seconds").asDouble());
        assertEquals(120.0, s.get("by_day").get(1).get("seconds").asDouble());
        assertEquals(360.0, s.get("total_seconds").asDouble());
    }

    @Test
    void aMixedBatchKeepsTheValidItemsAndRefusesEachBadOne() {
        List<String> items = List.of(
                ApiClient.waka(noon, "p", "Java", "/a"),
                "{\"entity\":\"/b\"}",
                ApiClient.waka(noon + 60_000, "p", "Java", "/a"),
                "{\"entity\":\"/c\",\"time\":\"yesterday\"}",
                "42",
                ApiClient.waka(noon + 120_000, "p", "Java", "/a"));
        ApiClient.Response r = sendBulk(items);
        assertEquals(202, r.status(), r.body());
        JsonNode responses = r.json().get("responses");
        assertEquals(
                List.of(201, 400, 201, 400, 400, 201),
                List.of(
                        responses.get(0).get(1).asInt(),
                        responses.get(1).get(1).asInt(),
                        responses.get(2).get(1).asInt(),
                        responses.get(3).get(1).asInt(),
                        responses.get(4).get(1).asInt(),
                        responses.get(5).get(1).asInt()));
        assertEquals("time is required", responses.get(1).get(0).get("error").asText());
        assertEquals(
                "time must be a number", responses.get(3).get(0).get("error").asText());
        awaitQuiet();
        assertEquals(120.0, stats(day, day).get("total_seconds").asDouble());
    }

    @Test
    void aBadOrMissingKeyIs401() {
        String body = bulk(List.of(ApiClient.waka(noon, "p", "Java", "/a")));
        assertEquals(
                401,
                api.post("/api/v1/users/current/heartbeats.bulk", null, body).status());
        assertEquals(
                401,
                api.post("/api/v1/users/current/heartbeats.bulk", ApiClient.basic(ApiKeys.generate()), body)
                        .status());
        assertEquals(
                401,
                api.post("/api/v1/users/current/heartbeats.bulk", ApiClient.basic("not-a-key"), body)
                        .status());
        assertEquals(401, api.get("/api/stats", "Bearer " + ApiKeys.generate()).status());
        ApiClient.Response r = api.get("/api/stats", null);
        assertEquals(401, r.status());
        assertTrue(r.json().get("error").asText().startsWith("missing credentials"));
    }

    @Test
    void everyKeyFormWakaTimeClientsUseIsAccepted() {
        String body = bulk(List.of(ApiClient.waka(noon, "p", "Java", "/a")));
        String bare = key.substring(ApiKeys.PREFIX.length());
        assertEquals(
                202,
                api.post("/api/v1/users/current/heartbeats.bulk", ApiClient.basic(bare), body)
                        .status());
        assertEquals(
                202,
                api.post("/api/v1/users/current/heartbeats.bulk", ApiClient.basic(key + ":"), body)
                        .status());
        assertEquals(
                202,
                api.post("/api/v1/users/current/heartbeats.bulk", "Bearer " + key, body)
                        .status());
        assertEquals(
                202,
                api.post("/api/compat/wakatime/v1/users/current/heartbeats.bulk?api_key=" + key, null, body)
                        .status());
    }

    @Test
    void nativeRoutesKeepThePlansShape() {
        String hb = "{\"tool\":\"claude-code\",\"timestamp\":" + noon
                + ",\"activity_type\":\"prompting\",\"project\":\"p\","
                + "\"tokens_in\":100,\"tokens_out\":20,\"model\":\"claude-sonnet-4-5\",\"session_id\":\"s1\"}";
        ApiClient.Response one = api.post("/api/heartbeat", auth, hb);
        assertEquals(202, one.status(), one.body());
        assertTrue(one.json().get("ok").asBoolean());
        String batch = "{\"heartbeats\":[" + hb.replace(Long.toString(noon), Long.toString(noon + 60_000))
                + ",{\"tool\":\"claude-code\"}]}";
        ApiClient.Response many = api.post("/api/heartbeat/batch", auth, batch);
        assertEquals(202, many.status(), many.body());
        assertEquals(1, many.json().get("accepted").asInt());
        assertEquals(1, many.json().get("rejected").asInt());
        assertEquals(1, many.json().get("errors").get(0).get("index").asInt());
        awaitQuiet();
        JsonNode s = stats(day, day);
        assertEquals(60.0, s.get("by_category").get("ai coding").asDouble());
        assertEquals(200, s.get("ai").get("tokens_in").asLong());
        assertEquals(
                40,
                s.get("ai")
                        .get("by_model")
                        .get("claude-sonnet-4-5")
                        .get("tokens_out")
                        .asLong());
    }
}
