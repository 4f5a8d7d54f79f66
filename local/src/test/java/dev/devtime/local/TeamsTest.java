package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.model.api.ApiRoutes;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Teams through the whole local stack: the gateway's routes and JWT authorizer, heartbeats sent with API keys
 * through ingest, the queue and the aggregator, and the views. Above all isolation: a member of one team sees
 * nothing of another, on every team route, with a dashboard token and with an API key.
 */
class TeamsTest {

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(o -> o.withBatching(10, Duration.ofMillis(50), 1));

    static LocalDeployment stack;
    static ApiClient api;

    @BeforeAll
    static void start() {
        stack = STACK.deployment();
        api = STACK.api();
    }

    /** Two days ago: past its window whatever the time of day, so the aggregator stores it at once. */
    static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2);

    static JsonNode ok(int status, ApiClient.Response r) {
        assertEquals(status, r.status(), r.body());
        return r.json();
    }

    static String createTeam(SignedInUser owner, String name) {
        return ok(201, api.request("POST", "/api/teams", owner.bearer(), "{\"name\":\"" + name + "\"}"))
                .get("id")
                .asText();
    }

    static void join(String team, SignedInUser owner, SignedInUser user) {
        String code = ok(201, api.request("POST", "/api/teams/" + team + "/invites", owner.bearer(), "{}"))
                .get("code")
                .asText();
        ok(200, api.request("POST", "/api/teams/join", user.bearer(), "{\"code\":\"" + code + "\"}"));
    }

    static void share(String team, SignedInUser user, String level) {
        ok(200, api.request("PUT", "/api/teams/" + team + "/sharing", user.bearer(), "{\"share\":\"" + level + "\"}"));
    }

    /** {@code minutes} of heartbeats, a minute apart, sent as wakatime-cli sends them. */
    static void work(SignedInUser user, int hour, int minutes, String project, String language) {
        long start = DAY.atTime(hour, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        List<String> hbs = new ArrayList<>();
        for (int i = 0; i <= minutes; i++) {
            hbs.add(ApiClient.waka(start + i * 60_000L, project, language, "/src/" + project + "/Main.java"));
        }
        for (int i = 0; i < hbs.size(); i += 25) {
            assertEquals(
                    202,
                    api.post(
                                    "/api/v1/users/current/heartbeats.bulk",
                                    user.keyAuth(),
                                    "[" + String.join(",", hbs.subList(i, Math.min(i + 25, hbs.size()))) + "]")
                            .status());
        }
    }

    static long teamTotal(String team, SignedInUser viewer) {
        return ok(200, api.get("/api/teams/" + team + "/stats?start=" + DAY + "&end=" + DAY, viewer.bearer()))
                .get("total_seconds")
                .asLong();
    }

    @Test
    void aTeamSeesWhatEachMemberSharesIncludingThePastAndNothingAfterTheyLeaveOrDeleteTheirAccount() {
        SignedInUser ann = SignedInUser.create(stack, api, "ann-");
        SignedInUser bob = SignedInUser.create(stack, api, "bob-");
        SignedInUser cat = SignedInUser.create(stack, api, "cat-");
        String team = createTeam(ann, "Platform");
        join(team, ann, bob);
        join(team, ann, cat);
        work(bob, 9, 30, "api", "Java");
        work(cat, 9, 20, "web", "TypeScript");
        stack.awaitDrained(Duration.ofSeconds(60));
        assertEquals(0, teamTotal(team, ann), "private by default");

        share(team, bob, "breakdown");
        share(team, cat, "totals");
        JsonNode s = ok(200, api.get("/api/teams/" + team + "/stats?start=" + DAY + "&end=" + DAY, ann.bearer()));
        assertEquals(1800 + 1200, s.get("total_seconds").asLong(), s.toString());
        assertEquals(List.of("api"), names(s.get("projects")), "a totals member's projects stay hidden");
        assertFalse(s.toString().contains("Main.java") || s.toString().contains("test-box"), s.toString());

        JsonNode board = ok(200, api.get("/api/v1/users/current/leaderboards/" + team, ann.keyAuth()));
        assertEquals(bob.id(), board.get("data").get(0).get("user").get("id").asText());
        assertEquals(2, board.get("data").size());

        // Leaving: gone from every view at once.
        ok(204, api.request("DELETE", "/api/teams/" + team + "/members/me", cat.bearer(), null));
        assertEquals(1800, teamTotal(team, ann));
        // Deleting the account: the aggregator takes bob out of the team in the background.
        ok(202, api.request("DELETE", "/api/account", bob.bearer(), null));
        PipelineContract.await(() -> teamTotal(team, ann) == 0, Duration.ofSeconds(60));
        JsonNode after = ok(200, api.get("/api/teams/" + team, ann.bearer()));
        assertEquals(1, after.get("members").size(), after.toString());
        assertEquals(1, after.get("member_count").asInt());
    }

    @Test
    void anInviteIsUsedOnceAndTheOwnerHandsOverBeforeLeaving() {
        SignedInUser ann = SignedInUser.create(stack, api, "ann-");
        SignedInUser bob = SignedInUser.create(stack, api, "bob-");
        SignedInUser eve = SignedInUser.create(stack, api, "eve-");
        String team = createTeam(ann, "Platform");
        String code = ok(
                        201,
                        api.request(
                                "POST", "/api/teams/" + team + "/invites", ann.bearer(), "{\"expires_in_hours\":2}"))
                .get("code")
                .asText();
        ok(200, api.request("POST", "/api/teams/join", bob.bearer(), "{\"code\":\"" + code + "\"}"));
        assertEquals(
                410,
                api.request("POST", "/api/teams/join", eve.bearer(), "{\"code\":\"" + code + "\"}")
                        .status());
        assertEquals(
                409,
                api.request("DELETE", "/api/teams/" + team + "/members/" + ann.id(), ann.bearer(), null)
                        .status());
        ok(200, api.request("POST", "/api/teams/" + team + "/owner", ann.bearer(), "{\"user\":\"" + bob.id() + "\"}"));
        ok(204, api.request("DELETE", "/api/teams/" + team + "/members/me", ann.bearer(), null));
        JsonNode t = ok(200, api.get("/api/teams/" + team, bob.bearer()));
        assertEquals("owner", t.get("role").asText());
        assertEquals(1, t.get("members").size());
        ok(204, api.request("DELETE", "/api/teams/" + team, bob.bearer(), null));
        assertEquals(404, api.get("/api/teams/" + team, bob.bearer()).status());
    }

    @Test
    void aMemberOfOneTeamSeesNothingOfAnotherOnAnyRouteWithATokenOrAKey() {
        SignedInUser ann = SignedInUser.create(stack, api, "ann-");
        SignedInUser bob = SignedInUser.create(stack, api, "bob-");
        String a = createTeam(ann, "Team-A");
        String b = createTeam(bob, "Team-B");
        share(b, bob, "breakdown");
        work(bob, 14, 30, "b-secret-project", "Go");
        stack.awaitDrained(Duration.ofSeconds(60));
        assertEquals(1800, teamTotal(b, bob));

        int probed = 0;
        for (ApiRoutes.Route route : ApiRoutes.all()) {
            if (!route.path().contains("/teams") && !route.path().contains("leader")) {
                continue;
            }
            if (!route.path().contains("{team}") && !route.path().contains("{board}")) {
                continue;
            }
            String path =
                    route.path().replace("{team}", b).replace("{board}", b).replace("{user}", bob.id());
            String body = switch (route.method()) {
                case "GET", "DELETE" -> null;
                default -> "{\"name\":\"x\",\"role\":\"member\",\"user\":\"" + ann.id() + "\",\"share\":\"breakdown\"}";
            };
            // With ann's dashboard token: the team is not hers, so it does not exist.
            ApiClient.Response viaToken = api.request(route.method(), path, ann.bearer(), body);
            assertEquals(404, viaToken.status(), route.routeKey() + " " + viaToken.body());
            assertFalse(viaToken.body().contains("b-secret") || viaToken.body().contains("Team-B"), viaToken.body());
            // With ann's API key: dashboard routes refuse keys at the gateway; WakaTime's routes answer 404 too.
            ApiClient.Response viaKey = api.request(route.method(), path, ann.keyAuth(), body);
            assertEquals(
                    route.auth() == ApiRoutes.Auth.JWT ? 401 : 404,
                    viaKey.status(),
                    route.routeKey() + " " + viaKey.body());
            assertFalse(viaKey.body().contains("b-secret") || viaKey.body().contains("Team-B"), viaKey.body());
            probed++;
        }
        assertEquals(12, probed, "every route naming a team or board");
        // B is unchanged: name, one member, bob's time.
        JsonNode tb = ok(200, api.get("/api/teams/" + b, bob.bearer()));
        assertEquals("Team-B", tb.get("name").asText());
        assertEquals(1, tb.get("members").size());
        assertEquals(1800, teamTotal(b, bob));
        // Lists name only the caller's own teams, with either credential.
        JsonNode mine = ok(200, api.get("/api/teams", ann.bearer()));
        assertEquals(List.of(a), mine.findValuesAsText("id"));
        for (String auth : List.of(ann.bearer(), ann.keyAuth())) {
            JsonNode boards = ok(200, api.get("/api/v1/users/current/leaderboards", auth));
            assertEquals(List.of(a), boards.get("data").findValuesAsText("id"));
            JsonNode leaders = ok(200, api.get("/api/compat/wakatime/v1/leaders", auth));
            assertFalse(leaders.toString().contains(bob.id()), "bob does not share publicly");
        }
    }

    @Test
    void thePublicLeaderboardListsOnlyUsersWhoOptedIn() {
        SignedInUser dan = SignedInUser.create(stack, api, "dan-");
        SignedInUser eve = SignedInUser.create(stack, api, "eve-");
        ok(200, api.request("PUT", "/api/settings", dan.bearer(), "{\"public\":true}"));
        work(dan, 16, 40, "oss", "Rust");
        work(eve, 16, 40, "private", "Rust");
        stack.awaitDrained(Duration.ofSeconds(60));
        JsonNode leaders = ok(200, api.get("/api/v1/leaders?language=Rust", eve.keyAuth()));
        JsonNode dans = null;
        for (JsonNode l : leaders.get("data")) {
            assertFalse(l.get("user").get("id").asText().equals(eve.id()));
            if (l.get("user").get("id").asText().equals(dan.id())) {
                dans = l;
            }
        }
        assertNotNull(dans, leaders.toString());
        assertEquals(2400.0, dans.get("running_total").get("total_seconds").asDouble());
        assertEquals("Rust", leaders.get("language").asText());
        assertTrue(leaders.get("current_user").isNull());
        ok(200, api.request("PUT", "/api/settings", dan.bearer(), "{\"public\":false}"));
        assertFalse(
                ok(200, api.get("/api/v1/leaders", eve.keyAuth())).toString().contains(dan.id()));
    }

    static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.get("name").asText()));
        return out;
    }
}
