package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.store.PublicProfiles;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Timing;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * WakaTime compatibility end to end: the 25-item bulk wakatime-cli would send (valid, invalid and a
 * resend), then every read a plugin or dashboard tool makes, with golden totals for one timeline seen
 * from UTC and from Asia/Kolkata (+05:30, so local midnight falls on a half hour).
 *
 * <p>The timeline (UTC), timeout 15 min: alpha 17:50, 18:00, 18:10; beta 18:20, 18:40, 18:50; alpha 23:55
 * and 00:05 the next day; gamma 10:00 to 10:12 every 2 min on 2026-03-12. 18:20 -> 18:40 is 20 min, over
 * the timeout, so it joins nothing. Kolkata's midnight of 03-11 is 18:30 UTC.
 */
class WakaTimeApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String UA =
            "wakatime/v1.102.1 (linux-6.8.0-48-generic-x86_64) go1.23.2 vscode/1.95.3 vscode-wakatime/24.6.2";
    static final String V1 = "/api/v1/users/current";
    static final String COMPAT = "/api/compat/wakatime/v1/users/current";

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(o -> o.withBatching(50, Duration.ofMillis(100), 2)
            // The fixture is dated March 2026: allow ten years of age so it stays valid, and the 2000 item stays too
            // old.
            .withConfig(new Wiring.Config(0, 3650, Duration.ofSeconds(60))));

    static User utc;
    static User kolkata;

    record User(String id, String auth) {}

    record Response(int status, JsonNode json, String body, Map<String, List<String>> headers) {}

    @BeforeAll
    static void start() throws Exception {
        utc = user("UTC");
        kolkata = user("Asia/Kolkata");
        for (User u : List.of(utc, kolkata)) {
            Response r = call("POST", V1 + "/heartbeats.bulk", u, fixture("bulk-25.json"));
            assertEquals(202, r.status(), r.body());
        }
        awaitQuiet();
    }

    static User user(String zone) {
        String id = "waka-" + UUID.randomUUID();
        String key = ApiKeys.generate();
        STACK.deployment().seedKey(id, key, "wakatime test");
        STACK.deployment()
                .wiring
                .settings
                .put(id, new SettingsStore.Settings(new Timing(ZoneId.of(zone), 15, 1), false, List.of(), 0));
        return new User(id, ApiClient.basic(key));
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = WakaTimeApiTest.class.getResourceAsStream("/wakatime/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Response call(String method, String path, User u, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(
                            URI.create(STACK.deployment().baseUrl() + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("User-Agent", UA)
                    .header("X-Machine-Name", "dev-laptop")
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            if (u != null) {
                b.header("Authorization", u.auth());
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (IOException notJson) {
                // an SVG badge
            }
            return new Response(r.statusCode(), json, r.body(), r.headers().map());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode get(String path, User u) {
        Response r = call("GET", path, u, null);
        assertEquals(200, r.status(), path + ": " + r.body());
        return r.json();
    }

    static void awaitQuiet() {
        STACK.deployment().awaitDrained(Duration.ofSeconds(60));
    }

    static Map<String, Double> byName(JsonNode list) {
        Map<String, Double> m = new HashMap<>();
        list.forEach(i -> m.put(i.get("name").asText(), i.get("total_seconds").asDouble()));
        return m;
    }

    static List<Double> dailyTotals(JsonNode summaries) {
        List<Double> out = new ArrayList<>();
        summaries
                .get("data")
                .forEach(d -> out.add(d.get("grand_total").get("total_seconds").asDouble()));
        return out;
    }

    @Test
    void bulkAnswersEveryItemInOrderAsWakatimeCliExpects() throws Exception {
        User u = user("UTC");
        Response r = call("POST", V1 + "/heartbeats.bulk", u, fixture("bulk-25.json"));
        assertEquals(202, r.status(), r.body());
        JsonNode expected = JSON.readTree(fixture("bulk-25.expected.json")).get("statuses");
        JsonNode responses = r.json().get("responses");
        assertEquals(25, responses.size());
        for (int i = 0; i < 25; i++) {
            JsonNode tuple = responses.get(i);
            assertEquals(expected.get(i).asInt(), tuple.get(1).asInt(), "item " + i + ": " + tuple);
            if (tuple.get(1).asInt() == 201) {
                // wakatime-cli reads data.id and data.time of each accepted heartbeat.
                assertNotNull(tuple.get(0).get("data").get("id"), tuple.toString());
            } else {
                assertTrue(tuple.get(0).get("error").asText().length() > 5, tuple.toString());
            }
        }
        // The resend (item 24) is the same heartbeat as item 0: the same id.
        assertEquals(
                responses.get(0).get(0).get("data").get("id"),
                responses.get(24).get(0).get("data").get("id"));
    }

    @Test
    void bulkBodyMayBeOneObjectOrAJsonStringWrappingEither() throws Exception {
        User u = user("UTC");
        JsonNode items = JSON.readTree(fixture("bulk-25.json"));
        String one = items.get(0).toString();
        Response single = call("POST", V1 + "/heartbeats.bulk", u, one);
        assertEquals(202, single.status(), single.body());
        assertEquals(1, single.json().get("responses").size());
        assertEquals(201, single.json().get("responses").get(0).get(1).asInt());
        // VS Code for the web sends the array JSON-encoded once more, as a string.
        Response wrapped = call("POST", COMPAT + "/heartbeats.bulk", u, JSON.writeValueAsString(items.toString()));
        assertEquals(202, wrapped.status(), wrapped.body());
        assertEquals(25, wrapped.json().get("responses").size());
        Response wrappedOne = call("POST", V1 + "/heartbeats.bulk", u, JSON.writeValueAsString(one));
        assertEquals(201, wrappedOne.json().get("responses").get(0).get(1).asInt(), wrappedOne.body());
    }

    @Test
    void summariesGoldenTotalsInUtcAndKolkata() {
        JsonNode s = get(V1 + "/summaries?start=2026-03-10&end=2026-03-12", utc);
        assertEquals(List.of(2700.0, 300.0, 720.0), dailyTotals(s));
        JsonNode d0 = s.get("data").get(0);
        assertEquals(Map.of("alpha", 2100.0, "beta", 600.0), byName(d0.get("projects")));
        assertEquals(Map.of("Java", 2100.0, "Go", 600.0), byName(d0.get("languages")));
        assertEquals("45 mins", d0.get("grand_total").get("text").asText());
        assertEquals("0:45", d0.get("grand_total").get("digital").asText());
        assertEquals(0, d0.get("grand_total").get("hours").asInt());
        assertEquals(45, d0.get("grand_total").get("minutes").asInt());
        assertEquals(77.78, d0.get("projects").get(0).get("percent").asDouble());
        assertEquals("2026-03-10", d0.get("range").get("date").asText());
        assertEquals(3720.0, s.get("cumulative_total").get("seconds").asDouble());
        assertEquals("1 hr 2 mins", s.get("cumulative_total").get("text").asText());
        assertEquals(1240.0, s.get("daily_average").get("seconds").asDouble());
        assertEquals(3, s.get("daily_average").get("days_minus_holidays").asInt());

        JsonNode k = get(COMPAT + "/summaries?start=2026-03-10&end=2026-03-12", kolkata);
        assertEquals(List.of(1800.0, 1200.0, 720.0), dailyTotals(k));
        assertEquals(
                Map.of("beta", 600.0, "alpha", 600.0),
                byName(k.get("data").get(1).get("projects")));
        assertEquals(
                "2026-03-11T00:00:00+05:30",
                k.get("data").get(1).get("range").get("start").asText());
        assertEquals(
                "Asia/Kolkata",
                k.get("data").get(1).get("range").get("timezone").asText());

        // The UTC user asking in Kolkata's zone: recomputed from raw heartbeats, same as the Kolkata user.
        JsonNode asKolkata = get(V1 + "/summaries?start=2026-03-10&end=2026-03-12&timezone=Asia/Kolkata", utc);
        assertEquals(List.of(1800.0, 1200.0, 720.0), dailyTotals(asKolkata));
        assertEquals("Asia/Kolkata", asKolkata.get("timezone").asText());

        JsonNode alpha = get(V1 + "/summaries?start=2026-03-10&end=2026-03-12&project=alpha", utc);
        assertEquals(List.of(2100.0, 300.0, 0.0), dailyTotals(alpha));
        JsonNode branch = get(V1 + "/summaries?start=2026-03-10&end=2026-03-10&project=beta&branches=feature/x", utc);
        assertEquals(List.of(600.0), dailyTotals(branch));
    }

    @Test
    void oneProjectsSummariesListItsFilesWithTheirTime() {
        // alpha's file on 03-10: Main.java from 17:50 to 18:20, and again from 23:55 to midnight.
        JsonNode alpha = get(V1 + "/summaries?start=2026-03-10&end=2026-03-12&project=alpha", utc);
        JsonNode d0 = alpha.get("data").get(0);
        Map<String, Double> files = byName(d0.get("entities"));
        assertEquals(
                d0.get("grand_total").get("total_seconds").asDouble(),
                files.values().stream().mapToDouble(Double::doubleValue).sum(),
                "a project's files sum to its time: " + files);
        assertEquals(Map.of("/home/dev/alpha/src/Main.java", 2100.0), files);
        assertEquals("0:35", d0.get("entities").get(0).get("digital").asText());
        assertEquals(100.0, d0.get("entities").get(0).get("percent").asDouble());
        assertEquals(List.of(2100.0, 300.0, 0.0), dailyTotals(alpha));
        assertEquals(
                300.0,
                byName(alpha.get("data").get(1).get("entities")).values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum());
        assertEquals(0, alpha.get("data").get(2).get("entities").size(), "no time, no files");
        // beta: main.go from 18:40 to 18:50 (18:20 to 18:40 is over the timeout, and 18:25 carries no entity).
        JsonNode beta = get(V1 + "/summaries?start=2026-03-10&end=2026-03-10&project=beta", utc);
        assertEquals(
                Map.of("/home/dev/beta/cmd/main.go", 600.0),
                byName(beta.get("data").get(0).get("entities")));
        // As WakaTime does, files only for one project's summaries.
        assertEquals(
                0,
                get(V1 + "/summaries?start=2026-03-10&end=2026-03-10", utc)
                        .get("data")
                        .get(0)
                        .get("entities")
                        .size());
    }

    @Test
    void statsForACalendarMonthAndAllTime() {
        JsonNode d = get(V1 + "/stats/2026-03", utc).get("data");
        assertEquals(3720.0, d.get("total_seconds").asDouble());
        assertEquals("1 hr 2 mins", d.get("human_readable_total").asText());
        assertEquals(Map.of("alpha", 2400.0, "beta", 600.0, "gamma", 720.0), byName(d.get("projects")));
        assertEquals("2026-03-10", d.get("best_day").get("date").asText());
        assertEquals(2700.0, d.get("best_day").get("total_seconds").asDouble());
        assertEquals(31, d.get("days_including_holidays").asInt());
        assertEquals(1240.0, d.get("daily_average").asDouble());
        assertEquals("ok", d.get("status").asText());
        assertEquals(100, d.get("percent_calculated").asInt());
        JsonNode k = get(COMPAT + "/stats/2026-03", kolkata).get("data");
        assertEquals(3720.0, k.get("total_seconds").asDouble());
        assertEquals("2026-03-10", k.get("best_day").get("date").asText());
        assertEquals(1800.0, k.get("best_day").get("total_seconds").asDouble());

        assertEquals(
                "last_7_days",
                get(V1 + "/stats/last_7_days", utc).get("data").get("range").asText());
        assertEquals(400, call("GET", V1 + "/stats/next_week", utc, null).status());

        JsonNode all = get(V1 + "/all_time_since_today", utc).get("data");
        assertEquals(3720.0, all.get("total_seconds").asDouble());
        assertEquals("2026-03-10", all.get("range").get("start_date").asText());
        assertEquals(
                720.0,
                get(V1 + "/all_time_since_today?project=gamma", utc)
                        .get("data")
                        .get("total_seconds")
                        .asDouble());
    }

    @Test
    void durationsSumToTheDayTotalsInBothZones() {
        JsonNode d = get(V1 + "/durations?date=2026-03-10", utc);
        List<String> projects = new ArrayList<>();
        double sum = 0;
        for (JsonNode x : d.get("data")) {
            projects.add(
                    x.get("project").asText() + "@" + Math.round(x.get("time").asDouble() * 1000) + "="
                            + x.get("duration").asDouble());
            sum += x.get("duration").asDouble();
        }
        assertEquals(
                List.of("alpha@1773165000000=1800.0", "beta@1773168000000=600.0", "alpha@1773186900000=300.0"),
                projects);
        assertEquals(2700.0, sum);

        JsonNode k = get(V1 + "/durations?date=2026-03-11", kolkata);
        double ksum = 0;
        for (JsonNode x : k.get("data")) {
            ksum += x.get("duration").asDouble();
        }
        assertEquals(2, k.get("data").size());
        assertEquals(1200.0, ksum);
        assertEquals("2026-03-11T00:00:00+05:30", k.get("start").asText());

        JsonNode byBranch = get(V1 + "/durations?date=2026-03-10&slice_by=branch", utc);
        assertEquals("feature/x", byBranch.get("data").get(1).get("branch").asText());
        assertEquals(
                List.of("feature/x", "main"),
                List.of(
                        byBranch.get("branches").get(0).asText(),
                        byBranch.get("branches").get(1).asText()));
        assertEquals(
                1,
                get(V1 + "/durations?date=2026-03-10&project=beta", utc)
                        .get("data")
                        .size());
        assertEquals(
                400,
                call("GET", V1 + "/durations?date=2026-03-10&slice_by=planet", utc, null)
                        .status());
        assertEquals(400, call("GET", V1 + "/durations", utc, null).status());
    }

    @Test
    void heartbeatsOfADayCanBeListedAndDeleted() throws Exception {
        User u = user("UTC");
        assertEquals(
                202,
                call("POST", V1 + "/heartbeats.bulk", u, fixture("bulk-25.json"))
                        .status());
        awaitQuiet();
        JsonNode day = get(V1 + "/heartbeats?date=2026-03-10", u);
        assertEquals(7, day.get("data").size());
        JsonNode beta1840 = day.get("data").get(4);
        assertEquals(1773168000.0, beta1840.get("time").asDouble());
        assertEquals("beta", beta1840.get("project").asText());
        assertEquals("feature/x", beta1840.get("branch").asText());
        assertEquals("dev-laptop", beta1840.get("machine_name_id").asText());
        assertTrue(beta1840.get("is_write").asBoolean());

        String body =
                "{\"date\":\"2026-03-10\",\"ids\":[\"" + beta1840.get("id").asText() + "\"]}";
        Response del = call("DELETE", V1 + "/heartbeats.bulk", u, body);
        assertEquals(200, del.status(), del.body());
        assertEquals(1, del.json().get("data").get("deleted").asInt());
        assertEquals(6, get(V1 + "/heartbeats?date=2026-03-10", u).get("data").size());
        // Without 18:40, 18:20 -> 18:50 is a 30-minute gap: beta's 600 s are gone, alpha's stay.
        assertEquals(List.of(2100.0), dailyTotals(get(V1 + "/summaries?start=2026-03-10&end=2026-03-10", u)));
        // Deleting again finds nothing.
        assertEquals(
                0,
                call("DELETE", V1 + "/heartbeats.bulk", u, body)
                        .json()
                        .get("data")
                        .get("deleted")
                        .asInt());
        assertEquals(
                400,
                call("DELETE", V1 + "/heartbeats.bulk", u, "{\"ids\":[\"nope\"]}")
                        .status());
    }

    @Test
    void lastProjectPlaceholdersResolveFromTheLatestStoredHeartbeat() {
        User u = user("UTC");
        String editor = "{\"entity\":\"/home/dev/delta/lib.rs\",\"type\":\"file\",\"time\":1773306000,"
                + "\"project\":\"delta\",\"language\":\"Rust\",\"branch\":\"release\",\"is_write\":true}";
        assertEquals(201, call("POST", V1 + "/heartbeats", u, editor).status());
        awaitQuiet();
        // What the browser extension sends when it cannot tell the project: a domain and placeholders.
        String browser =
                "[{\"entity\":\"docs.rs\",\"type\":\"domain\",\"category\":\"researching\",\"time\":1773306300,"
                        + "\"project\":\"<<LAST_PROJECT>>\",\"language\":\"<<LAST_LANGUAGE>>\",\"branch\":\"<<LAST_BRANCH>>\","
                        + "\"plugin\":\"chrome-wakatime/4.0.9\"}]";
        Response r = call("POST", V1 + "/heartbeats.bulk", u, browser);
        assertEquals(202, r.status(), r.body());
        assertEquals(
                "delta",
                r.json()
                        .get("responses")
                        .get(0)
                        .get(0)
                        .get("data")
                        .get("project")
                        .asText());
        awaitQuiet();
        JsonNode hbs = get(V1 + "/heartbeats?date=2026-03-12", u).get("data");
        assertEquals("delta", hbs.get(1).get("project").asText());
        assertEquals("Rust", hbs.get(1).get("language").asText());
        assertEquals("release", hbs.get(1).get("branch").asText());
        JsonNode day = get(V1 + "/summaries?start=2026-03-12&end=2026-03-12", u)
                .get("data")
                .get(0);
        assertEquals(Map.of("delta", 300.0), byName(day.get("projects")));
    }

    @Test
    void projectsAndUserAgents() {
        JsonNode p = get(V1 + "/projects", utc).get("data");
        assertEquals(3, p.size());
        assertEquals("gamma", p.get(0).get("name").asText());
        assertEquals("2026-03-12T10:12:00Z", p.get(0).get("last_heartbeat_at").asText());
        assertEquals(1, get(V1 + "/projects?q=ALP", utc).get("data").size());
        JsonNode ua = get(V1 + "/user_agents", utc).get("data");
        assertEquals(1, ua.size());
        assertEquals("VS Code", ua.get(0).get("editor").asText());
        assertEquals("Linux", ua.get(0).get("os").asText());
    }

    @Test
    void currentUserCarriesTheTimeZone() {
        JsonNode d = get(COMPAT, kolkata).get("data");
        assertEquals(kolkata.id(), d.get("id").asText());
        assertEquals("Asia/Kolkata", d.get("timezone").asText());
        assertEquals(15, d.get("timeout").asInt());
    }

    /** What each read costs in DynamoDB requests (asserted) and read units (printed for the docs). */
    @Test
    void readCosts() {
        awaitQuiet();
        get(V1 + "/summaries?range=today", utc); // warms the key cache, so the figures below are the reads'
        Map<String, String> reads = new java.util.LinkedHashMap<>();
        reads.put("summaries 3 days, own zone", V1 + "/summaries?start=2026-03-10&end=2026-03-12");
        reads.put(
                "summaries 3 days, other zone",
                V1 + "/summaries?start=2026-03-10&end=2026-03-12&timezone=Asia/Kolkata");
        reads.put("stats one month", V1 + "/stats/2026-03");
        reads.put("durations one day", V1 + "/durations?date=2026-03-10");
        reads.put("heartbeats one day", V1 + "/heartbeats?date=2026-03-10");
        Map<String, Long> queries = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : reads.entrySet()) {
            var before = dev.devtime.functions.aws.Metering.snapshot();
            get(e.getValue(), utc);
            var spent = dev.devtime.functions.aws.Metering.snapshot().minus(before);
            queries.put(e.getKey(), spent.requests("DynamoDb.Query"));
            System.out.printf(
                    "cost %-30s DynamoDB queries %d, get-items %d, read units %.1f%n",
                    e.getKey(),
                    spent.requests("DynamoDb.Query"),
                    spent.requests("DynamoDb.GetItem"),
                    spent.readUnits());
            assertTrue(spent.requests("DynamoDb.GetItem") <= 1, e.getKey() + ": only the settings item " + spent);
            assertEquals(0.0, spent.writeUnits(), e.getKey() + " wrote");
        }
        // Two Queries each (the user's settings and open days; then day items, or the raw buckets of the
        // window), never one per day.
        queries.forEach((k, v) -> assertTrue(v <= 2, k + ": " + v + " queries"));
    }

    @Test
    void readsNeedAKey() {
        assertEquals(401, call("GET", V1 + "/summaries?range=today", null, null).status());
        assertEquals(
                401,
                call(
                                "GET",
                                V1 + "/stats/last_7_days",
                                new User("x", ApiClient.basic("waka_" + UUID.randomUUID())),
                                null)
                        .status());
    }

    @Test
    void badgesOnlyForUsersWhoShare() {
        String path = "/api/badge/" + URLEncoder.encode(utc.id(), StandardCharsets.UTF_8) + "?range=2026-03";
        assertEquals(404, call("GET", path, null, null).status());
        String publicStats = "/api/v1/users/" + utc.id() + "/stats/2026-03";
        assertEquals(404, call("GET", publicStats, null, null).status());
        PublicProfiles profiles = STACK.deployment().wiring.profiles;
        profiles.setPublic(utc.id(), true, System.currentTimeMillis());
        try {
            JsonNode shields = get(path, null);
            assertEquals(1, shields.get("schemaVersion").asInt());
            assertEquals("1 hr 2 mins", shields.get("message").asText());
            assertEquals("coding time", shields.get("label").asText());
            assertEquals(
                    "12 mins", get(path + "&project=gamma", null).get("message").asText());
            // What github-readme-stats' WakaTime card reads, without credentials.
            assertEquals(
                    3720.0,
                    get(publicStats, null).get("data").get("total_seconds").asDouble());
            assertEquals(
                    "last_7_days",
                    get("/api/compat/wakatime/v1/users/" + utc.id() + "/stats", null)
                            .get("data")
                            .get("range")
                            .asText());
            Response svg = call("GET", "/api/badge/" + utc.id() + "/svg?range=2026-03&label=a%3Cb", null, null);
            assertEquals(200, svg.status());
            assertEquals("image/svg+xml", svg.headers().get("content-type").get(0));
            assertTrue(
                    svg.body().startsWith("<svg")
                            && svg.body().contains("1 hr 2 mins")
                            && svg.body().contains("a&lt;b"),
                    svg.body());
        } finally {
            profiles.setPublic(utc.id(), false, 0);
        }
        assertEquals(404, call("GET", path, null, null).status());
    }

    // ---- what wakatime-cli reads, checked against its own fixtures (resources/wakatime/cli, see README) ----

    /**
     * A user whose local clock reads about noon now, so heartbeats from an hour ago to now fall on their
     * "today" whenever the test runs.
     */
    static User noonUser() {
        int hour = java.time.ZonedDateTime.now(ZoneId.of("UTC")).getHour();
        int offset = 12 - hour;
        return user(java.time.ZoneOffset.ofHours(offset < -12 ? offset + 24 : offset)
                .getId());
    }

    /** Now, in whole seconds, fixed once so the heartbeats of a test are exactly minutes apart. */
    static final long NOW_S = System.currentTimeMillis() / 1000;

    /** A heartbeat {@code minutesAgo} before {@link #NOW_S}, in wakatime-cli's JSON. */
    static String beat(int minutesAgo, String extra) {
        long t = NOW_S - minutesAgo * 60L;
        return "{\"entity\":\"/home/dev/alpha/src/Main.java\",\"type\":\"file\",\"time\":" + t
                + ",\"project\":\"alpha\",\"language\":\"Java\",\"branch\":\"main\",\"is_write\":true" + extra + "}";
    }

    /**
     * Every field of wakatime-cli's fixture is in DevTime's answer with the same JSON type, recursively
     * (each item of a fixture list against every item of ours). A null parses into any of wakatime-cli's Go
     * fields (as the zero value), so null is accepted on either side, but the field must be there.
     */
    static void assertCovers(JsonNode fixture, JsonNode ours, String at) {
        assertNotNull(ours, at + " is missing");
        if (fixture.isNull() || ours.isNull()) {
            return;
        }
        assertEquals(fixture.getNodeType(), ours.getNodeType(), at + ": " + ours);
        if (fixture.isObject()) {
            fixture.fields()
                    .forEachRemaining(f -> assertCovers(f.getValue(), ours.get(f.getKey()), at + "." + f.getKey()));
        } else if (fixture.isArray() && fixture.size() > 0) {
            for (int i = 0; i < ours.size(); i++) {
                assertCovers(fixture.get(0), ours.get(i), at + "[" + i + "]");
            }
        }
    }

    static Response post(String path, User u, String body) {
        return call("POST", path, u, body);
    }

    @Test
    void statusbarTodayInWakaTimesShapeWithWakaTimesCategoryNames() throws Exception {
        User u = noonUser();
        // A single heartbeat is WakaTime's 201 {"data": {...}}.
        Response single = post(V1 + "/heartbeats", u, beat(40, ""));
        assertEquals(201, single.status(), single.body());
        assertNotNull(single.json().get("data").get("id"));
        String bulk = "[" + beat(30, "") + "," + beat(20, ",\"category\":\"debugging\"") + "," + beat(10, "")
                + ",{\"entity\":\"https://docs.rs/serde\",\"type\":\"url\",\"time\":" + (NOW_S - 5 * 60)
                + ",\"project\":\"alpha\"},{\"entity\":\"docs.rs\",\"type\":\"domain\",\"time\":" + (NOW_S - 60) + "}]";
        assertEquals(202, post(V1 + "/heartbeats.bulk", u, bulk).status());
        awaitQuiet();

        JsonNode bar = get(V1 + "/statusbar/today", u);
        assertCovers(JSON.readTree(fixture("cli/api_statusbar_today_response.json")), bar, "statusbar");
        JsonNode data = bar.get("data");
        // 40 -> 30 -> 20 -> 10 -> 5 -> 1 minutes ago: 39 minutes; 20 -> 10 debugging, the last 4 browsing.
        assertEquals(39 * 60.0, data.get("grand_total").get("total_seconds").asDouble(), 1.0);
        assertEquals("39 mins", data.get("grand_total").get("text").asText());
        Map<String, Double> categories = byName(data.get("categories"));
        assertEquals(Map.of("Coding", 1500.0, "Debugging", 600.0, "Browsing", 240.0), categories);
        for (JsonNode c : data.get("categories")) {
            assertTrue(c.has("decimal") && c.has("digital") && c.has("seconds") && c.has("text"), c.toString());
        }
        assertEquals(localDateNow(u), data.get("range").get("date").asText());
        assertEquals(false, bar.get("has_team_features").asBoolean());
        // What `wakatime-cli --today` prints with two or more categories: "<text> <name>, ...".
        List<String> printed = new ArrayList<>();
        data.get("categories")
                .forEach(c ->
                        printed.add(c.get("text").asText() + " " + c.get("name").asText()));
        assertEquals(List.of("25 mins Coding", "10 mins Debugging", "4 mins Browsing"), printed);

        // The same names on the other WakaTime reads; the heartbeats themselves keep the stored category.
        JsonNode day = get(V1 + "/summaries?range=today", u).get("data").get(0);
        assertEquals(categories, byName(day.get("categories")));
        assertEquals(
                categories, byName(get(V1 + "/stats/last_7_days", u).get("data").get("categories")));
        JsonNode hbs = get(V1 + "/heartbeats?date=" + localDateNow(u), u).get("data");
        assertEquals("browsing", hbs.get(hbs.size() - 1).get("category").asText());
    }

    static String localDateNow(User u) {
        return java.time.LocalDate.now(
                        STACK.deployment().wiring.settings.timing(u.id()).zone())
                .toString();
    }

    @Test
    void pluginErrorsAnswer201AsWakatimeCliRequires() throws Exception {
        Response r = post("/api/v1/plugins/errors", utc, fixture("cli/diagnostics_request.json"));
        assertEquals(201, r.status(), r.body());
    }

    @Test
    void wakapisBearerBase64KeyIsAccepted() {
        String key = ApiKeys.generate();
        String id = "wakapi-" + UUID.randomUUID();
        STACK.deployment().seedKey(id, key, "wakapi");
        String b64 = java.util.Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
        assertEquals(
                id, get(V1, new User(id, "Bearer " + b64)).get("data").get("id").asText());
        assertEquals(
                401,
                call(
                                "GET",
                                V1,
                                new User(
                                        "x",
                                        "Bearer "
                                                + java.util.Base64.getEncoder()
                                                        .encodeToString(("waka_" + UUID.randomUUID())
                                                                .getBytes(StandardCharsets.UTF_8))),
                                null)
                        .status());
        assertEquals(401, call("GET", V1, new User("x", "Bearer %%%"), null).status());
    }

    @Test
    void ownIdAnswersAsCurrentAndOthersStayPrivate() {
        String own = "/api/v1/users/" + utc.id();
        assertEquals(
                get(V1 + "/summaries?start=2026-03-10&end=2026-03-12", utc).get("data"),
                get(own + "/summaries?start=2026-03-10&end=2026-03-12", utc).get("data"));
        assertEquals(
                3720.0,
                get(own + "/stats/2026-03", utc)
                        .get("data")
                        .get("total_seconds")
                        .asDouble());
        assertEquals(utc.id(), get(own, utc).get("data").get("id").asText());
        assertEquals(
                200,
                call("GET", "/api/compat/wakatime/v1/users/" + utc.id() + "/statusbar/today", utc, null)
                        .status());
        // Another user's data with my credentials: 404, like a user that does not exist.
        Response other = call("GET", "/api/v1/users/" + kolkata.id() + "/summaries?range=today", utc, null);
        assertEquals(404, other.status(), other.body());
        assertTrue(other.json().get("error").asText().contains("current"), other.body());
        assertEquals(
                404,
                call("GET", "/api/v1/users/" + kolkata.id() + "/stats/2026-03", utc, null)
                        .status());
        // Sending heartbeats too (a fresh user, so the shared users' totals stay): to my own id as to
        // current; to another user's, 404.
        User u = user("UTC");
        String mine = "/api/v1/users/" + u.id();
        assertEquals(201, post(mine + "/heartbeats", u, beat(600, "")).status());
        assertEquals(
                202,
                post(mine + "/heartbeats.bulk", u, "[" + beat(590, "") + "]").status());
        awaitQuiet();
        assertEquals(
                600.0,
                get(mine + "/all_time_since_today", u)
                        .get("data")
                        .get("total_seconds")
                        .asDouble());
        Response foreign = post("/api/v1/users/" + kolkata.id() + "/heartbeats.bulk", u, "[" + beat(590, "") + "]");
        assertEquals(404, foreign.status(), foreign.body());
    }

    @Test
    void statsHonoursProjectAndBranchFilters() {
        assertEquals(
                720.0,
                get(V1 + "/stats/2026-03?project=gamma", utc)
                        .get("data")
                        .get("total_seconds")
                        .asDouble());
        JsonNode beta =
                get(V1 + "/stats/2026-03?project=beta&branches=feature/x", utc).get("data");
        assertEquals(600.0, beta.get("total_seconds").asDouble());
        assertEquals(Map.of("beta", 600.0), byName(beta.get("projects")));
        assertEquals(
                0.0,
                get(V1 + "/stats/2026-03?branches=nope", utc)
                        .get("data")
                        .get("total_seconds")
                        .asDouble());
    }

    @Test
    void goalsInWakaTimesShapeEditedFromTheDashboard() throws Exception {
        User u = noonUser();
        for (int ago : List.of(40, 30, 20)) {
            assertEquals(201, post(V1 + "/heartbeats", u, beat(ago, "")).status());
        }
        awaitQuiet();
        String jwt = "Bearer " + STACK.deployment().issuer.tokenFor(u.id());
        User dash = new User(u.id(), jwt);
        Response created = post(
                "/api/goals",
                dash,
                "{\"delta\":\"day\",\"seconds\":600,\"projects\":[\"alpha\"],"
                        + "\"editors\":[\"VS Code\"],\"ignore_days\":[]}");
        assertEquals(201, created.status(), created.body());
        String id = created.json().get("data").get("id").asText();
        Response weekly = post("/api/goals", dash, "{\"delta\":\"week\",\"seconds\":36000,\"title\":\"Ten hours\"}");
        assertEquals(201, weekly.status(), weekly.body());

        // What wakatime-cli --today-goal reads, with the plugin's API key.
        JsonNode goal = get(V1 + "/goals/" + id, u);
        assertCovers(JSON.readTree(fixture("cli/goal.json")), goal, "goal");
        assertCovers(JSON.readTree(fixture("cli/api_goals_id_response.json")), goal, "goal");
        JsonNode chart = goal.get("data").get("chart_data");
        assertEquals(7, chart.size());
        JsonNode today = chart.get(6);
        assertEquals("20 mins", today.get("actual_seconds_text").asText()); // what --today-goal prints
        assertEquals(1200.0, today.get("actual_seconds").asDouble());
        assertEquals(600, today.get("goal_seconds").asInt());
        assertEquals("Today", today.get("range").get("text").asText());
        assertEquals("success", today.get("range_status").asText());
        assertEquals("fail", chart.get(5).get("range_status").asText());
        assertEquals("success", goal.get("data").get("status").asText());
        assertEquals(
                "Code 10 mins per day on alpha using VS Code",
                goal.get("data").get("title").asText());
        assertEquals(1, goal.get("data").get("progress").get("streak").asInt());

        JsonNode list = get(V1 + "/goals", u);
        assertEquals(2, list.get("total").asInt());
        JsonNode week = null;
        for (JsonNode g : list.get("data")) {
            week = g.get("title").asText().equals("Ten hours") ? g : week;
        }
        assertNotNull(week, list.toString());
        assertEquals("Ten hours", week.get("title").asText());
        assertEquals("pending", week.get("status").asText());
        assertEquals(1200.0, week.get("progress").get("actual_seconds").asDouble());

        // Pause, then delete; the plugin's key may read goals but not change them.
        String paused = "{\"delta\":\"day\",\"seconds\":600,\"projects\":[\"alpha\"],\"is_enabled\":false}";
        Response edit = call("PUT", "/api/goals/" + id, dash, paused);
        assertEquals(200, edit.status(), edit.body());
        assertEquals(
                false, get(V1 + "/goals/" + id, u).get("data").get("is_enabled").asBoolean());
        assertEquals(401, call("PUT", "/api/goals/" + id, u, paused).status());
        Response bad = call("PUT", "/api/goals/" + id, dash, "{\"delta\":\"month\",\"seconds\":600}");
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("error").asText().contains("delta"), bad.body());
        assertEquals(
                400,
                post("/api/goals", dash, "{\"delta\":\"day\",\"seconds\":5}").status());
        assertEquals(
                400,
                post("/api/goals", dash, "{\"delta\":\"day\",\"seconds\":600,\"ignore_days\":[\"someday\"]}")
                        .status());
        assertEquals(404, call("PUT", "/api/goals/nope", dash, paused).status());
        assertEquals(204, call("DELETE", "/api/goals/" + id, dash, null).status());
        assertEquals(404, call("GET", V1 + "/goals/" + id, u, null).status());
        assertEquals(404, call("DELETE", "/api/goals/" + id, dash, null).status());
        assertEquals(1, get(V1 + "/goals", u).get("total").asInt());
    }

    @Test
    void fileExpertsInWakaTimesShape() throws Exception {
        User u = noonUser();
        for (int ago : List.of(40, 30, 20)) {
            assertEquals(201, post(V1 + "/heartbeats", u, beat(ago, "")).status());
        }
        awaitQuiet();
        String body = String.format(
                fixture("cli/api_file_experts_request_template.json"), "/home/dev/alpha/src/Main.java", "alpha", 3);
        Response r = post(V1 + "/file_experts", u, body);
        assertEquals(200, r.status(), r.body());
        assertCovers(JSON.readTree(fixture("cli/api_file_experts_response.json")), r.json(), "file_experts");
        JsonNode me = r.json().get("data").get(0);
        assertTrue(me.get("user").get("is_current_user").asBoolean());
        assertEquals("20 mins", me.get("total").get("text").asText()); // wakatime-cli prints "You: 20 mins"
        assertEquals(1200.0, me.get("total").get("total_seconds").asDouble());
        assertEquals(
                0.0,
                post(
                                V1 + "/file_experts",
                                u,
                                String.format(
                                        fixture("cli/api_file_experts_request_template.json"),
                                        "/home/dev/alpha/README.md",
                                        "alpha",
                                        3))
                        .json()
                        .get("data")
                        .get(0)
                        .get("total")
                        .get("total_seconds")
                        .asDouble());
        assertEquals(
                400, post(V1 + "/file_experts", u, "{\"project\":\"alpha\"}").status());
        assertEquals(400, post(V1 + "/file_experts", u, "[1]").status());
    }

    /**
     * The status bar's DynamoDB cost over three hours of an editor and an AI tool (a heartbeat a minute
     * each): the settings with the open days, then today's buckets; no settings GetItem and no day item.
     */
    @Test
    void statusbarReadCost() {
        User u = noonUser();
        List<String> beats = new ArrayList<>();
        for (int m = 180; m >= 1; m--) {
            beats.add(beat(m, ""));
            beats.add("{\"entity\":\"/home/dev/alpha/src/Agent.java\",\"type\":\"file\",\"category\":\"ai coding\","
                    + "\"time\":" + (NOW_S - m * 60L + 30) + ",\"project\":\"alpha\",\"tool\":\"claude-code\"}");
        }
        for (int i = 0; i < beats.size(); i += 25) {
            Response r = post(
                    V1 + "/heartbeats.bulk",
                    u,
                    "[" + String.join(",", beats.subList(i, Math.min(i + 25, beats.size()))) + "]");
            assertEquals(202, r.status(), r.body());
        }
        awaitQuiet();
        for (int i = 0; i < LocalDeployment.INSTANCES; i++) {
            get(V1 + "/statusbar/today", u); // warms the key cache of every query instance
        }
        var before = dev.devtime.functions.aws.Metering.snapshot();
        JsonNode bar = get(V1 + "/statusbar/today", u);
        var spent = dev.devtime.functions.aws.Metering.snapshot().minus(before);
        assertEquals(
                179.5 * 60,
                bar.get("data").get("grand_total").get("total_seconds").asDouble());
        System.out.printf(
                "cost statusbar/today, 3 h of 2 tools: DynamoDB queries %d, get-items %d, read units %.1f%n",
                spent.requests("DynamoDb.Query"), spent.requests("DynamoDb.GetItem"), spent.readUnits());
        assertEquals(0, spent.requests("DynamoDb.GetItem"), spent.toString());
        assertEquals(2, spent.requests("DynamoDb.Query"), spent.toString());
    }
}
