package dev.devtime.functions.team;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.account.AccountHandler;
import dev.devtime.functions.query.QueryHandler;
import dev.devtime.functions.store.TeamStore;
import dev.devtime.functions.testing.DynamoDbLocalExtension;
import dev.devtime.functions.testing.HttpEvents;
import dev.devtime.functions.testing.MutableClock;
import dev.devtime.functions.testing.RecordingSqs;
import dev.devtime.model.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Teams through the account and query handlers and the aggregator, against DynamoDB Local. */
class TeamsTest {

    @RegisterExtension
    final DynamoDbLocalExtension dynamo = new DynamoDbLocalExtension();

    static final ObjectMapper JSON = new ObjectMapper();
    /** Today as the machine's clock has it: invites carry a TTL, which DynamoDB Local applies by that clock. */
    static final LocalDate TODAY = LocalDate.now(java.time.ZoneOffset.UTC);

    static final LocalDate PAST = TODAY.minusDays(5);

    MutableClock clock;
    RecordingSqs sqs;
    Wiring wiring;
    AccountHandler account;
    QueryHandler query;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse(TODAY + "T12:00:00Z"));
        sqs = new RecordingSqs();
        wiring = dynamo.wiring(clock, sqs);
        account = new AccountHandler(wiring);
        query = new QueryHandler(wiring);
    }

    APIGatewayV2HTTPResponse call(HttpEvents request) {
        String route = request.build().getRawPath();
        boolean read = route.endsWith("/stats") || route.endsWith("/leaderboard") || route.startsWith("/api/v1/");
        return read ? query.handleRequest(request.build(), null) : account.handleRequest(request.build(), null);
    }

    static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
        return JSON.readTree(r.getBody());
    }

    JsonNode ok(int status, HttpEvents request) throws Exception {
        APIGatewayV2HTTPResponse r = call(request);
        assertEquals(status, r.getStatusCode(), r.getBody());
        return r.getBody() == null || r.getBody().isEmpty() ? null : json(r);
    }

    String createTeam(String owner, String name) throws Exception {
        JsonNode t =
                ok(201, HttpEvents.request("POST", "/api/teams").signedIn(owner).body("{\"name\":\"" + name + "\"}"));
        assertEquals("owner", t.get("role").asText());
        assertEquals(name, t.get("name").asText());
        return t.get("id").asText();
    }

    String invite(String team, String by) throws Exception {
        return ok(
                        201,
                        HttpEvents.request("POST", "/api/teams/{team}/invites")
                                .path("team", team)
                                .signedIn(by)
                                .body("{}"))
                .get("code")
                .asText();
    }

    void join(String team, String owner, String user) throws Exception {
        String code = invite(team, owner);
        JsonNode joined = ok(
                200,
                HttpEvents.request("POST", "/api/teams/join").signedIn(user).body("{\"code\":\"" + code + "\"}"));
        assertEquals(team, joined.get("id").asText());
        assertEquals("member", joined.get("role").asText());
    }

    void share(String team, String user, String level) throws Exception {
        ok(
                200,
                HttpEvents.request("PUT", "/api/teams/{team}/sharing")
                        .path("team", team)
                        .signedIn(user)
                        .body("{\"share\":\"" + level + "\",\"name\":\"" + user.toUpperCase() + "\"}"));
    }

    JsonNode stats(String team, String user, LocalDate start, LocalDate end, String... filter) throws Exception {
        HttpEvents r = HttpEvents.request("GET", "/api/teams/{team}/stats")
                .path("team", team)
                .signedIn(user)
                .query("start", start.toString())
                .query("end", end.toString());
        for (int i = 0; i < filter.length; i += 2) {
            r.query(filter[i], filter[i + 1]);
        }
        return ok(200, r);
    }

    /** {@code minutes} of work on one project and language, a heartbeat a minute, stored through the aggregator. */
    void work(String user, LocalDate day, int hour, int minutes, String project, String language) {
        long start = Instant.parse(day + "T" + String.format("%02d", hour) + ":00:00Z")
                .toEpochMilli();
        List<Heartbeat> hbs = new ArrayList<>();
        for (int i = 0; i <= minutes; i++) {
            hbs.add(Heartbeat.builder(start + i * 60_000L)
                    .tool("vscode")
                    .editor("VS Code")
                    .project(project)
                    .entity("/src/" + project + "/main.x")
                    .language(language)
                    .branch("secret-branch")
                    .machine("laptop")
                    .build());
        }
        wiring.aggregator().apply(user, hbs);
    }

    static JsonNode member(JsonNode stats, String user) {
        for (JsonNode m : stats.get("members")) {
            if (m.get("user").asText().equals(user)) {
                return m;
            }
        }
        return null;
    }

    @Test
    void membersSeeWhatEachColleagueChoseAndAChangeAppliesToThePast() throws Exception {
        String team = createTeam("ann", "Platform");
        join(team, "ann", "bob");
        join(team, "ann", "cat");
        work("ann", PAST, 9, 60, "api", "Java");
        work("bob", PAST, 9, 30, "secret", "Rust");
        work("cat", PAST, 9, 20, "web", "TypeScript");

        // Everybody starts private: listed, no figures.
        JsonNode s = stats(team, "bob", PAST, PAST);
        assertEquals(0, s.get("total_seconds").asLong());
        assertEquals(3, s.get("members").size());
        assertEquals("none", member(s, "ann").get("share").asText());
        assertFalse(member(s, "ann").has("total_seconds"));

        share(team, "ann", "breakdown");
        share(team, "bob", "totals");
        s = stats(team, "cat", PAST, PAST);
        // A change applies to days stored before it.
        assertEquals(3600 + 1800, s.get("total_seconds").asLong());
        assertEquals(1800, member(s, "bob").get("total_seconds").asLong());
        assertEquals("BOB", member(s, "bob").get("name").asText());
        assertEquals("api", s.get("projects").get(0).get("name").asText());
        assertEquals(1, s.get("projects").size(), "a totals member's projects stay hidden");
        assertFalse(s.toString().contains("secret"), s.toString());
        assertFalse(
                s.toString().contains("laptop") || s.toString().contains("main.x"), "no machines, branches or files");
        assertFalse(member(s, "cat").has("total_seconds"));

        // A filter counts breakdown members only.
        JsonNode java = stats(team, "cat", PAST, PAST, "language", "Java");
        assertEquals(3600, java.get("total_seconds").asLong());
        assertFalse(member(java, "bob").has("total_seconds"));

        // Back to none: gone from every day, past ones included.
        share(team, "ann", "none");
        assertEquals(1800, stats(team, "cat", PAST, PAST).get("total_seconds").asLong());
    }

    @Test
    void aNewMembersHistoryIsCopiedAndLeavingRemovesThemFromEveryView() throws Exception {
        work("bob", PAST, 9, 45, "api", "Go");
        String team = createTeam("ann", "Platform");
        join(team, "ann", "bob");
        share(team, "bob", "breakdown");
        assertEquals(2700, stats(team, "ann", PAST, PAST).get("total_seconds").asLong());

        ok(
                204,
                HttpEvents.request("DELETE", "/api/teams/{team}/members/{user}")
                        .path("team", team)
                        .path("user", "me")
                        .signedIn("bob"));
        JsonNode s = stats(team, "ann", PAST, PAST);
        assertEquals(0, s.get("total_seconds").asLong());
        assertEquals(null, member(s, "bob"));
        assertTrue(wiring.teams.rows(team, PAST, PAST).isEmpty(), "the leaver's copies are deleted");
        assertEquals(
                404,
                call(HttpEvents.request("GET", "/api/teams/{team}/stats")
                                .path("team", team)
                                .signedIn("bob"))
                        .getStatusCode());
    }

    @Test
    void todayShowsBeforeItIsStoredAndIsStoredWhenItSettles() throws Exception {
        String team = createTeam("ann", "Platform");
        join(team, "ann", "bob");
        share(team, "bob", "totals");
        work("bob", TODAY, 9, 20, "api", "Go");
        assertTrue(wiring.days.query("bob", TODAY, TODAY).isEmpty(), "today is open, not stored");
        assertEquals(1200, stats(team, "ann", TODAY, TODAY).get("total_seconds").asLong());
        // Heartbeats within the same quarter hour write no team copy; the next quarter hour's first does.
        work("bob", TODAY, 10, 20, "api", "Go");
        assertEquals(2400, stats(team, "ann", TODAY, TODAY).get("total_seconds").asLong());
        clock.set(Instant.parse(TODAY.plusDays(1) + "T01:00:00Z"));
        work("bob", TODAY.plusDays(1), 0, 0, "api", "Go");
        assertEquals(2400, wiring.days.query("bob", TODAY, TODAY).get(0).totalMs() / 1000);
        assertEquals(2400, stats(team, "ann", TODAY, TODAY).get("total_seconds").asLong());
    }

    @Test
    void invitesAreSingleUseAndExpire() throws Exception {
        String team = createTeam("ann", "Platform");
        String code = invite(team, "ann");
        assertTrue(code.length() >= 22 && code.matches("[A-Za-z0-9_-]+"), code);
        ok(200, HttpEvents.request("POST", "/api/teams/join").signedIn("bob").body("{\"code\":\"" + code + "\"}"));
        assertEquals(
                410,
                call(HttpEvents.request("POST", "/api/teams/join")
                                .signedIn("cat")
                                .body("{\"code\":\"" + code + "\"}"))
                        .getStatusCode());
        assertEquals(
                404,
                call(HttpEvents.request("POST", "/api/teams/join")
                                .signedIn("cat")
                                .body("{\"code\":\"nope\"}"))
                        .getStatusCode());
        assertEquals(
                409,
                call(HttpEvents.request("POST", "/api/teams/join")
                                .signedIn("bob")
                                .body("{\"code\":\"" + invite(team, "ann") + "\"}"))
                        .getStatusCode());

        String shortLived = ok(
                        201,
                        HttpEvents.request("POST", "/api/teams/{team}/invites")
                                .path("team", team)
                                .signedIn("ann")
                                .body("{\"expires_in_hours\":1}"))
                .get("code")
                .asText();
        clock.advance(Duration.ofMinutes(61));
        assertEquals(
                410,
                call(HttpEvents.request("POST", "/api/teams/join")
                                .signedIn("cat")
                                .body("{\"code\":\"" + shortLived + "\"}"))
                        .getStatusCode());
        // Members invite nobody; bad bodies are 400s.
        assertEquals(
                403,
                call(HttpEvents.request("POST", "/api/teams/{team}/invites")
                                .path("team", team)
                                .signedIn("bob")
                                .body("{}"))
                        .getStatusCode());
        for (String body : List.of(
                "{\"expires_in_hours\":0}", "{\"expires_in_hours\":721}", "{\"expires_in_hours\":\"x\"}", "[]")) {
            assertEquals(
                    400,
                    call(HttpEvents.request("POST", "/api/teams/{team}/invites")
                                    .path("team", team)
                                    .signedIn("ann")
                                    .body(body))
                            .getStatusCode(),
                    body);
        }
        assertEquals(2, wiring.teams.roster(team).members().size());
    }

    @Test
    void rolesOwnershipRemovalAndDeletion() throws Exception {
        String team = createTeam("ann", "Platform");
        join(team, "ann", "bob");
        join(team, "ann", "cat");
        // Members change nothing; the owner cannot leave.
        assertEquals(
                403,
                call(HttpEvents.request("PATCH", "/api/teams/{team}")
                                .path("team", team)
                                .signedIn("bob")
                                .body("{\"name\":\"x\"}"))
                        .getStatusCode());
        assertEquals(
                409,
                call(HttpEvents.request("DELETE", "/api/teams/{team}/members/{user}")
                                .path("team", team)
                                .path("user", "me")
                                .signedIn("ann"))
                        .getStatusCode());
        ok(
                200,
                HttpEvents.request("PATCH", "/api/teams/{team}/members/{user}")
                        .path("team", team)
                        .path("user", "bob")
                        .signedIn("ann")
                        .body("{\"role\":\"admin\"}"));
        assertEquals(
                "Infra",
                ok(
                                200,
                                HttpEvents.request("PATCH", "/api/teams/{team}")
                                        .path("team", team)
                                        .signedIn("bob")
                                        .body("{\"name\":\"Infra\"}"))
                        .get("name")
                        .asText());
        // An admin may not demote the owner or remove another admin.
        assertEquals(
                409,
                call(HttpEvents.request("PATCH", "/api/teams/{team}/members/{user}")
                                .path("team", team)
                                .path("user", "ann")
                                .signedIn("bob")
                                .body("{\"role\":\"member\"}"))
                        .getStatusCode());
        ok(
                204,
                HttpEvents.request("DELETE", "/api/teams/{team}/members/{user}")
                        .path("team", team)
                        .path("user", "cat")
                        .signedIn("bob"));
        // Ownership moves; the old owner becomes an admin and may leave.
        JsonNode t = ok(
                200,
                HttpEvents.request("POST", "/api/teams/{team}/owner")
                        .path("team", team)
                        .signedIn("ann")
                        .body("{\"user\":\"bob\"}"));
        assertEquals("admin", t.get("role").asText());
        JsonNode listed = ok(200, HttpEvents.request("GET", "/api/teams").signedIn("bob"));
        assertEquals("owner", listed.get("data").get(0).get("role").asText());
        assertEquals(2, listed.get("data").get(0).get("member_count").asInt());
        assertEquals(
                403,
                call(HttpEvents.request("DELETE", "/api/teams/{team}")
                                .path("team", team)
                                .signedIn("ann"))
                        .getStatusCode());
        work("bob", PAST, 9, 30, "api", "Go");
        ok(
                204,
                HttpEvents.request("DELETE", "/api/teams/{team}")
                        .path("team", team)
                        .signedIn("bob"));
        assertEquals(
                404,
                call(HttpEvents.request("GET", "/api/teams/{team}")
                                .path("team", team)
                                .signedIn("bob"))
                        .getStatusCode());
        assertEquals(
                0,
                ok(200, HttpEvents.request("GET", "/api/teams").signedIn("ann"))
                        .get("data")
                        .size());
        sqs.deliverTo(wiring.batchProcessor());
        assertTrue(wiring.teams.rows(team, PAST.minusDays(400), TODAY).isEmpty(), "the team's copies are deleted");
    }

    @Test
    void optingIntoThePublicLeaderboardCopiesTheDaysAlreadyWorked() throws Exception {
        work("bob", TODAY.minusDays(1), 9, 30, "api", "Go");
        ok(200, HttpEvents.request("PUT", "/api/settings").signedIn("bob").body("{\"public\":true}"));
        JsonNode leaders = ok(200, HttpEvents.request("GET", "/api/v1/leaders").signedIn("ann"));
        assertEquals(1, leaders.get("data").size());
        assertEquals(
                1800,
                leaders.get("data")
                        .get(0)
                        .get("running_total")
                        .get("total_seconds")
                        .asLong());
    }

    @Test
    void accountDeletionTakesTheUserOutOfTeamsAndTheLeaderboards() throws Exception {
        String team = createTeam("ann", "Platform");
        join(team, "ann", "bob");
        share(team, "bob", "breakdown");
        ok(200, HttpEvents.request("PUT", "/api/settings").signedIn("bob").body("{\"public\":true}"));
        work("bob", TODAY.minusDays(1), 9, 30, "api", "Go");
        assertEquals(
                1800,
                stats(team, "ann", TODAY.minusDays(1), TODAY)
                        .get("total_seconds")
                        .asLong());
        assertEquals(
                1,
                ok(200, HttpEvents.request("GET", "/api/v1/leaders").signedIn("ann"))
                        .get("data")
                        .size());

        ok(202, HttpEvents.request("DELETE", "/api/account").signedIn("bob"));
        sqs.deliverTo(wiring.batchProcessor());
        JsonNode s = stats(team, "ann", TODAY.minusDays(1), TODAY);
        assertEquals(null, member(s, "bob"));
        assertTrue(wiring.teams.rows(team, PAST.minusDays(400), TODAY).isEmpty());
        assertTrue(wiring.teams.rows(null, TODAY.minusDays(9), TODAY).isEmpty());
        assertEquals(
                0,
                ok(200, HttpEvents.request("GET", "/api/v1/leaders").signedIn("ann"))
                        .get("data")
                        .size());
        assertEquals(1, wiring.teams.roster(team).team().memberCount());

        // An owner's team goes to the next member; a team left empty goes with its owner.
        String solo = createTeam("ann", "Solo");
        ok(202, HttpEvents.request("DELETE", "/api/account").signedIn("ann"));
        sqs.deliverTo(wiring.batchProcessor());
        assertEquals(null, wiring.teams.roster(solo));
        assertEquals(null, wiring.teams.roster(team));
    }

    @Test
    void leaderboardsHaveWakaTimesShape() throws Exception {
        String team = createTeam("ann", "Platform");
        join(team, "ann", "bob");
        share(team, "ann", "breakdown");
        share(team, "bob", "totals");
        work("ann", TODAY.minusDays(2), 9, 60, "api", "Java");
        work("bob", TODAY.minusDays(2), 9, 90, "api", "Go");
        JsonNode board = ok(
                200,
                HttpEvents.request("GET", "/api/teams/{team}/leaderboard")
                        .path("team", team)
                        .signedIn("ann"));
        assertEquals(2, board.get("data").size());
        JsonNode first = board.get("data").get(0);
        assertEquals(1, first.get("rank").asInt());
        assertEquals("bob", first.get("user").get("id").asText());
        assertEquals(5400.0, first.get("running_total").get("total_seconds").asDouble());
        assertEquals(
                "1 hr 30 mins",
                first.get("running_total").get("human_readable_total").asText());
        assertEquals(0, first.get("running_total").get("languages").size());
        assertEquals(
                "Java",
                board.get("data")
                        .get(1)
                        .get("running_total")
                        .get("languages")
                        .get(0)
                        .get("name")
                        .asText());
        assertEquals("last_7_days", board.get("range").get("name").asText());
        assertEquals(2, board.get("current_user").get("rank").asInt());
        assertEquals(1, board.get("total_pages").asInt());
        JsonNode java = ok(
                200,
                HttpEvents.request("GET", "/api/v1/users/current/leaderboards/{board}")
                        .path("board", team)
                        .query("language", "Java")
                        .signedIn("bob"));
        assertEquals(1, java.get("data").size());
        assertTrue(java.get("current_user").isNull());
        JsonNode boards = ok(
                200,
                HttpEvents.request("GET", "/api/v1/users/current/leaderboards").signedIn("bob"));
        assertEquals(team, boards.get("data").get(0).get("id").asText());
        assertEquals(2, boards.get("data").get(0).get("members_count").asInt());
    }

    @Test
    void aMemberOfOneTeamSeesNothingOfAnother() throws Exception {
        String a = createTeam("ann", "A");
        String b = createTeam("bob", "B");
        share(b, "bob", "breakdown");
        work("bob", PAST, 9, 30, "b-secret", "Go");
        String bInvite = invite(b, "bob");
        List<HttpEvents> probes = List.of(
                HttpEvents.request("GET", "/api/teams/{team}").path("team", b),
                HttpEvents.request("PATCH", "/api/teams/{team}").path("team", b).body("{\"name\":\"x\"}"),
                HttpEvents.request("DELETE", "/api/teams/{team}").path("team", b),
                HttpEvents.request("POST", "/api/teams/{team}/invites")
                        .path("team", b)
                        .body("{}"),
                HttpEvents.request("POST", "/api/teams/{team}/owner")
                        .path("team", b)
                        .body("{\"user\":\"ann\"}"),
                HttpEvents.request("PUT", "/api/teams/{team}/sharing")
                        .path("team", b)
                        .body("{\"share\":\"totals\"}"),
                HttpEvents.request("PATCH", "/api/teams/{team}/members/{user}")
                        .path("team", b)
                        .path("user", "bob")
                        .body("{\"role\":\"member\"}"),
                HttpEvents.request("DELETE", "/api/teams/{team}/members/{user}")
                        .path("team", b)
                        .path("user", "bob"),
                HttpEvents.request("GET", "/api/teams/{team}/stats").path("team", b),
                HttpEvents.request("GET", "/api/teams/{team}/leaderboard").path("team", b),
                HttpEvents.request("GET", "/api/v1/users/current/leaderboards/{board}")
                        .path("board", b));
        for (HttpEvents probe : probes) {
            APIGatewayV2HTTPResponse r = call(probe.signedIn("ann"));
            assertEquals(404, r.getStatusCode(), r.getBody());
            assertFalse(r.getBody().contains("b-secret") || r.getBody().contains("\"B\""), r.getBody());
        }
        JsonNode mine = ok(200, HttpEvents.request("GET", "/api/teams").signedIn("ann"));
        assertEquals(1, mine.get("data").size());
        assertEquals(a, mine.get("data").get(0).get("id").asText());
        assertFalse(ok(
                        200,
                        HttpEvents.request("GET", "/api/v1/users/current/leaderboards")
                                .signedIn("ann"))
                .toString()
                .contains(b));
        // Nothing changed in B.
        TeamStore.Roster rb = wiring.teams.roster(b);
        assertEquals("B", rb.team().name());
        assertEquals(1, rb.members().size());
        assertEquals(
                0,
                wiring.teams.roster(b).members().stream()
                        .filter(m -> m.user().equals("ann"))
                        .count());
        // B's invite, which ann never saw, still works for whoever was given it.
        assertEquals(
                200,
                call(HttpEvents.request("POST", "/api/teams/join")
                                .signedIn("cat")
                                .body("{\"code\":\"" + bInvite + "\"}"))
                        .getStatusCode());
    }

    /** Every page of the user's JSON export through the account function. */
    List<JsonNode> export(String user) throws Exception {
        List<JsonNode> pages = new ArrayList<>();
        String cursor = null;
        do {
            HttpEvents e = HttpEvents.request("GET", "/api/export").signedIn(user);
            if (cursor != null) {
                e.query("cursor", cursor);
            }
            JsonNode page = ok(200, e);
            pages.add(page);
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
        } while (cursor != null);
        return pages;
    }

    @Test
    void aMembersExportHoldsOnlyTheirDataAndImportingItJoinsNoTeam() throws Exception {
        String team = createTeam("ann", "Platform");
        join(team, "ann", "bob");
        share(team, "ann", "breakdown");
        share(team, "bob", "breakdown");
        work("ann", PAST, 9, 60, "ann-project", "Java");
        work("bob", PAST, 9, 90, "bob-project", "Go");
        JsonNode before = stats(team, "ann", PAST, TODAY);
        assertEquals(3600 + 5400, before.get("total_seconds").asLong());

        // Ann's partition holds her membership beside her days: her export is her heartbeats and days only.
        List<JsonNode> pages = export("ann");
        List<String> projects = new ArrayList<>();
        int days = 0;
        for (JsonNode page : pages) {
            page.get("heartbeats").forEach(h -> projects.add(h.get("project").asText()));
            days += page.get("days").size();
            assertFalse(page.toString().contains("bob"), page.toString());
        }
        assertEquals(61, projects.size());
        assertEquals(List.of("ann-project"), projects.stream().distinct().toList());
        assertEquals(1, days);
        for (String table : List.of("heartbeats", "days", "durations", "sessions")) {
            APIGatewayV2HTTPResponse csv = call(HttpEvents.request("GET", "/api/export")
                    .signedIn("ann")
                    .query("format", "csv")
                    .query("table", table));
            assertEquals(200, csv.getStatusCode(), table + ": " + csv.getBody());
            assertFalse(csv.getBody().contains("bob"), table + ": " + csv.getBody());
        }

        // Imported into another account, the export brings her work and no membership.
        for (JsonNode page : pages) {
            ok(202, HttpEvents.request("POST", "/api/import").signedIn("carol").body(page.toString()));
        }
        sqs.deliverTo(wiring.batchProcessor());
        assertEquals(
                61,
                export("carol").stream()
                        .mapToInt(p -> p.get("heartbeats").size())
                        .sum());
        assertTrue(wiring.teams.teamsOf("carol").isEmpty());
        assertEquals(
                0,
                ok(200, HttpEvents.request("GET", "/api/teams").signedIn("carol"))
                        .get("data")
                        .size());
        assertEquals(
                404,
                call(HttpEvents.request("GET", "/api/teams/{team}/stats")
                                .path("team", team)
                                .signedIn("carol"))
                        .getStatusCode());
        assertEquals(2, wiring.teams.roster(team).members().size());
        assertFalse(wiring.teams.rows(team, PAST, TODAY).containsKey("carol"));
        assertEquals(before, stats(team, "ann", PAST, TODAY));

        // More work on a day the team has already read shows in the next view: a stored day is read anew.
        work("ann", PAST, 14, 30, "ann-project", "Java");
        assertEquals(
                3600 + 1800 + 5400,
                stats(team, "ann", PAST, TODAY).get("total_seconds").asLong());
    }
}
