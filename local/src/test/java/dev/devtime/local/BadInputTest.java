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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile and broken requests over real HTTP against the whole local stack: each refused with its exact
 * 4xx and message, never a 5xx, and every valid item sent beside bad ones stored and counted.
 */
class BadInputTest {

    static final String BULK = "/api/v1/users/current/heartbeats.bulk";

    @RegisterExtension
    static final DeploymentExtension STACK =
            new DeploymentExtension(o -> o.withBatching(50, Duration.ofMillis(100), 2));

    ApiClient api;
    String auth;
    final LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    final long noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

    @BeforeEach
    void newUser() {
        api = new ApiClient(STACK.deployment().baseUrl());
        String key = ApiKeys.generate();
        auth = ApiClient.basic(key);
        STACK.deployment().seedKey("user-" + UUID.randomUUID(), key, "test");
    }

    /** A valid heartbeat {@code minute} minutes after noon, as wakatime-cli sends it. */
    String good(int minute) {
        return ApiClient.waka(noon + minute * 60_000L, "p", "Java", "/src/A.java");
    }

    /**
     * A wakatime-cli heartbeat at noon with one field replaced by {@code rawJson}, spliced in as text so that
     * escapes such as a lone {@code \ud800} reach the server as a client would write them ({@code null}:
     * the field removed).
     */
    String with(String field, String rawJson) {
        var o = (com.fasterxml.jackson.databind.node.ObjectNode) json(good(0));
        if (rawJson == null) {
            o.remove(field);
            return o.toString();
        }
        o.put(field, "@@RAW@@");
        return o.toString().replace("\"@@RAW@@\"", rawJson);
    }

    static JsonNode json(String s) {
        try {
            return ApiClient.JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    void assertError(ApiClient.Response r, int status, String message) {
        assertEquals(status, r.status(), r.body());
        assertEquals(message, r.json().get("error").asText(), r.body());
    }

    /**
     * Sends the bad item between two good ones; the bad one gets its 400 and message, the good ones 201,
     * and both good ones are counted (one minute between them).
     */
    void assertItemRefused(String badItem, String message) {
        ApiClient.Response r = api.post(BULK, auth, "[" + good(0) + "," + badItem + "," + good(1) + "]");
        assertEquals(202, r.status(), r.body());
        JsonNode responses = r.json().get("responses");
        assertEquals(3, responses.size());
        assertEquals(201, responses.get(0).get(1).asInt());
        assertEquals(400, responses.get(1).get(1).asInt(), r.body());
        assertEquals(message, responses.get(1).get(0).get("error").asText());
        assertEquals(201, responses.get(2).get(1).asInt());
    }

    double awaitTotal(double expected) {
        double[] last = {-1};
        PipelineContract.await(
                () -> {
                    last[0] = api.get("/api/stats?start=" + day + "&end=" + day, auth)
                            .json()
                            .get("total_seconds")
                            .asDouble();
                    return last[0] == expected;
                },
                Duration.ofSeconds(30));
        return last[0];
    }

    @Test
    void malformedJsonIsA400WithTheParsersReason() {
        assertError(
                api.post(BULK, auth, "[" + good(0) + ","),
                400,
                "request body is not valid JSON: Unexpected end-of-input within/between Array entries");
        assertError(
                api.post(BULK, auth, "{'entity': 'a'}"),
                400,
                "request body is not valid JSON: Unexpected character (''' (code 39)): was expecting double-quote to start field name");
        assertError(api.post(BULK, auth, ""), 400, "request body is empty; send JSON");
        assertError(api.post(BULK, auth, "42"), 400, "send a heartbeat object or an array of them");
        assertError(api.post(BULK, auth, "[]"), 400, "no heartbeats in the request");
        assertError(api.post("/api/heartbeat/batch", auth, "{\"heartbeats\": 3}"), 400, "send {\"heartbeats\": [...]}");
        // NaN and Infinity literals are not JSON.
        assertError(
                api.post(BULK, auth, "[{\"entity\":\"/a\",\"time\":NaN}]"),
                400,
                "request body is not valid JSON: Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow");
    }

    @Test
    void wrongTypesMissingFieldsAndBadTimesAreRefusedPerItemAndTheGoodOnesKept() {
        long nowS = System.currentTimeMillis() / 1000;
        assertItemRefused("\"not an object\"", "a heartbeat must be a JSON object");
        assertItemRefused(with("time", "\"soon\""), "time must be a number");
        assertItemRefused(with("time", "{\"s\":1}"), "time must be a number");
        assertItemRefused(with("entity", "{\"path\":\"/a\"}"), "entity must be a string");
        assertItemRefused(with("entity", "[\"/a\"]"), "entity must be a string");
        assertItemRefused(with("is_write", "\"maybe\""), "is_write must be true or false");
        assertItemRefused(with("is_write", "4294967297"), "is_write must be true or false");
        assertItemRefused(with("lines", "-1"), "lines must be a whole number of at least 0");
        assertItemRefused(with("lineno", "1.5"), "lineno must be a whole number of at least 0");
        assertItemRefused(with("type", "\"folder\""), "type must be one of file, app, domain, url, event");
        assertItemRefused(with("ai_input_tokens", "-3"), "ai_input_tokens must be a whole number of at least 0");
        assertItemRefused(with("ai_prompts", "1e12"), "ai_prompts must be a whole number from 0 to 2147483647");
        assertItemRefused(with("time", null), "time is required");
        assertItemRefused(with("time", "null"), "time is required");
        assertItemRefused(with("entity", null), "entity is required (the file, app or domain being worked on)");
        assertItemRefused(with("entity", "\"   \""), "entity is required (the file, app or domain being worked on)");
        assertItemRefused(with("time", "\"NaN\""), "time must be a number");
        assertItemRefused(with("time", "\"Infinity\""), "time must be a number");
        assertItemRefused(with("time", "1e400"), "time must be a finite number");
        assertItemRefused(with("time", "\"1e400\""), "time must be a finite number");
        assertItemRefused(with("time", "-1700000000"), "time must be a positive epoch time");
        assertItemRefused(with("time", "0"), "time must be a positive epoch time");
        assertItemRefused(
                with("time", Long.toString(nowS + 3600 + 120)),
                "time is more than an hour in the future; check the clock (time is in epoch seconds)");
        // The usual client bug: milliseconds where WakaTime wants seconds.
        assertItemRefused(
                with("time", Long.toString(nowS * 1000)),
                "time is more than an hour in the future; check the clock (time is in epoch seconds)");
        assertItemRefused(
                with("time", Long.toString(nowS - 366L * 86_400)),
                "time is older than the server's maximum heartbeat age of 365 days");
        // A 200-digit number in a string costs no more than a short one.
        assertItemRefused(with("time", "\"" + "9".repeat(200) + "\""), "time must be a number");

        // Native heartbeats: same limits, in milliseconds.
        long nowMs = System.currentTimeMillis();
        String nativeOk = "{\"timestamp\":" + (noon + 120_000)
                + ",\"tool\":\"claude-code\",\"activity_type\":\"prompting\",\"project\":\"p\"}";
        ApiClient.Response r = api.post(
                "/api/heartbeat/batch",
                auth,
                "{\"heartbeats\":[" + nativeOk
                        + ",{\"timestamp\":" + (nowMs + 7_200_000) + ",\"tool\":\"codex\",\"activity_type\":\"coding\"}"
                        + ",{\"timestamp\":\"NaN\",\"tool\":\"codex\",\"activity_type\":\"coding\"}"
                        + ",{\"timestamp\":" + noon + ",\"activity_type\":\"coding\"}]}");
        assertEquals(202, r.status(), r.body());
        assertEquals(1, r.json().get("accepted").asInt());
        assertEquals(
                "[{\"index\":1,\"error\":\"timestamp is more than an hour in the future; check the clock (timestamp is in epoch milliseconds)\"},"
                        + "{\"index\":2,\"error\":\"timestamp must be a number\"},"
                        + "{\"index\":3,\"error\":\"tool is required (e.g. vscode, claude-code, codex, zed)\"}]",
                r.json().get("errors").toString());
        assertError(
                api.post("/api/heartbeat", auth, "{\"timestamp\":-5,\"tool\":\"zed\",\"activity_type\":\"coding\"}"),
                400,
                "timestamp must be a positive epoch time");

        // Every refusal above sat between good(0) and good(1); the native one at noon+2 min adds one more
        // minute: the good ones were all kept, each once.
        assertEquals(120.0, awaitTotal(120.0));
    }

    @Test
    void oversizedBodiesAre413AndLargeBatchesAnswered() {
        String tenMb = "[" + "\"" + "x".repeat(10 * 1024 * 1024) + "\"]";
        ApiClient.Response r = api.post(BULK, auth, tenMb);
        assertEquals(413, r.status());
        assertEquals("Request Entity Too Large", r.json().get("message").asText());
        // Under the gateway's 10 MB but over the handler's 1 MB.
        assertError(
                api.post(BULK, auth, "[" + good(0) + "," + "\"" + "x".repeat(2 * 1024 * 1024) + "\"]"),
                413,
                "request body is larger than 1024 KB");

        // 10,000 small items fit in 1 MB but are more than one request may carry.
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add("{\"entity\":\"/a\",\"time\":" + (noon / 1000 + i) + "}");
        }
        assertError(
                api.post(BULK, auth, "[" + String.join(",", many) + "]"),
                400,
                "too many heartbeats in one request: 10000 (at most 1000)");
        // 1,000 is allowed: every item answered 201 and all of them counted (one per second, 999 s).
        r = api.post(BULK, auth, "[" + String.join(",", many.subList(0, 1000)) + "]");
        assertEquals(
                202, r.status(), r.body().substring(0, Math.min(300, r.body().length())));
        assertEquals(1000, r.json().get("responses").size());
        r.json().get("responses").forEach(t -> assertEquals(201, t.get(1).asInt()));
        assertEquals(999.0, awaitTotal(999.0));
    }

    @Test
    void longStringsControlCharactersAndSurrogatesAreRefusedPerItem() {
        assertItemRefused(
                with("entity", "\"" + "/a".repeat(50 * 1024) + "\""), "entity is longer than 2048 characters");
        assertItemRefused(
                with("project", "\"" + "p".repeat(100 * 1024) + "\""), "project is longer than 512 characters");
        assertItemRefused(with("entity", "\"/a\\u0000b\""), "entity contains a control character");
        assertItemRefused(with("branch", "\"main\\u001b[31m\""), "branch contains a control character");
        assertItemRefused(with("entity", "\"/a\\ud800b\""), "entity contains an invalid character (lone surrogate)");
        assertItemRefused(with("language", "\"\\udc00\""), "language contains an invalid character (lone surrogate)");
        // A surrogate pair is a real character (an emoji in a file name) and is fine.
        ApiClient.Response ok = api.post(BULK, auth, "[" + with("entity", "\"/notes/\\ud83d\\ude00.md\"") + "]");
        assertEquals(201, ok.json().get("responses").get(0).get(1).asInt(), ok.body());
        // A string over the parser's 256 KB limit refuses the whole body.
        // The length Jackson reports is where it noticed, which depends on the size of the handler thread's
        // recycled parse buffer; only the limit is certain.
        ApiClient.Response longString =
                api.post(BULK, auth, "[" + with("entity", "\"" + "a".repeat(300 * 1024) + "\"") + "]");
        assertEquals(400, longString.status(), longString.body());
        assertTrue(
                longString
                        .json()
                        .get("error")
                        .asText()
                        .matches(
                                "request body is not acceptable JSON: String value length "
                                        + "\\(\\d+\\) exceeds the maximum allowed \\(262144, from `StreamReadConstraints.getMaxStringLength\\(\\)`\\)"),
                longString.body());
        assertEquals(60.0, awaitTotal(60.0));
    }

    @Test
    void deeplyNestedJsonIsRefusedBeforeItCostsAnything() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertError(
                api.post(BULK, auth, deep),
                400,
                "request body is not acceptable JSON: Document nesting depth (33) exceeds the maximum allowed (32, from `StreamReadConstraints.getMaxNestingDepth()`)");
        String deepObject = "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
        assertError(
                api.post(BULK, auth, deepObject),
                400,
                "request body is not acceptable JSON: Document nesting depth (33) exceeds the maximum allowed (32, from `StreamReadConstraints.getMaxNestingDepth()`)");
        // Moderate nesting in an unknown field is ignored and the heartbeat kept.
        ApiClient.Response r = api.post(BULK, auth, "[" + with("extra", "[".repeat(20) + "]".repeat(20)) + "]");
        assertEquals(201, r.json().get("responses").get(0).get(1).asInt(), r.body());
    }
}
