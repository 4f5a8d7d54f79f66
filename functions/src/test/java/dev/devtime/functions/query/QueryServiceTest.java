package dev.devtime.functions.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.store.KeyStore;
import dev.devtime.functions.testing.DynamoDbLocalExtension;
import dev.devtime.functions.testing.HttpEvents;
import dev.devtime.functions.testing.MutableClock;
import dev.devtime.model.Heartbeat;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The native read routes against DynamoDB Local, through the query function's Lambda handler. */
class QueryServiceTest {

    @RegisterExtension
    final DynamoDbLocalExtension dynamo = new DynamoDbLocalExtension();

    static final ObjectMapper JSON = new ObjectMapper();
    static final String USER = "carol";
    static final LocalDate TODAY = LocalDate.of(2026, 6, 15);

    MutableClock clock;
    Wiring wiring;
    QueryHandler handler;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse(TODAY + "T18:00:00Z"));
        wiring = dynamo.wiring(clock, null);
        handler = new QueryHandler(wiring);
    }

    JsonNode get(HttpEvents request, int status) throws Exception {
        APIGatewayV2HTTPResponse r = handler.handleRequest(request.build(), null);
        assertEquals(status, r.getStatusCode(), r.getBody());
        return JSON.readTree(r.getBody());
    }

    /** {@code sessions} sessions of {@code minutes} each on the day, an hour apart, a heartbeat a minute. */
    void work(LocalDate day, String project, int sessions, int minutes) {
        List<Heartbeat> hs = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            long start = Instant.parse(day + "T08:00:00Z").toEpochMilli() + s * 3_600_000L;
            for (int i = 0; i <= minutes; i++) {
                hs.add(Heartbeat.builder(start + i * 60_000L)
                        .tool("vscode")
                        .project(project)
                        .entity("/" + project + "/f.go")
                        .language("Go")
                        .build());
            }
        }
        wiring.aggregator().apply(USER, hs);
    }

    @Test
    void healthNeedsNoCredentialsAndStatsDo() throws Exception {
        assertTrue(get(HttpEvents.request("GET", "/api/health"), 200).get("ok").asBoolean());
        APIGatewayV2HTTPResponse r =
                handler.handleRequest(HttpEvents.request("GET", "/api/stats").build(), null);
        assertEquals(401, r.getStatusCode());
        assertNotNull(r.getHeaders().get("WWW-Authenticate"));
        assertTrue(JSON.readTree(r.getBody()).get("error").asText().contains("API key"));
    }

    @Test
    void statsSumTodayAndThePastInTheUsersRangeAndFilter() throws Exception {
        work(TODAY, "api", 1, 30);
        work(TODAY.minusDays(3), "web", 2, 10);
        work(TODAY.minusDays(20), "web", 1, 45);

        JsonNode week =
                get(HttpEvents.request("GET", "/api/stats").signedIn(USER).query("range", "week"), 200);
        assertEquals(
                TODAY.minusDays(6).toString(), week.get("range").get("start").asText());
        assertEquals("UTC", week.get("range").get("timezone").asText());
        assertEquals(50 * 60.0, week.get("total_seconds").asDouble());
        assertEquals(30 * 60.0, week.get("by_project").get("api").asDouble());
        assertEquals(20 * 60.0, week.get("by_project").get("web").asDouble());
        assertEquals(7, week.get("by_day").size());

        JsonNode month = get(
                HttpEvents.request("GET", "/api/stats")
                        .signedIn(USER)
                        .query("range", "month")
                        .query("project", "web"),
                200);
        assertEquals(65 * 60.0, month.get("total_seconds").asDouble());
        assertEquals(1, month.get("by_project").size());

        JsonNode all =
                get(HttpEvents.request("GET", "/api/stats").signedIn(USER).query("range", "all"), 200);
        assertEquals(
                TODAY.minusDays(20).toString(), all.get("range").get("start").asText());

        // An API key reads the same stats as the dashboard.
        String key = ApiKeys.generate();
        wiring.keys.create(
                new KeyStore.ApiKey(ApiKeys.newId(), USER, ApiKeys.hash(key), "cli", true, clock.millis(), 0), 0, 20);
        assertEquals(
                week, get(HttpEvents.request("GET", "/api/stats").apiKey(key).query("range", "week"), 200));
        assertEquals(
                0.0,
                get(HttpEvents.request("GET", "/api/stats").signedIn("nobody"), 200)
                        .get("total_seconds")
                        .asDouble());
    }

    @Test
    void sessionsOfADayAndOfARangeInTimeOrder() throws Exception {
        work(TODAY.minusDays(1), "api", 3, 10);
        work(TODAY, "web", 2, 5);
        JsonNode day = get(
                HttpEvents.request("GET", "/api/sessions")
                        .signedIn(USER)
                        .query("date", TODAY.minusDays(1).toString()),
                200);
        assertEquals(3, day.get("sessions").size());
        JsonNode first = day.get("sessions").get(0);
        assertEquals("api", first.get("project").asText());
        assertEquals(600.0, first.get("duration").asDouble());
        assertEquals(11, first.get("heartbeat_count").asInt());
        assertTrue(day.get("next_cursor").isNull());

        JsonNode week =
                get(HttpEvents.request("GET", "/api/sessions").signedIn(USER).query("range", "week"), 200);
        assertEquals(5, week.get("sessions").size());
        long previous = 0;
        for (JsonNode s : week.get("sessions")) {
            assertTrue(s.get("start_time").asLong() >= previous);
            previous = s.get("start_time").asLong();
        }
        assertEquals(
                2,
                get(HttpEvents.request("GET", "/api/sessions").signedIn(USER), 200)
                        .get("sessions")
                        .size(),
                "today by default");
    }

    @Test
    void badRangesAreRefusedWithAMessage() throws Exception {
        for (String[] q : List.of(
                new String[] {"range", "fortnight"}, new String[] {"start", "2026-13-01"}, new String[] {"cursor", "%%%"
                })) {
            APIGatewayV2HTTPResponse r = handler.handleRequest(
                    HttpEvents.request("GET", "/api/sessions")
                            .signedIn(USER)
                            .query(q[0], q[1])
                            .build(),
                    null);
            assertEquals(400, r.getStatusCode(), String.join("=", q));
            assertTrue(JSON.readTree(r.getBody()).get("error").asText().length() > 5);
        }
        JsonNode r = get(
                HttpEvents.request("GET", "/api/stats")
                        .signedIn(USER)
                        .query("start", "2026-06-10")
                        .query("end", "2026-06-01"),
                400);
        assertEquals("end is before start", r.get("error").asText());
    }
}
