package dev.devtime.local.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.functions.aws.Metering;
import dev.devtime.functions.store.DayStore;
import dev.devtime.functions.store.TeamStore;
import dev.devtime.functions.team.TeamRows;
import dev.devtime.local.LocalDeployment;
import dev.devtime.model.rollup.AiRow;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.team.MemberDay;
import dev.devtime.model.team.ShareLevel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A team of 200 members with a year of history each, and its views read through the real gateway and query
 * handler: what the 7-day and 30-day team views cost in read units and how long they take.
 *
 * <p>The history is not sent as heartbeats (200 years of them would take hours on the build machine): each
 * member's days are generated as day rollups (a working day of 3 to 8 hours over 2 to 4 of the team's projects,
 * 2 or 3 languages, one or two editors, coding, AI coding and debugging, a branch and a machine, and AI usage
 * of one or two models; weekends mostly empty), turned into the items the aggregator writes when it stores a
 * member's day ({@link TeamStore#rowItem}) and put in batches. The team, its invites, joins and sharing choices go
 * through the HTTP API.
 */
final class TeamPhase {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String[] PROJECTS = {
        "payments-service",
        "web-dashboard",
        "mobile-app",
        "infra-terraform",
        "data-pipeline",
        "auth-gateway",
        "search-indexer",
        "billing-ui",
        "notification-worker",
        "design-system",
        "analytics-api",
        "docs-site"
    };
    static final String[][] LANGUAGES = {
        {"Java", "Kotlin", "YAML"},
        {"TypeScript", "CSS", "JSON"},
        {"Swift", "Kotlin", "TypeScript"},
        {"HCL", "YAML", "Bash"},
        {"Python", "SQL", "YAML"},
        {"Go", "YAML", "Markdown"},
        {"Rust", "TOML", "Markdown"},
        {"TypeScript", "SCSS", "HTML"},
        {"Java", "SQL", "YAML"},
        {"TypeScript", "CSS", "Markdown"},
        {"Go", "SQL", "Protobuf"},
        {"Markdown", "TypeScript", "YAML"}
    };
    static final String[] EDITORS = {"VS Code", "IntelliJ IDEA", "Neovim", "Zed"};
    static final String[] MODELS = {"claude-sonnet-4-5", "claude-opus-4-1", "gpt-5-codex"};

    record Result(
            int members,
            int days,
            long rows,
            double populateSeconds,
            double weekReadUnits,
            double weekP50Ms,
            double weekP99Ms,
            double monthReadUnits,
            double monthP99Ms,
            int weekQueries,
            int monthQueries) {}

    private TeamPhase() {}

    /**
     * Makes {@code members} users one team (the first owns it), each sharing a breakdown, through the store: for
     * stacks on simulated time, where the issuer's tokens would not be valid yet.
     */
    static String formTeam(LocalDeployment stack, String id, int members, IntFunction<String> user, long nowMs) {
        TeamStore teams = stack.wiring.teams;
        teams.create(
                new TeamStore.Team(id, "Bench", user.apply(0), nowMs, 1),
                new TeamStore.Member(user.apply(0), TeamStore.Role.OWNER, ShareLevel.BREAKDOWN, false, null, nowMs));
        for (int i = 1; i < members; i++) {
            String hash = id + "-invite-" + i;
            teams.putInvite(hash, id, user.apply(0), nowMs, nowMs + 3_600_000);
            teams.join(
                    hash,
                    id,
                    new TeamStore.Member(
                            user.apply(i), TeamStore.Role.MEMBER, ShareLevel.BREAKDOWN, false, null, nowMs),
                    nowMs,
                    1000);
        }
        return id;
    }

    static Result run(LocalDeployment stack, int members, int days, int weekQueries, int monthQueries)
            throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = stack.baseUrl();
        String[] bearer = new String[members];
        for (int i = 0; i < members; i++) {
            bearer[i] = "Bearer " + stack.issuer.tokenFor(member(i));
        }
        String team = send(http, "POST", base + "/api/teams", bearer[0], "{\"name\":\"Platform\"}", 201)
                .get("id")
                .asText();
        for (int i = 1; i < members; i++) {
            String code = send(http, "POST", base + "/api/teams/" + team + "/invites", bearer[0], "{}", 201)
                    .get("code")
                    .asText();
            send(http, "POST", base + "/api/teams/join", bearer[i], "{\"code\":\"" + code + "\"}", 200);
        }
        for (int i = 0; i < members; i++) {
            send(
                    http,
                    "PUT",
                    base + "/api/teams/" + team + "/sharing",
                    bearer[i],
                    "{\"share\":\"breakdown\",\"name\":\"Developer " + i + "\"}",
                    200);
        }
        Benchmark.progress("team: %d members joined and share a breakdown", members);

        // A year of each member's days: the items the aggregator writes when it stores a day (TeamStore.rowItem),
        // put 25 at a time, since one UpdateItem per member day would take most of an hour on the build machine.
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        AtomicLong written = new AtomicLong();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        long version = TeamRows.version(new DayStore.Source(0, 1, 0L));
        for (int i = 0; i < members; i++) {
            int m = i;
            running.add(pool.submit(() -> {
                Random random = new Random(1000 + m);
                List<WriteRequest> batch = new ArrayList<>();
                for (int d = days - 1; d >= 0; d--) {
                    DayRollup day = day(random, m, today.minusDays(d));
                    if (day != null) {
                        batch.add(WriteRequest.builder()
                                .putRequest(PutRequest.builder()
                                        .item(TeamStore.rowItem(team, member(m), MemberDay.of(day), version))
                                        .build())
                                .build());
                    }
                    if (batch.size() == 25 || (d == 0 && !batch.isEmpty())) {
                        write(stack, batch);
                        written.addAndGet(batch.size());
                        batch = new ArrayList<>();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        double populateSeconds = (System.nanoTime() - t0) / 1e9;
        Benchmark.progress("team: %d member days written in %.0f s", written.get(), populateSeconds);

        String week = base + "/api/teams/" + team + "/stats?range=week";
        String month = base + "/api/teams/" + team + "/stats?range=month";
        JsonNode check = send(http, "GET", week, bearer[0], null, 200);
        if (check.get("members").size() != members || check.get("total_seconds").asLong() <= 0) {
            throw new IllegalStateException("the team view misses members or time: " + check.get("total_seconds"));
        }
        for (int i = 0; i < 20; i++) {
            send(http, "GET", week, bearer[i % members], null, 200);
        }
        double[] weekFigures = measure(http, week, bearer, weekQueries);
        double[] monthFigures = measure(http, month, bearer, monthQueries);
        return new Result(
                members,
                days,
                written.get(),
                populateSeconds,
                weekFigures[0],
                weekFigures[1],
                weekFigures[2],
                monthFigures[0],
                monthFigures[2],
                weekQueries,
                monthQueries);
    }

    /** Read units per view, p50 and p99 in ms. */
    private static double[] measure(HttpClient http, String url, String[] bearer, int n) throws Exception {
        Metering.Snapshot m0 = Metering.snapshot();
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            send(http, "GET", url, bearer[i % bearer.length], null, 200);
            ms.add((System.nanoTime() - s) / 1e6);
        }
        double units = Metering.snapshot().minus(m0).readUnits() / n;
        return new double[] {units, Benchmark.percentile(ms, 50), Benchmark.percentile(ms, 99)};
    }

    static String member(int i) {
        return String.format("bench-member-%03d", i);
    }

    /** One member's day: null for a day off. */
    static DayRollup day(Random random, int member, LocalDate date) {
        boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
        if (random.nextDouble() < (weekend ? 0.9 : 0.08)) {
            return null;
        }
        long dayMs = (long) ((weekend ? 1 : 3 + random.nextDouble() * 5) * 3_600_000);
        int home = member % PROJECTS.length;
        int projects = 2 + random.nextInt(3);
        List<String> editors =
                List.of(EDITORS[member % EDITORS.length], EDITORS[(member / EDITORS.length) % EDITORS.length]);
        List<DurationRow> rows = new ArrayList<>();
        List<AiRow> ai = new ArrayList<>();
        long left = dayMs;
        for (int p = 0; p < projects && left > 0; p++) {
            int project = p == 0 ? home : random.nextInt(PROJECTS.length);
            long projectMs = p == projects - 1 ? left : (long) (left * (0.4 + random.nextDouble() * 0.4));
            left -= projectMs;
            String[] langs = LANGUAGES[project];
            int nLangs = 2 + random.nextInt(2);
            for (int l = 0; l < nLangs; l++) {
                long langMs = projectMs / nLangs;
                String editor = editors.get(random.nextInt(2));
                String branch = "feature/" + Integer.toHexString(random.nextInt(1 << 16));
                rows.add(new DurationRow(
                        "vscode",
                        PROJECTS[project],
                        langs[l],
                        "coding",
                        editor,
                        "laptop-" + member,
                        branch,
                        "Linux",
                        langMs * 6 / 10));
                rows.add(new DurationRow(
                        "claude-code",
                        PROJECTS[project],
                        langs[l],
                        "ai coding",
                        "Claude Code",
                        "laptop-" + member,
                        branch,
                        "Linux",
                        langMs * 3 / 10));
                rows.add(new DurationRow(
                        "vscode",
                        PROJECTS[project],
                        langs[l],
                        "debugging",
                        editor,
                        "laptop-" + member,
                        branch,
                        "Linux",
                        langMs - langMs * 6 / 10 - langMs * 3 / 10));
            }
            String model = MODELS[(member + p) % MODELS.length];
            ai.add(new AiRow(
                    "claude-code",
                    PROJECTS[project],
                    model,
                    20_000 + random.nextInt(200_000),
                    5_000 + random.nextInt(50_000),
                    random.nextInt(100_000),
                    random.nextInt(2_000_000),
                    5 + random.nextInt(60),
                    0,
                    0));
        }
        return new DayRollup(date, rows, ai, List.of(), 0);
    }

    private static void write(LocalDeployment stack, List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(LocalDeployment.TABLE, batch);
        while (!pending.isEmpty()
                && !pending.getOrDefault(LocalDeployment.TABLE, List.of()).isEmpty()) {
            Map<String, List<WriteRequest>> p = pending;
            BatchWriteItemResponse r = stack.dynamo.batchWriteItem(b -> b.requestItems(p));
            pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
        }
    }

    private static JsonNode send(HttpClient http, String method, String url, String auth, String body, int expect)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", auth)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expect) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }
}
