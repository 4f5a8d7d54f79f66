package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.Wiring;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Export and import through the real gateway, handlers, queue and aggregator: an export imported into a
 * fresh account gives the same stats, a repeated import writes nothing, a wakatime.com dump gives the
 * totals worked out by hand, and nobody's token reaches anybody else's data.
 */
class ExportImportTest {

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(o -> o.withBatching(50, Duration.ofMillis(100), 2)
            // Rate limiting is RateLimitTest's subject; here it would only slow the set-up down.
            .withConfig(Wiring.Config.defaults().withRateLimit(0, 0)));

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static SignedInUser newUser() {
        return SignedInUser.create(STACK.deployment(), STACK.api(), "u-");
    }

    /** One page of an export: the body and the cursor header (CSV carries its cursor there). */
    record Page(int status, String body, String nextHeader) {}

    static Page exportPage(SignedInUser u, String query) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(STACK.deployment().baseUrl() + "/api/export?" + query))
                        .header("Authorization", u.bearer())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Page(
                r.statusCode(),
                r.body(),
                r.headers().firstValue("X-Next-Cursor").orElse(null));
    }

    /** Follows the cursor as the dashboard and the documented curl loop do. */
    static List<JsonNode> exportJson(SignedInUser u) throws Exception {
        List<JsonNode> pages = new ArrayList<>();
        String cursor = null;
        do {
            Page p = exportPage(
                    u,
                    "format=json"
                            + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertEquals(200, p.status(), p.body());
            assertTrue(p.body().length() < 4_000_000, "a page is " + p.body().length() + " bytes");
            JsonNode page = ApiClient.JSON.readTree(p.body());
            pages.add(page);
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            assertTrue(pages.size() < 50, "the cursor does not end");
        } while (cursor != null);
        return pages;
    }

    static List<String> exportCsv(SignedInUser u, String table) throws Exception {
        List<String> pages = new ArrayList<>();
        String cursor = null;
        do {
            Page p = exportPage(u, "format=csv&table=" + table + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, p.status(), p.body());
            pages.add(p.body());
            cursor = p.nextHeader();
        } while (cursor != null);
        return pages;
    }

    static ApiClient.Response importBody(SignedInUser u, String body) {
        return STACK.api().request("POST", "/api/import", u.bearer(), body);
    }

    /** Until the queue holds nothing, in flight or waiting: every accepted heartbeat is aggregated. */
    static void awaitQuiet() {
        STACK.deployment().awaitDrained(Duration.ofSeconds(120));
    }

    /** The version of every raw bucket of the user: a write of any of them raises its version. */
    static Map<String, String> bucketVersions(String userId) {
        Map<String, String> out = new TreeMap<>();
        STACK.deployment()
                .dynamo
                .queryPaginator(q -> q.tableName(LocalDeployment.TABLE)
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :b)")
                        .expressionAttributeValues(
                                Map.of(":pk", AttributeValue.fromS("U#" + userId), ":b", AttributeValue.fromS("B#"))))
                .items()
                .forEach(i -> out.put(i.get("sk").s(), i.get("v").n()));
        return out;
    }

    static final String CLAUDE_UA =
            "devtime/0.1.0 (linux-x64) node/20.20.2 claude-code/2.0.1 devtime-claude-code/0.1.0";

    /**
     * A history big enough to need more than one export page (about 9,000 heartbeats over 45 days, older
     * than ingest's one-year limit for a third of it), sent the way a client would: editor heartbeats
     * through the WakaTime bulk route, AI usage through the native batch route, old history by import.
     */
    static int seed(SignedInUser u) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // Live: three days of VS Code and Claude Code, 25 per bulk request as wakatime-cli sends them. From
        // the day before yesterday back: yesterday is still open (not stored as a day) until 00:30 UTC.
        int sent = 0;
        for (int d = 2; d <= 4; d++) {
            long nine =
                    today.minusDays(d).atTime(9, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                items.add(ApiClient.waka(
                        nine + i * 90_000L,
                        i % 3 == 0 ? "web" : "api",
                        i % 2 == 0 ? "Java" : "TypeScript",
                        "/src/" + (i % 7) + ".java"));
            }
            for (int i = 0; i < items.size(); i += 25) {
                ApiClient.Response r = STACK.api()
                        .post(
                                "/api/v1/users/current/heartbeats.bulk",
                                u.keyAuth(),
                                "[" + String.join(",", items.subList(i, i + 25)) + "]");
                assertEquals(202, r.status(), r.body());
            }
            sent += items.size();
            // Claude Code: prompts and tokens, no file (entity-less native heartbeats), as its hooks send them.
            ArrayNode batch = ApiClient.JSON.createArrayNode();
            for (int i = 0; i < 20; i++) {
                batch.addObject()
                        .put("tool", "claude-code")
                        .put("timestamp", nine + 3_600_000L * 4 + i * 120_000L)
                        .put("activity_type", i % 4 == 0 ? "prompting" : "coding")
                        .put("project", "api")
                        .put("session_id", "sess-" + d)
                        .put("model", "claude-sonnet-4-5")
                        .put("tokens_in", 1000 + i)
                        .put("tokens_out", 200 + i)
                        .put("prompts", i % 4 == 0 ? 1 : 0)
                        .put("machine_id", "laptop");
            }
            HttpResponse<String> r = postWithUa(
                    u.keyAuth(),
                    "/api/heartbeat/batch",
                    ApiClient.JSON.createObjectNode().set("heartbeats", batch).toString(),
                    CLAUDE_UA);
            assertEquals(202, r.statusCode(), r.body());
            sent += batch.size();
        }
        // History: 45 days from two years back, imported as a bare array of WakaTime heartbeats.
        ArrayNode history = ApiClient.JSON.createArrayNode();
        LocalDate first = today.minusYears(2);
        for (int d = 0; d < 45; d++) {
            long start =
                    first.plusDays(d).atTime(8, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
            for (int i = 0; i < 190; i++) {
                history.addObject()
                        .put("entity", "/repo/" + (d % 5) + "/file" + (i % 11) + ".go")
                        .put("type", "file")
                        .put("category", i % 10 == 0 ? "debugging" : "coding")
                        .put("time", (start + i * 100_000L + (i % 3) * 7) / 1000.0)
                        .put("project", "repo" + (d % 5))
                        .put("language", "Go")
                        .put("branch", "feature/" + (d % 3))
                        .put("is_write", i % 5 == 0)
                        .put("lines", 300 + i)
                        .put("lineno", i)
                        .put("cursorpos", i * 3)
                        .put("user_agent", ApiClient.VSCODE_UA)
                        .put("machine", "desktop");
            }
        }
        ApiClient.Response r = importBody(u, history.toString());
        assertEquals(202, r.status(), r.body());
        assertEquals(history.size(), r.json().get("accepted").asInt());
        return sent + history.size();
    }

    static HttpResponse<String> postWithUa(String auth, String path, String body, String ua) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(STACK.deployment().baseUrl() + path))
                            .header("Authorization", auth)
                            .header("Content-Type", "application/json")
                            .header("User-Agent", ua)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anExportImportedIntoAFreshUserGivesIdenticalStatsAndASecondImportWritesNothing() throws Exception {
        SignedInUser a = newUser();
        int sent = seed(a);
        awaitQuiet();

        List<JsonNode> pages = exportJson(a);
        assertTrue(pages.size() >= 2, "9,000 heartbeats need more than one page, got " + pages.size());
        Set<String> ids = new HashSet<>();
        int days = 0;
        for (JsonNode p : pages) {
            p.get("heartbeats").forEach(h -> assertTrue(ids.add(h.get("id").asText()), "sent twice: " + h));
            days += p.get("days").size();
        }
        assertEquals(sent, ids.size(), "every heartbeat sent is exported once");
        assertEquals(45 + 3, days);

        SignedInUser b = newUser();
        int accepted = 0;
        for (JsonNode p : pages) {
            ApiClient.Response r = importBody(b, p.toString());
            assertEquals(202, r.status(), r.body());
            assertEquals(0, r.json().get("refused").asInt(), r.body());
            accepted += r.json().get("accepted").asInt();
        }
        assertEquals(sent, accepted);
        awaitQuiet();

        JsonNode statsA = STACK.api().get("/api/stats?range=all", a.bearer()).json();
        JsonNode statsB = STACK.api().get("/api/stats?range=all", b.bearer()).json();
        assertTrue(statsA.get("total_seconds").asDouble() > 0);
        assertTrue(statsA.get("ai").get("tokens_in").asLong() > 0);
        assertEquals(statsA, statsB);
        assertEquals(
                STACK.api().get("/api/sessions?range=all", a.bearer()).json(),
                STACK.api().get("/api/sessions?range=all", b.bearer()).json());
        // The export of the copy is the export of the original, heartbeat for heartbeat.
        assertEquals(heartbeatsOf(pages), heartbeatsOf(exportJson(b)));

        // Again: the identities are all stored, so no bucket is written and nothing changes.
        Map<String, String> versions = bucketVersions(b.id());
        for (JsonNode p : pages) {
            assertEquals(202, importBody(b, p.toString()).status());
        }
        awaitQuiet();
        assertEquals(versions, bucketVersions(b.id()));
        assertEquals(statsA, STACK.api().get("/api/stats?range=all", b.bearer()).json());

        // CSV: a header on the first page only, one row per heartbeat, session or day.
        List<String> csv = exportCsv(a, "heartbeats");
        assertTrue(csv.get(0).startsWith("id,time,entity,type,category,project,"));
        int rows = 0;
        for (int i = 0; i < csv.size(); i++) {
            assertEquals(i == 0, csv.get(i).startsWith("id,time,"), "header only on the first page");
            rows += csv.get(i).split("\r\n").length;
        }
        assertEquals(sent + 1, rows);
        int sessions = 0;
        for (JsonNode p : pages) {
            for (JsonNode d : p.get("days")) {
                sessions += d.get("sessions").size();
            }
        }
        assertEquals(sessions + 1, String.join("", exportCsv(a, "sessions")).split("\r\n").length);
        assertEquals(45 + 3 + 1, String.join("", exportCsv(a, "days")).split("\r\n").length);
    }

    static List<JsonNode> heartbeatsOf(List<JsonNode> pages) {
        List<JsonNode> out = new ArrayList<>();
        pages.forEach(p -> p.get("heartbeats").forEach(out::add));
        return out;
    }

    @Test
    void aWakaTimeDumpImportsToTheTotalsWorkedOutByHand() throws Exception {
        String dump;
        try (InputStream in = getClass().getResourceAsStream("/export/wakatime-dump.json")) {
            dump = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        SignedInUser u = newUser();
        ApiClient.Response r = importBody(u, dump);
        assertEquals(202, r.status(), r.body());
        // Ten heartbeats: one has no entity (refused, index 5); the resent 09:05 one is accepted and counted once.
        assertEquals(9, r.json().get("accepted").asInt(), r.body());
        assertEquals(1, r.json().get("refused").asInt());
        assertEquals(5, r.json().get("errors").get(0).get("index").asInt());
        assertTrue(r.json().get("errors").get(0).get("error").asText().contains("entity"), r.body());
        awaitQuiet();

        JsonNode s = STACK.api()
                .get("/api/stats?start=2016-03-01&end=2016-03-02", u.bearer())
                .json();
        // Timeout 15 min, UTC. 2016-03-01: app.py 09:00 -> 09:05 (300 s coding, STACK.api(), Python); app.py 09:05 ->
        // db.py 09:12:30 (450 s; credited to the earlier heartbeat: coding, STACK.api(), Python); db.py (debugging) ->
        // index.ts 09:20 (450 s debugging, STACK.api(), Python); index.ts 09:20 -> 09:50 is 30 min, over the timeout:
        // nothing; index.ts 09:50 -> style.css 09:53 (180 s coding, web, TypeScript); style.css is last: 0.
        // 2016-03-02: main.go 10:00 -> 10:10 (600 s coding, STACK.api(), Go).
        assertEquals(300 + 450 + 450 + 180 + 600, s.get("total_seconds").asDouble(), 0.001);
        assertEquals(300 + 450 + 450 + 600, s.get("by_project").get("api").asDouble(), 0.001);
        assertEquals(180, s.get("by_project").get("web").asDouble(), 0.001);
        assertEquals(300 + 450 + 450, s.get("by_language").get("Python").asDouble(), 0.001);
        assertEquals(180, s.get("by_language").get("TypeScript").asDouble(), 0.001);
        assertEquals(600, s.get("by_language").get("Go").asDouble(), 0.001);
        assertEquals(450, s.get("by_category").get("debugging").asDouble(), 0.001);
        assertEquals(300 + 450 + 180 + 600, s.get("by_category").get("coding").asDouble(), 0.001);
        // A dump names its machine by id; that id is the machine.
        assertEquals(
                300 + 450 + 450 + 180 + 600,
                s.get("by_machine").get("4f2a0b7c-1111-4a2b-9c3d-5e6f7a8b9c0d").asDouble(),
                0.001);
        assertEquals(
                300 + 450 + 450 + 180, s.get("by_day").get(0).get("seconds").asDouble(), 0.001);
        assertEquals(600, s.get("by_day").get(1).get("seconds").asDouble(), 0.001);

        // The same file split by days, as a client sends a large dump, and sent again: nothing changes.
        Map<String, String> versions = bucketVersions(u.id());
        ObjectNode whole = (ObjectNode) ApiClient.JSON.readTree(dump);
        for (JsonNode day : whole.get("days")) {
            ObjectNode part = ApiClient.JSON.createObjectNode();
            part.putArray("days").add(day);
            assertEquals(202, importBody(u, part.toString()).status());
        }
        awaitQuiet();
        assertEquals(versions, bucketVersions(u.id()));
        assertEquals(
                s,
                STACK.api()
                        .get("/api/stats?start=2016-03-01&end=2016-03-02", u.bearer())
                        .json());
    }

    @Test
    void nobodysTokenExportsOrImportsSomebodyElsesData() throws Exception {
        SignedInUser a = newUser();
        SignedInUser b = newUser();
        long noon = LocalDate.now(ZoneOffset.UTC)
                .minusDays(1)
                .atTime(12, 0)
                .toInstant(ZoneOffset.UTC)
                .toEpochMilli();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(ApiClient.waka(noon + i * 60_000L, "secret-project", "Rust", "/a/secret.rs"));
        }
        assertEquals(
                202,
                STACK.api()
                        .post("/api/v1/users/current/heartbeats.bulk", a.keyAuth(), "[" + String.join(",", items) + "]")
                        .status());
        awaitQuiet();
        JsonNode aPage = exportJson(a).get(0);
        assertEquals(10, aPage.get("heartbeats").size());
        JsonNode statsA = STACK.api().get("/api/stats?range=all", a.bearer()).json();

        // B's export is B's: empty, whatever cursor B sends (a cursor is a position, the user comes from the token).
        JsonNode bPage = exportJson(b).get(0);
        assertEquals(0, bPage.get("heartbeats").size());
        assertEquals(0, bPage.get("days").size());
        String cursorIntoA = new String(java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encode(("B#" + String.format("%013d", noon - noon % 900_000L) + "|0")
                        .getBytes(StandardCharsets.UTF_8)));
        Page p = exportPage(b, "format=json&cursor=" + cursorIntoA);
        assertEquals(200, p.status(), p.body());
        assertFalse(p.body().contains("secret"), p.body());

        // B imports A's export: it lands in B's account, A's is unchanged.
        Map<String, String> aVersions = bucketVersions(a.id());
        assertEquals(202, importBody(b, aPage.toString()).status());
        awaitQuiet();
        assertEquals(aVersions, bucketVersions(a.id()));
        assertEquals(statsA, STACK.api().get("/api/stats?range=all", a.bearer()).json());
        assertEquals(
                statsA.get("total_seconds"),
                STACK.api().get("/api/stats?range=all", b.bearer()).json().get("total_seconds"));

        // An API key (even A's own) or no credential does not reach the account routes.
        assertNotEquals(
                200,
                exportPage(new SignedInUser(a.id(), a.keyAuth(), null), "format=json")
                        .status());
        assertEquals(
                401,
                STACK.api()
                        .request("GET", "/api/export?format=json", null, null)
                        .status());
        assertEquals(
                401,
                STACK.api()
                        .request("POST", "/api/import", null, aPage.toString())
                        .status());
        int keyImport = STACK.api()
                .request("POST", "/api/import", a.keyAuth(), aPage.toString())
                .status();
        assertTrue(keyImport == 401 || keyImport == 403, "API key on import: " + keyImport);
    }

    @Test
    void badRequestsAreClear4xx() throws Exception {
        SignedInUser u = newUser();
        assertEquals(400, exportPage(u, "format=xml").status());
        assertEquals(400, exportPage(u, "format=json&cursor=bm9wZQ").status());
        assertEquals(400, exportPage(u, "format=csv&table=keys").status());
        assertEquals(400, importBody(u, "{\"nothing\":1}").status());
        assertEquals(400, importBody(u, "{\"days\":[").status());
        ApiClient.Response r = importBody(u, "[{\"time\":1700000000}]");
        assertEquals(400, r.status());
        assertTrue(r.json().get("error").asText().contains("none of the 1"), r.body());
        assertEquals(413, importBody(u, "[" + "1,".repeat(2_600_000) + "1]").status());
    }
}
