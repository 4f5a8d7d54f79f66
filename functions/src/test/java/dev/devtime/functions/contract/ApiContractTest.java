package dev.devtime.functions.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.account.AccountHandler;
import dev.devtime.functions.query.QueryHandler;
import dev.devtime.functions.testing.DynamoDbLocalExtension;
import dev.devtime.functions.testing.HttpEvents;
import dev.devtime.functions.testing.MutableClock;
import dev.devtime.functions.testing.RecordingSqs;
import dev.devtime.model.Heartbeat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's side of the API as JSON fixtures: each response the dashboard reads is produced here by the
 * real handlers and compared with its file in {@code web/src/contract/}, which the dashboard's tests parse
 * strictly with its own parsers. A change to a response shape therefore fails here until the fixture is
 * rewritten ({@code -Dcontract.update=true}), and then in the dashboard's tests until its parsers follow.
 * Values that change from run to run (generated ids and keys) are replaced by fixed ones of the same form.
 */
class ApiContractTest {

    @RegisterExtension
    final DynamoDbLocalExtension dynamo = new DynamoDbLocalExtension();

    static final Path DIR = Path.of("..", "web", "src", "contract");
    /** Numbers as the server wrote them (1781427600.000 stays that, not 1.7814276E9). */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();
    /** Two-space indents, as the dashboard's own files. */
    static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

    static final String USER = "contract-user";
    static final LocalDate TODAY = LocalDate.of(2026, 6, 15);
    static final String KEY = "waka_00000000-0000-4000-8000-000000000000";
    /** A team member besides the user. */
    static final String COLLEAGUE = "contract-colleague";
    /** An invite code's form: 256 random bits, URL-safe base64 without padding. */
    static final String INVITE_CODE = "A".repeat(43);

    @Test
    void everyResponseTheDashboardReadsMatchesItsFixture() throws Exception {
        Map<String, JsonNode> produced = produce();
        boolean update = Boolean.getBoolean("contract.update");
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : produced.entrySet()) {
            Path file = DIR.resolve(e.getKey() + ".json");
            String text = PRETTY.writeValueAsString(e.getValue()) + "\n";
            if (update) {
                Files.createDirectories(DIR);
                Files.writeString(file, text, StandardCharsets.UTF_8);
            } else if (!Files.exists(file) || !JSON.readTree(file.toFile()).equals(e.getValue())) {
                // Compared as JSON, so a formatter may lay the files out its own way.
                stale.add(e.getKey() + ".json now:\n" + text);
            }
        }
        TreeSet<String> extra = new TreeSet<>();
        try (Stream<Path> files = Files.list(DIR)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .filter(n -> !produced.containsKey(n.substring(0, n.length() - 5)))
                    .forEach(extra::add);
        }
        assertEquals(new TreeSet<>(), extra, "fixtures no response produces");
        if (!stale.isEmpty()) {
            fail("responses differ from their fixtures in "
                    + DIR.toAbsolutePath().normalize()
                    + "; if the change is meant, rerun with -Dcontract.update=true and make the dashboard's parsers follow:\n"
                    + String.join("\n", stale));
        }
    }

    /** One user's account as the dashboard sees it, each response under its fixture's name. */
    Map<String, JsonNode> produce() throws IOException {
        MutableClock clock = new MutableClock(Instant.parse(TODAY + "T15:00:00Z"));
        RecordingSqs sqs = new RecordingSqs();
        Wiring wiring = dynamo.wiring(clock, sqs);
        AccountHandler account = new AccountHandler(wiring);
        QueryHandler query = new QueryHandler(wiring);
        Map<String, JsonNode> out = new LinkedHashMap<>();

        out.put("me", call(account, HttpEvents.request("GET", "/api/me").signedIn(USER), 200));

        JsonNode created = call(
                account,
                HttpEvents.request("POST", "/api/auth/token")
                        .signedIn(USER)
                        .body("{\"label\":\"laptop\",\"read_only\":false}"),
                201);
        String secret = created.get("key").asText();
        String usedId = created.get("id").asText();
        out.put("key-created", created);
        clock.advance(java.time.Duration.ofMinutes(5));
        String unusedId = call(
                        account,
                        HttpEvents.request("POST", "/api/auth/token")
                                .signedIn(USER)
                                .body("{\"label\":\"CI\",\"read_only\":true}"),
                        201)
                .get("id")
                .asText();
        // A plugin's request records the key's use.
        call(query, HttpEvents.request("GET", "/api/stats").apiKey(secret), 200);
        out.put("keys", call(account, HttpEvents.request("GET", "/api/keys").signedIn(USER), 200));

        out.put(
                "settings",
                call(account, HttpEvents.request("GET", "/api/settings").signedIn(USER), 200));
        out.put(
                "settings-saved",
                call(
                        account,
                        HttpEvents.request("PUT", "/api/settings")
                                .signedIn(USER)
                                .body("{\"timezone\":\"UTC\",\"timeout_minutes\":15,\"hide_file_names\":false,"
                                        + "\"excluded_projects\":[\"private\"],\"retention_days\":0}"),
                        200));

        seed(wiring, USER);
        seed(wiring, COLLEAGUE);
        out.put(
                "stats",
                call(
                        query,
                        HttpEvents.request("GET", "/api/stats").signedIn(USER).query("range", "week"),
                        200));
        out.put(
                "sessions",
                call(
                        query,
                        HttpEvents.request("GET", "/api/sessions")
                                .signedIn(USER)
                                .query("date", TODAY.minusDays(1).toString()),
                        200));

        JsonNode goal = call(
                query,
                HttpEvents.request("POST", "/api/goals")
                        .signedIn(USER)
                        .body("{\"delta\":\"day\",\"seconds\":3600,\"title\":\"An hour a day\",\"projects\":[\"api\"],"
                                + "\"ignore_days\":[\"saturday\",\"sunday\"]}"),
                201);
        String goalId = goal.get("data").get("id").asText();
        out.put("goals", call(query, HttpEvents.request("GET", "/api/goals").signedIn(USER), 200));

        // A team of two: the user shares a breakdown and goals, the colleague daily totals.
        JsonNode team = call(
                account, HttpEvents.request("POST", "/api/teams").signedIn(USER).body("{\"name\":\"Platform\"}"), 201);
        String teamId = team.get("id").asText();
        out.put("team-created", team);
        // DynamoDB Local expires items by their TTL on the machine's clock: the invite is made and used at the
        // real time, so that it is still there, and the times it gives are fixed below.
        Instant teamTime = clock.instant();
        clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        JsonNode invite = call(
                account,
                HttpEvents.request("POST", "/api/teams/{team}/invites")
                        .path("team", teamId)
                        .signedIn(USER)
                        .body("{\"expires_in_hours\":24}"),
                201);
        String code = invite.get("code").asText();
        String expires = invite.get("expires_at").asText();
        String joinedAt = clock.instant().toString();
        out.put("team-invite", invite);
        out.put(
                "team-joined",
                call(
                        account,
                        HttpEvents.request("POST", "/api/teams/join")
                                .signedIn(COLLEAGUE)
                                .body("{\"code\":\"" + code + "\"}"),
                        200));
        clock.set(teamTime);
        call(
                account,
                HttpEvents.request("PUT", "/api/teams/{team}/sharing")
                        .path("team", teamId)
                        .signedIn(USER)
                        .body("{\"share\":\"breakdown\",\"share_goals\":true,\"name\":\"Ada\"}"),
                200);
        call(
                account,
                HttpEvents.request("PUT", "/api/teams/{team}/sharing")
                        .path("team", teamId)
                        .signedIn(COLLEAGUE)
                        .body("{\"share\":\"totals\",\"share_goals\":false}"),
                200);
        out.put("teams", call(account, HttpEvents.request("GET", "/api/teams").signedIn(USER), 200));
        out.put(
                "team",
                call(
                        account,
                        HttpEvents.request("GET", "/api/teams/{team}")
                                .path("team", teamId)
                                .signedIn(USER),
                        200));
        out.put(
                "team-stats",
                call(
                        query,
                        HttpEvents.request("GET", "/api/teams/{team}/stats")
                                .path("team", teamId)
                                .signedIn(USER),
                        200));
        out.put(
                "team-leaderboard",
                call(
                        query,
                        HttpEvents.request("GET", "/api/teams/{team}/leaderboard")
                                .path("team", teamId)
                                .signedIn(USER),
                        200));

        out.put(
                "export-page",
                call(account, HttpEvents.request("GET", "/api/export").signedIn(USER), 200));
        out.put(
                "import-result",
                call(
                        account,
                        HttpEvents.request("POST", "/api/import")
                                .signedIn(USER)
                                .body("[{\"time\":"
                                        + (Instant.parse(TODAY.minusDays(2) + "T10:00:00Z")
                                                .getEpochSecond())
                                        + ",\"entity\":\"/src/api/main.go\",\"type\":\"file\",\"category\":\"coding\",\"project\":\"api\"},"
                                        + "{\"entity\":\"no time\"}]"),
                        202));
        // The instance's public board lists only users who opted into public sharing: the user, not the colleague.
        call(account, HttpEvents.request("PUT", "/api/settings").signedIn(USER).body("{\"public\":true}"), 200);
        out.put(
                "leaders",
                call(query, HttpEvents.request("GET", "/api/v1/leaders").signedIn(USER), 200));
        out.put(
                "error",
                call(
                        account,
                        HttpEvents.request("PUT", "/api/settings")
                                .signedIn(USER)
                                .body("{\"timezone\":\"Mars/Olympus\"}"),
                        400));

        // Generated values, replaced by fixed ones of the same form.
        Map<String, String> fixed = Map.of(
                secret,
                KEY,
                usedId,
                "key-1",
                unusedId,
                "key-2",
                goalId,
                "goal-1",
                teamId,
                "team-1",
                code,
                INVITE_CODE,
                expires,
                teamTime.plus(Duration.ofHours(24)).toString(),
                joinedAt,
                teamTime.toString());
        out.replaceAll((name, node) -> replace(node, fixed));
        return out;
    }

    /** Two days of editor and AI work, with sessions. */
    static void seed(Wiring wiring, String user) {
        List<Heartbeat> hs = new ArrayList<>();
        for (LocalDate day : List.of(TODAY.minusDays(1), TODAY)) {
            long start = Instant.parse(day + "T09:00:00Z").toEpochMilli();
            for (int i = 0; i <= 6; i++) {
                hs.add(Heartbeat.builder(start + i * 300_000L)
                        .tool("vscode")
                        .editor("VS Code")
                        .os("Linux")
                        .machine("laptop")
                        .entity("/src/api/main.go")
                        .project("api")
                        .language("Go")
                        .branch("main")
                        .isWrite(i % 2 == 0)
                        .build());
            }
            hs.add(Heartbeat.builder(start + 3_600_000L)
                    .tool("claude-code")
                    .editor("Claude Code")
                    .os("Linux")
                    .machine("laptop")
                    .type("app")
                    .category("ai coding")
                    .project("web")
                    .sessionId("s-" + day)
                    .model("claude-sonnet-4-5")
                    .tokensIn(1200)
                    .tokensOut(300)
                    .cacheReadTokens(5000)
                    .prompts(1)
                    .aiLineChanges(12)
                    .build());
            hs.add(Heartbeat.builder(start + 3_900_000L)
                    .tool("claude-code")
                    .editor("Claude Code")
                    .os("Linux")
                    .machine("laptop")
                    .type("app")
                    .category("ai coding")
                    .project("web")
                    .sessionId("s-" + day)
                    .model("claude-sonnet-4-5")
                    .tokensIn(800)
                    .tokensOut(200)
                    .prompts(1)
                    .humanLineChanges(3)
                    .build());
        }
        wiring.aggregator().apply(user, hs);
    }

    static JsonNode call(
            com.amazonaws.services.lambda.runtime.RequestHandler<
                            com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent,
                            APIGatewayV2HTTPResponse>
                    handler,
            HttpEvents request,
            int status)
            throws IOException {
        APIGatewayV2HTTPResponse r = handler.handleRequest(request.build(), null);
        assertEquals(status, r.getStatusCode(), r.getBody());
        return JSON.readTree(r.getBody());
    }

    static JsonNode replace(JsonNode node, Map<String, String> fixed) {
        if (node.isTextual() && fixed.containsKey(node.asText())) {
            return JSON.getNodeFactory().textNode(fixed.get(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode o = JSON.createObjectNode();
            node.properties().forEach(e -> o.set(e.getKey(), replace(e.getValue(), fixed)));
            return o;
        }
        if (node.isArray()) {
            var a = JSON.createArrayNode();
            node.forEach(n -> a.add(replace(n, fixed)));
            return a;
        }
        return node;
    }
}
