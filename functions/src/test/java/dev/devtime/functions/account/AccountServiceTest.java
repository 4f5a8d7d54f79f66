package dev.devtime.functions.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.testing.DynamoDbLocalExtension;
import dev.devtime.functions.testing.HttpEvents;
import dev.devtime.functions.testing.MutableClock;
import dev.devtime.functions.testing.RecordingSqs;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.rollup.DayRollup;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The account function's routes against DynamoDB Local, through its Lambda handler. */
class AccountServiceTest {

    @RegisterExtension
    final DynamoDbLocalExtension dynamo = new DynamoDbLocalExtension();

    static final ObjectMapper JSON = new ObjectMapper();
    static final String USER = "alice";
    static final LocalDate PAST = LocalDate.of(2026, 3, 10);

    MutableClock clock;
    RecordingSqs sqs;
    Wiring wiring;
    AccountHandler handler;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-06-15T12:00:00Z"));
        sqs = new RecordingSqs();
        wiring = dynamo.wiring(clock, sqs);
        handler = new AccountHandler(wiring);
    }

    APIGatewayV2HTTPResponse call(HttpEvents request) {
        return handler.handleRequest(request.build(), null);
    }

    static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
        return JSON.readTree(r.getBody());
    }

    JsonNode createKey(String label) throws Exception {
        APIGatewayV2HTTPResponse r = call(
                HttpEvents.request("POST", "/api/auth/token").signedIn(USER).body("{\"label\":\"" + label + "\"}"));
        assertEquals(201, r.getStatusCode(), r.getBody());
        return json(r);
    }

    @Test
    void meNamesTheSignedInUserAndAnApiKeyIsRefused() throws Exception {
        APIGatewayV2HTTPResponse me = call(HttpEvents.request("GET", "/api/me").signedIn(USER));
        assertEquals(200, me.getStatusCode());
        assertEquals(USER, json(me).get("user_id").asText());

        String key = createKey("laptop").get("key").asText();
        APIGatewayV2HTTPResponse viaKey =
                call(HttpEvents.request("GET", "/api/me").apiKey(key));
        assertEquals(403, viaKey.getStatusCode());
        assertTrue(json(viaKey).get("error").asText().contains("dashboard sign-in"));
        assertEquals(401, call(HttpEvents.request("GET", "/api/me")).getStatusCode());
    }

    @Test
    void aKeyIsShownOnceListedWithoutItRelabelledAndRevoked() throws Exception {
        JsonNode created = createKey("laptop");
        String key = created.get("key").asText();
        assertTrue(ApiKeys.isValid(key), key);
        assertEquals("laptop", created.get("label").asText());
        assertFalse(created.get("read_only").asBoolean());
        assertTrue(created.get("last_used_at").isNull());
        String id = created.get("id").asText();
        // The key authenticates a plugin at once, as its user.
        assertEquals(
                USER,
                wiring.auth
                        .authenticate(new dev.devtime.functions.http.HttpRequest(HttpEvents.request("GET", "/api/stats")
                                .apiKey(key)
                                .build()))
                        .userId());

        JsonNode listed = json(call(HttpEvents.request("GET", "/api/keys").signedIn(USER)));
        assertEquals(1, listed.get("keys").size());
        assertEquals(id, listed.get("keys").get(0).get("id").asText());
        assertFalse(listed.get("keys").get(0).has("key"), "the secret is never listed");
        assertFalse(listed.get("keys").get(0).has("hash"));

        APIGatewayV2HTTPResponse relabelled = call(HttpEvents.request("PATCH", "/api/keys/{id}")
                .path("id", id)
                .signedIn(USER)
                .body("{\"label\":\"desktop\"}"));
        assertEquals(200, relabelled.getStatusCode(), relabelled.getBody());
        assertEquals("desktop", json(relabelled).get("label").asText());

        // Another user can neither rename nor revoke it.
        assertEquals(
                404,
                call(HttpEvents.request("DELETE", "/api/keys/{id}")
                                .path("id", id)
                                .signedIn("mallory"))
                        .getStatusCode());
        assertEquals(
                204,
                call(HttpEvents.request("DELETE", "/api/keys/{id}")
                                .path("id", id)
                                .signedIn(USER))
                        .getStatusCode());
        assertEquals(
                404,
                call(HttpEvents.request("DELETE", "/api/keys/{id}")
                                .path("id", id)
                                .signedIn(USER))
                        .getStatusCode());
        assertEquals(
                0,
                json(call(HttpEvents.request("GET", "/api/keys").signedIn(USER)))
                        .get("keys")
                        .size());
        assertEquals(401, call(HttpEvents.request("GET", "/api/me").apiKey(key)).getStatusCode());
    }

    @Test
    void aUserHasAtMostTwentyKeys() throws Exception {
        for (int i = 0; i < AccountService.MAX_KEYS; i++) {
            createKey("k" + i);
        }
        APIGatewayV2HTTPResponse refused = call(
                HttpEvents.request("POST", "/api/auth/token").signedIn(USER).body("{\"label\":\"one more\"}"));
        assertEquals(409, refused.getStatusCode());
        assertTrue(json(refused).get("error").asText().contains("revoke one first"));
        assertEquals(
                AccountService.MAX_KEYS,
                json(call(HttpEvents.request("GET", "/api/keys").signedIn(USER)))
                        .get("keys")
                        .size());
        // Another user's keys are counted on their own.
        assertEquals(
                201,
                call(HttpEvents.request("POST", "/api/auth/token").signedIn("bob"))
                        .getStatusCode());
    }

    @Test
    void badLabelsAndSettingsAreRefusedWithAMessage() throws Exception {
        for (String body : List.of("{\"label\":7}", "{\"label\":\"   \"}", "[1]", "{\"read_only\":\"yes\"}", "{")) {
            APIGatewayV2HTTPResponse r = call(
                    HttpEvents.request("POST", "/api/auth/token").signedIn(USER).body(body));
            assertEquals(400, r.getStatusCode(), body);
            assertTrue(json(r).get("error").asText().length() > 5, body);
        }
        for (String body : List.of(
                "{\"timezone\":\"Mars/Olympus\"}",
                "{\"timeout_minutes\":0}",
                "{\"retention_days\":4294967297}",
                "{\"excluded_projects\":\"api\"}",
                "{\"public\":1}",
                "[]")) {
            APIGatewayV2HTTPResponse r = call(
                    HttpEvents.request("PUT", "/api/settings").signedIn(USER).body(body));
            assertEquals(400, r.getStatusCode(), body);
            assertTrue(json(r).get("error").asText().length() > 5, body);
        }
        assertEquals(
                json(call(HttpEvents.request("GET", "/api/settings").signedIn("fresh"))),
                json(call(HttpEvents.request("GET", "/api/settings").signedIn(USER))),
                "nothing was stored");
        assertTrue(sqs.drain().isEmpty());
    }

    @Test
    void aNewTimeZoneRecomputesEveryStoredDayThroughTheQueue() throws Exception {
        // 23:30 to 23:50 UTC: the evening of PAST in UTC, the morning after in Tokyo.
        long start = Instant.parse(PAST + "T23:30:00Z").toEpochMilli();
        wiring.aggregator().apply(USER, List.of(hb(start), hb(start + 600_000), hb(start + 1_200_000)));
        assertEquals(1_200_000, total(PAST));

        APIGatewayV2HTTPResponse r = call(HttpEvents.request("PUT", "/api/settings")
                .signedIn(USER)
                .body("{\"timezone\":\"Asia/Tokyo\",\"hide_file_names\":true}"));
        assertEquals(200, r.getStatusCode(), r.getBody());
        JsonNode settings = json(r);
        assertEquals("Asia/Tokyo", settings.get("timezone").asText());
        assertTrue(settings.get("hide_file_names").asBoolean());
        assertTrue(settings.get("recomputing_days").asInt() >= 2, r.getBody());

        assertTrue(sqs.deliverTo(wiring.batchProcessor()) > 0);
        assertEquals(0, total(PAST));
        assertEquals(1_200_000, total(PAST.plusDays(1)));
        assertEquals(
                "Asia/Tokyo",
                json(call(HttpEvents.request("GET", "/api/settings").signedIn(USER)))
                        .get("timezone")
                        .asText());

        // Settings that change no time accounting queue nothing.
        call(HttpEvents.request("PUT", "/api/settings")
                .signedIn(USER)
                .body("{\"excluded_projects\":[\"x\"],\"public\":true}"));
        assertTrue(sqs.drain().isEmpty());
        JsonNode after = json(call(HttpEvents.request("GET", "/api/settings").signedIn(USER)));
        assertEquals("x", after.get("excluded_projects").get(0).asText());
        assertTrue(after.get("public").asBoolean());
    }

    @Test
    void deletingTheAccountRevokesItsKeysAndTheQueueDeletesItsDataOnly() throws Exception {
        String key = createKey("laptop").get("key").asText();
        long start = Instant.parse(PAST + "T10:00:00Z").toEpochMilli();
        wiring.aggregator().apply(USER, List.of(hb(start), hb(start + 300_000)));
        wiring.aggregator().apply("bob", List.of(hb(start), hb(start + 300_000)));

        APIGatewayV2HTTPResponse r =
                call(HttpEvents.request("DELETE", "/api/account").signedIn(USER));
        assertEquals(202, r.getStatusCode());
        assertEquals("deleting", json(r).get("status").asText());
        assertEquals(401, call(HttpEvents.request("GET", "/api/me").apiKey(key)).getStatusCode());

        assertTrue(sqs.deliverTo(wiring.batchProcessor()) >= 1);
        assertTrue(wiring.data.sortKeys(USER, "B#").isEmpty());
        assertTrue(wiring.data.storedDays(USER).isEmpty());
        assertEquals(300_000, wiring.days.query("bob", PAST, PAST).get(0).totalMs());

        // A heartbeat queued before the deletion does not bring the account back.
        wiring.queue.send(USER, List.of(hb(start)), start);
        sqs.deliverTo(wiring.batchProcessor());
        assertTrue(wiring.data.sortKeys(USER, "B#").isEmpty());
    }

    static Heartbeat hb(long timeMs) {
        return Heartbeat.builder(timeMs)
                .tool("vscode")
                .project("api")
                .entity("/api/a.ts")
                .language("TypeScript")
                .build();
    }

    long total(LocalDate day) {
        return wiring.rollups().query(USER, day, day).stream()
                .mapToLong(DayRollup::totalMs)
                .sum();
    }
}
