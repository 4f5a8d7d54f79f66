package dev.devtime.functions.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.testing.DynamoDbLocalExtension;
import dev.devtime.functions.testing.HttpEvents;
import dev.devtime.functions.testing.MutableClock;
import dev.devtime.functions.testing.RecordingSqs;
import dev.devtime.model.Heartbeat;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Export pages against DynamoDB Local, and an export imported into another account giving the same data. */
class ExportServiceTest {

    @RegisterExtension
    final DynamoDbLocalExtension dynamo = new DynamoDbLocalExtension();

    static final ObjectMapper JSON = new ObjectMapper();
    static final LocalDate FIRST = LocalDate.of(2026, 3, 10);

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

    /** Three days of work, a heartbeat every two minutes from 09:00 to 11:00, some of it an AI tool's. */
    void seed(String user) {
        List<Heartbeat> hs = new ArrayList<>();
        for (int d = 0; d < 3; d++) {
            long start = Instant.parse(FIRST.plusDays(d) + "T09:00:00Z").toEpochMilli();
            for (int i = 0; i <= 60; i++) {
                Heartbeat.Builder b = Heartbeat.builder(start + i * 120_000L)
                        .tool("vscode")
                        .editor("VS Code")
                        .project(i % 2 == 0 ? "api" : "web")
                        .entity("/src/f" + i + ".ts")
                        .language("TypeScript")
                        .branch("main")
                        .isWrite(i % 3 == 0)
                        .lines(100 + i)
                        .machine("box");
                if (i % 10 == 0) {
                    b.tool("claude-code")
                            .editor("Claude Code")
                            .category("ai coding")
                            .sessionId("s" + d)
                            .model("claude-sonnet-4-5")
                            .tokensIn(1000 + i)
                            .tokensOut(50)
                            .prompts(1)
                            .aiLineChanges(3);
                }
                hs.add(b.build());
            }
        }
        wiring.aggregator().apply(user, hs);
    }

    /** Every page of the user's JSON export, at a page size small enough to need several. */
    List<JsonNode> pages(String user) throws Exception {
        ExportService small = new ExportService(wiring.data, 6_000);
        List<JsonNode> pages = new ArrayList<>();
        String cursor = null;
        do {
            HttpEvents e = HttpEvents.request("GET", "/api/export").signedIn(user);
            if (cursor != null) {
                e.query("cursor", cursor);
            }
            APIGatewayV2HTTPResponse r = small.export(new HttpRequest(e.build()), user);
            assertEquals(200, r.getStatusCode(), r.getBody());
            JsonNode page = JSON.readTree(r.getBody());
            pages.add(page);
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        return pages;
    }

    static ArrayNode all(List<JsonNode> pages, String field) {
        ArrayNode out = JSON.createArrayNode();
        pages.forEach(p -> out.addAll((ArrayNode) p.get(field)));
        return out;
    }

    /** Equal lists, or the first item that differs (the whole lists are too long to read in a report). */
    static void assertSameItems(ArrayNode expected, ArrayNode actual) {
        assertEquals(expected.size(), actual.size(), "items");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "item " + i);
        }
    }

    @Test
    void anExportInPagesHoldsEveryHeartbeatAndDayOnce() throws Exception {
        seed("alice");
        List<JsonNode> pages = pages("alice");
        assertTrue(pages.size() > 3, "paged: " + pages.size());
        ArrayNode heartbeats = all(pages, "heartbeats");
        assertEquals(3 * 61, heartbeats.size());
        assertEquals(3 * 61, new java.util.HashSet<>(heartbeats.findValuesAsText("id")).size());
        ArrayNode days = all(pages, "days");
        assertEquals(3, days.size());
        JsonNode ai = heartbeats.get(0);
        assertEquals("claude-code", ai.get("tool").asText());
        assertEquals(1000, ai.get("ai_input_tokens").asLong());
        assertEquals("box", ai.get("machine").asText());
    }

    @Test
    void anExportImportedIntoAnotherAccountGivesTheSameHeartbeatsAndDays() throws Exception {
        seed("alice");
        List<JsonNode> exported = pages("alice");
        for (JsonNode page : exported) {
            APIGatewayV2HTTPResponse r = handler.handleRequest(
                    HttpEvents.request("POST", "/api/import")
                            .signedIn("bob")
                            .body(page.toString())
                            .build(),
                    null);
            // A page of days only imports nothing and is no error: the days are recomputed from the heartbeats.
            assertEquals(202, r.getStatusCode(), r.getBody());
            assertEquals(
                    page.get("heartbeats").size(),
                    JSON.readTree(r.getBody()).get("accepted").asInt());
        }
        sqs.deliverTo(wiring.batchProcessor());
        List<JsonNode> again = pages("bob");
        assertSameItems(all(exported, "heartbeats"), all(again, "heartbeats"));
        assertSameItems(all(exported, "days"), all(again, "days"));

        // Importing the same export again changes nothing.
        APIGatewayV2HTTPResponse r = handler.handleRequest(
                HttpEvents.request("POST", "/api/import")
                        .signedIn("bob")
                        .body(exported.get(0).toString())
                        .build(),
                null);
        assertEquals(202, r.getStatusCode());
        sqs.deliverTo(wiring.batchProcessor());
        assertSameItems(all(exported, "heartbeats"), all(pages("bob"), "heartbeats"));
    }

    @Test
    void csvTablesAndBadParametersThroughTheAccountFunction() throws Exception {
        seed("alice");
        APIGatewayV2HTTPResponse csv = handler.handleRequest(
                HttpEvents.request("GET", "/api/export")
                        .signedIn("alice")
                        .query("format", "csv")
                        .query("table", "days")
                        .build(),
                null);
        assertEquals(200, csv.getStatusCode(), csv.getBody());
        String[] lines = csv.getBody().split("\r?\n");
        assertTrue(lines[0].startsWith("date"), lines[0]);
        assertEquals(4, lines.length, csv.getBody());

        for (String[] q :
                List.of(new String[] {"format", "xml"}, new String[] {"cursor", "bm90LWEtY3Vyc29y"}, new String[] {
                    "table", "secrets"
                })) {
            HttpEvents e =
                    HttpEvents.request("GET", "/api/export").signedIn("alice").query(q[0], q[1]);
            if (q[0].equals("table")) {
                e.query("format", "csv");
            }
            APIGatewayV2HTTPResponse r = handler.handleRequest(e.build(), null);
            assertEquals(400, r.getStatusCode(), String.join("=", q));
            assertTrue(JSON.readTree(r.getBody()).get("error").asText().length() > 5);
        }
        // Nothing of alice's in another user's export.
        assertEquals(0, all(pages("mallory"), "heartbeats").size());
    }
}
