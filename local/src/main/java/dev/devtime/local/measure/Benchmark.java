package dev.devtime.local.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.Log;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.aws.Metering;
import dev.devtime.local.LocalDeployment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code java -jar devtime-local.jar bench [--json FILE] [--quick] [--devs N]}: drives plugin traffic through
 * fresh local stacks (real HTTP, handlers, ElasticMQ, DynamoDB Local, on disk in a temp folder) and reports
 * latency, throughput, loss, handler durations and what AWS would bill. Load generator and stack share this
 * machine: figures are for it.
 *
 * <p>Phases: (0) a team's working day at realistic pace and batching ({@link RealisticPhase}: N developers,
 * default 40, an editor and Claude Code each), on its own stack and simulated clock, priced by {@link CostModel}
 * into {@code usd_per_million_heartbeats} and {@code usd_per_dev_month}; in a full run also with 10 and 25
 * heartbeats per request; then on one stack: (1) a year of history for one user, sent in bulk requests of 25
 * as an offline queue would; (2) many users each sending a request of 1-25 heartbeats about every 10 s,
 * measuring request latency, how long a heartbeat takes to show in stats, and units and requests; (2b) an
 * open-loop 2,000 heartbeats/s for 60 s ({@link SustainedPhase}); (3) saturation: 25-item requests from many
 * threads for a fixed time; (4) the 365-day stats query; (5) teams ({@link TeamPhase}): the working day again
 * with the developers in one team (write units per heartbeat with the team's copies), and the 7- and 30-day
 * views of a team of 200 members with a year of history each.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UA =
            "wakatime/v1.73.0 (linux-5.15.0-x86_64) go1.20.5 vscode/1.80.0 vscode-wakatime/24.2.0";

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(16))
            .build();
    private final boolean quick;
    private final int devs;
    private LocalDeployment stack;
    private String base;

    private Benchmark(boolean quick, int devs) {
        this.quick = quick;
        this.devs = devs;
    }

    public static void main(String[] args) throws Exception {
        Path jsonOut = null;
        boolean quick = false;
        Integer devs = null;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> jsonOut = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--only" -> only = args[++i];
                case "--devs" -> devs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ObjectNode result;
        try {
            Benchmark bench = new Benchmark(quick, devs != null ? devs : quick ? 1 : 40);
            result = only == null ? bench.run() : bench.only(only);
        } catch (Exception | Error e) {
            // The stack's threads would keep the JVM alive after a failed run.
            e.printStackTrace();
            System.exit(1);
            return;
        }
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        System.out.println(text);
        if (jsonOut != null) {
            Files.writeString(jsonOut, text + "\n");
        }
        System.exit(0);
    }

    private ObjectNode run() throws Exception {
        Log.setQuiet(true);
        Path dir = Files.createTempDirectory("devtime-bench");
        ObjectNode out = JSON.createObjectNode();
        String load = uptime();
        try {
            // (0) A team's working day on its own stack and simulated clock, metered and priced; in a full run
            // also at larger requests, for the table of cost by heartbeats per request.
            // Sent slowly enough that handlers rarely share the 2 cores, since their durations are billed.
            RealisticPhase.Result day =
                    RealisticPhase.run(dir.resolve("realistic"), devs, RealisticPhase.SYNC_MINUTES, 50);
            progress(
                    "realistic: %d developers, %d heartbeats in %d requests, %.0f s",
                    day.devs(), day.heartbeats(), day.requests(), day.realSeconds());
            List<RealisticPhase.Result> byRequestSize = new ArrayList<>();
            byRequestSize.add(day);
            if (!quick) {
                for (int perRequest : new int[] {10, 25}) {
                    RealisticPhase.Result r =
                            RealisticPhase.run(dir.resolve("realistic-" + perRequest), devs, perRequest, 50);
                    byRequestSize.add(r);
                    progress(
                            "realistic, %d per request: %d requests, %.0f s",
                            perRequest, r.requests(), r.realSeconds());
                }
            }

            startStack(dir);
            long total = 0;

            // (1) A year of history for one user.
            String historyKey = user("history");
            long t0 = System.nanoTime();
            long historyBeats = history(historyKey, quick ? 30 : 365);
            awaitQueueEmpty();
            double historySeconds = (System.nanoTime() - t0) / 1e9;
            total += historyBeats;
            progress("history: %d heartbeats in %.1f s", historyBeats, historySeconds);

            // (2) Realistic traffic, metered.
            Metering.Snapshot before = Metering.snapshot();
            Realtime rt = realtime(quick ? 100 : 300, quick ? 20 : 60);
            awaitQueueEmpty();
            Metering.Snapshot spent = Metering.snapshot().minus(before);
            total += rt.heartbeats;
            progress("realtime: %d heartbeats, %d requests", rt.heartbeats, rt.latencies.size());

            // (2b) The sustained rate: 2,000 heartbeats a second, open loop, in requests of 25.
            ObjectNode sustained = sustained();

            // (3) Saturation.
            Saturation sat = saturate(quick ? 10 : 60);
            total += sat.accepted;
            progress("saturation: %d accepted in %.1f s, %d stored", sat.accepted, sat.seconds, sat.stored);

            // (4) The year query.
            yearQueries(out, historyKey);

            // (5) Teams.
            ObjectNode teams = teams(dir, day);

            List<Double> bulk25 = rt.latencies25.isEmpty() ? rt.latencies : rt.latencies25;
            out.put("heartbeats", total);
            out.put("ingest_rps", round(sat.requests / sat.seconds));
            out.put("ingest_p50_ms", round(percentile(bulk25, 50)));
            out.put("ingest_p99_ms", round(percentile(bulk25, 99)));
            out.put("visible_p99_ms", round(percentile(rt.visibleMs, 99)));
            out.put("write_units_per_heartbeat", round3(spent.writeUnits() / rt.heartbeats));
            out.put("read_units_per_heartbeat", round3(spent.readUnits() / rt.heartbeats));
            // What SQS bills in the pipeline: sends, the event source's receives and deletes (not our probes).
            long sqsBilled = spent.requests("Sqs.SendMessage")
                    + spent.requests("Sqs.ReceiveMessage")
                    + spent.requests("Sqs.DeleteMessage");
            out.put("sqs_requests_per_1000", round(sqsBilled * 1000.0 / rt.heartbeats));
            out.put("sustained_heartbeats_per_s", round(sat.stored / sat.secondsToStored));
            out.put("lost_heartbeats", sat.accepted - sat.stored + rt.lost);
            ObjectNode detail = out.putObject("detail");
            detail.put("history_heartbeats", historyBeats);
            detail.put("history_ingest_seconds", round(historySeconds));
            detail.put("realtime_requests", rt.latencies.size());
            detail.put("realtime_p99_ms_all_sizes", round(percentile(rt.latencies, 99)));
            detail.put("saturation_seconds", round(sat.seconds));
            ObjectNode req = detail.putObject("realtime_aws_requests");
            spent.requests().forEach(req::put);
            detail.put("cpus", Runtime.getRuntime().availableProcessors());
            detail.put("load_before", load);
            detail.put("load_after", uptime());
            detail.put("quick", quick);
            Reports.cost(out, day, byRequestSize);
            out.set("realistic", Reports.realistic(day));
            out.setAll(sustained);
            out.setAll(teams);
            return out;
        } finally {
            if (stack != null) {
                stack.close();
            }
            deleteTree(dir);
        }
    }

    /**
     * One goal's phase alone, on an otherwise idle stack, for work on that goal: {@code year} is phases (1)
     * and (4), {@code sustained} is (2b).
     */
    private ObjectNode only(String phase) throws Exception {
        if (!phase.equals("year") && !phase.equals("sustained") && !phase.equals("team")) {
            throw new IllegalArgumentException("--only takes year, sustained or team");
        }
        Log.setQuiet(true);
        Path dir = Files.createTempDirectory("devtime-bench");
        ObjectNode out = JSON.createObjectNode();
        out.put("load_before", uptime());
        try {
            if (phase.equals("team")) {
                RealisticPhase.Result alone =
                        RealisticPhase.run(dir.resolve("realistic"), devs, RealisticPhase.SYNC_MINUTES, 50);
                progress("realistic: %d developers, %d heartbeats", alone.devs(), alone.heartbeats());
                startStack(dir);
                out.setAll(teams(dir, alone));
                out.put("load_after", uptime());
                return out;
            }
            startStack(dir);
            if (phase.equals("year")) {
                String historyKey = user("history");
                long historyBeats = history(historyKey, 365);
                awaitQueueEmpty();
                progress("history: %d heartbeats", historyBeats);
                out.put("history_heartbeats", historyBeats);
                yearQueries(out, historyKey);
            } else {
                out.setAll(sustained());
            }
            out.put("load_after", uptime());
            return out;
        } finally {
            if (stack != null) {
                stack.close();
            }
            deleteTree(dir);
        }
    }

    /** The stack phases 1 to 4 share; rate limiting off: the benchmark measures the pipeline, not the per-user limit. */
    private void startStack(Path dir) throws Exception {
        stack = LocalDeployment.start(LocalDeployment.Options.defaults(dir.resolve("main"))
                .withPort(0)
                .withConfig(Wiring.Config.defaults().withRateLimit(0, 0)));
        base = stack.baseUrl();
    }

    /**
     * Phase (2b): 2,000 heartbeats a second for 60 s, open loop, in requests of 25, as live traffic (the goal)
     * and then as a backlog of yesterday's heartbeats; a short live run first warms the JIT up.
     */
    private ObjectNode sustained() throws Exception {
        ObjectNode out = JSON.createObjectNode();
        int users = quick ? 100 : 400;
        int seconds = quick ? 5 : 60;
        try (BenchHttp client = new BenchHttp(base)) {
            SustainedPhase.run(stack, client, "warmup", false, users, 2000, 25, quick ? 2 : 60);
            for (boolean backlog : new boolean[] {false, true}) {
                HandlerTimings.Mark mark = HandlerTimings.mark();
                SustainedPhase.Result r = SustainedPhase.run(
                        stack, client, backlog ? "backlog" : "live", backlog, users, 2000, 25, seconds);
                progress(
                        "sustained%s: %d heartbeats answered 201, %d stored, p99 %.1f ms",
                        backlog ? " (backlog)" : "", r.accepted(), r.stored(), percentile(r.latencyMs(), 99));
                out.set(
                        backlog ? "sustained_backlog" : "sustained",
                        Reports.sustained(r, HandlerTimings.since(mark), HandlerTimings.callsSince(mark)));
            }
        }
        return out;
    }

    /**
     * Phase (5): the working day of {@code alone}'s developers again, as one team whose members share a breakdown
     * (write units per heartbeat with and without), then the views of a team of 200 members with a year each on the
     * shared stack.
     */
    private ObjectNode teams(Path dir, RealisticPhase.Result alone) throws Exception {
        ObjectNode out = JSON.createObjectNode();
        RealisticPhase.Result inTeam =
                RealisticPhase.run(dir.resolve("realistic-team"), alone.devs(), alone.perRequest(), 50, true);
        progress("realistic, one team: %d heartbeats", inTeam.heartbeats());
        TeamPhase.Result t = TeamPhase.run(stack, 200, quick ? 35 : 365, quick ? 50 : 200, quick ? 10 : 50);
        progress(
                "team views: week %.1f read units, p99 %.1f ms; month %.1f read units",
                t.weekReadUnits(), t.weekP99Ms(), t.monthReadUnits());
        out.put("team_week_read_units", round3(t.weekReadUnits()));
        out.put("team_week_p50_ms", round(t.weekP50Ms()));
        out.put("team_week_p99_ms", round(t.weekP99Ms()));
        out.put("team_month_read_units", round3(t.monthReadUnits()));
        out.put("team_month_p99_ms", round(t.monthP99Ms()));
        out.put("write_units_per_heartbeat_without_team", round3(alone.usage().writeUnits() / alone.heartbeats()));
        out.put("write_units_per_heartbeat_in_team", round3(inTeam.usage().writeUnits() / inTeam.heartbeats()));
        // Exact, unlike the difference of the two runs (their aggregator batches differ with the machine's load).
        out.put(
                "team_member_day_writes_per_heartbeat",
                round3((double) inTeam.awsRequests().getOrDefault(dev.devtime.functions.team.TeamRows.WRITES, 0L)
                        / inTeam.heartbeats()));
        ObjectNode d = out.putObject("team_detail");
        d.put("members", t.members());
        d.put("days_per_member", t.days());
        d.put("member_days_written", t.rows());
        d.put("populate_seconds", round(t.populateSeconds()));
        d.put("week_views", t.weekQueries());
        d.put("month_views", t.monthQueries());
        d.put("working_day_developers", alone.devs());
        d.put("working_day_heartbeats_without_team", alone.heartbeats());
        d.put("working_day_heartbeats_in_team", inTeam.heartbeats());
        d.put("read_units_per_heartbeat_without_team", round3(alone.usage().readUnits() / alone.heartbeats()));
        d.put("read_units_per_heartbeat_in_team", round3(inTeam.usage().readUnits() / inTeam.heartbeats()));
        return out;
    }

    /**
     * The year query. The first one after the history builds the month rollups (once per month, and again
     * only when a late heartbeat changes one): reported on its own, then 200 as a dashboard would repeat them.
     */
    private void yearQueries(ObjectNode out, String key) {
        Metering.Snapshot first0 = Metering.snapshot();
        long firstStart = System.nanoTime();
        yearQuery(key);
        double firstMs = (System.nanoTime() - firstStart) / 1e6;
        Metering.Snapshot firstSpent = Metering.snapshot().minus(first0);
        Metering.Snapshot q0 = Metering.snapshot();
        List<Double> queryMs = new ArrayList<>();
        int queries = quick ? 50 : 200;
        for (int i = 0; i < queries; i++) {
            long s = System.nanoTime();
            yearQuery(key);
            queryMs.add((System.nanoTime() - s) / 1e6);
        }
        Metering.Snapshot qSpent = Metering.snapshot().minus(q0);
        out.put("year_query_read_units", round3(qSpent.readUnits() / queries));
        out.put("year_query_p50_ms", round(percentile(queryMs, 50)));
        out.put("year_query_p99_ms", round(percentile(queryMs, 99)));
        out.put("year_query_first_ms", round(firstMs));
        out.put("year_query_first_read_units", round3(firstSpent.readUnits()));
        out.put("year_query_first_write_units", round3(firstSpent.writeUnits()));
    }

    // ---- phases

    private long history(String key, int days) throws Exception {
        Random random = new Random(7);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<String> batch = new ArrayList<>();
        List<Future<HttpResponse<String>>> pending = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long count = 0;
        String[] projects = {"devtime", "website", "infra", "notes"};
        String[] languages = {"Java", "TypeScript", "Go", "Markdown"};
        for (int d = days; d >= 1; d--) {
            LocalDate day = today.minusDays(d);
            long start = day.atTime(9, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
            int p = random.nextInt(projects.length);
            for (long t = start; t < start + 8 * 3_600_000L; t += 30_000 + random.nextInt(10_000)) {
                if (random.nextInt(40) == 0) {
                    p = random.nextInt(projects.length);
                }
                boolean ai = random.nextInt(4) == 0;
                batch.add(item(t, projects[p], languages[p], ai));
                count++;
                if (batch.size() == 25) {
                    String body = "[" + String.join(",", batch) + "]";
                    pending.add(pool.submit(() -> post("/api/v1/users/current/heartbeats.bulk", key, body)));
                    batch.clear();
                }
            }
            drain(pending, 64);
        }
        if (!batch.isEmpty()) {
            String body = "[" + String.join(",", batch) + "]";
            pending.add(pool.submit(() -> post("/api/v1/users/current/heartbeats.bulk", key, body)));
        }
        drain(pending, 0);
        pool.shutdown();
        return count;
    }

    private record Realtime(
            long heartbeats, long lost, List<Double> latencies, List<Double> latencies25, List<Double> visibleMs) {}

    /**
     * Users sending plugin-like batches: each user about one request every 10 s, 1-25 heartbeats 30 s apart
     * ending now (a plugin flushing its buffer). One probe user measures how soon a heartbeat shows.
     */
    private Realtime realtime(int users, int seconds) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            keys.add(user("rt-" + i));
        }
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        List<Double> latencies25 = Collections.synchronizedList(new ArrayList<>());
        AtomicLong beats = new AtomicLong();
        long end = System.currentTimeMillis() + seconds * 1000L;
        int workers = 8;
        double requestsPerSecond = users / 10.0;
        long pauseMs = (long) (workers * 1000 / requestsPerSecond);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            running.add(pool.submit(() -> {
                Random random = new Random(worker);
                while (System.currentTimeMillis() < end) {
                    long started = System.currentTimeMillis();
                    String key = keys.get(random.nextInt(keys.size()));
                    int n = random.nextInt(4) == 0 ? 25 : 1 + random.nextInt(25);
                    List<String> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        items.add(item(
                                started - (n - 1 - i) * 30_000L - random.nextInt(1000),
                                "project-" + random.nextInt(3),
                                "Java",
                                false));
                    }
                    long s = System.nanoTime();
                    HttpResponse<String> r =
                            post("/api/v1/users/current/heartbeats.bulk", key, "[" + String.join(",", items) + "]");
                    double ms = (System.nanoTime() - s) / 1e6;
                    if (r.statusCode() == 202) {
                        latencies.add(ms);
                        if (n == 25) {
                            latencies25.add(ms);
                        }
                        beats.addAndGet(n);
                    }
                    sleep(Math.max(0, pauseMs - (System.currentTimeMillis() - started)));
                }
                return null;
            }));
        }
        // The probe: one heartbeat at a time, then poll its sessions until the count includes it.
        String probe = user("probe");
        List<Double> visible = new ArrayList<>();
        long probeCount = 0;
        long lost = 0;
        while (System.currentTimeMillis() < end) {
            long now = System.currentTimeMillis();
            long s = System.nanoTime();
            if (post("/api/v1/users/current/heartbeats.bulk", probe, "[" + item(now, "probe", "Java", false) + "]")
                            .statusCode()
                    != 202) {
                continue;
            }
            probeCount++;
            long deadline = System.currentTimeMillis() + 30_000;
            boolean seen = false;
            while (System.currentTimeMillis() < deadline) {
                if (sessionHeartbeats(probe) >= probeCount) {
                    seen = true;
                    break;
                }
                sleep(25);
            }
            if (seen) {
                visible.add((System.nanoTime() - s) / 1e6);
            } else {
                lost++;
            }
            sleep(200);
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        return new Realtime(beats.get() + probeCount, lost, latencies, latencies25, visible);
    }

    private record Saturation(long accepted, long requests, double seconds, long stored, double secondsToStored) {}

    /**
     * 25-item requests from many threads, unpaced, spread over many users and a working day each (a
     * single user sending thousands a second is not what the system is for: the rate limit stops it);
     * then wait for the queue to drain and count what is stored.
     */
    private Saturation saturate(int seconds) throws Exception {
        int users = quick ? 100 : 400;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            keys.add(user("sat-" + i));
        }
        AtomicLong accepted = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        long startNs = System.nanoTime();
        long end = System.currentTimeMillis() + seconds * 1000L;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 16; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                long seq = 0;
                while (System.currentTimeMillis() < end) {
                    String key = keys.get((int) ((worker + seq) % users));
                    List<String> items = new ArrayList<>();
                    long t = System.currentTimeMillis()
                            - 9 * 3_600_000L
                            + (worker * 1_000_003L + seq * 25_000L) % (8 * 3_600_000L);
                    for (int i = 0; i < 25; i++) {
                        // A distinct entity per heartbeat: every accepted heartbeat must be stored once.
                        items.add(item(t + i * 1_000L, "p" + (seq % 5), "Go", false)
                                .replace("/src/Main.go", "/src/W" + worker + "S" + seq + "I" + i + ".go"));
                    }
                    seq++;
                    HttpResponse<String> r =
                            post("/api/v1/users/current/heartbeats.bulk", key, "[" + String.join(",", items) + "]");
                    requests.incrementAndGet();
                    if (r.statusCode() == 202) {
                        JsonNode resp = JSON.readTree(r.body()).get("responses");
                        for (JsonNode tuple : resp) {
                            if (tuple.get(1).asInt() == 201) {
                                accepted.incrementAndGet();
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        double sendSeconds = (System.nanoTime() - startNs) / 1e9;
        awaitQueueEmpty();
        double storedSeconds = (System.nanoTime() - startNs) / 1e9;
        long stored = 0;
        for (String key : keys) {
            stored += TableReads.storedHeartbeats(stack, userOfKey.get(key));
        }
        return new Saturation(accepted.get(), requests.get(), sendSeconds, stored, storedSeconds);
    }

    // ---- helpers

    private final Map<String, String> userOfKey = new java.util.concurrent.ConcurrentHashMap<>();

    private String user(String name) {
        String key = ApiKeys.generate();
        stack.seedKey("bench-" + name, key, "bench");
        userOfKey.put(key, "bench-" + name);
        return key;
    }

    private long sessionHeartbeats(String key) {
        try {
            HttpResponse<String> r = get("/api/sessions?range=today", key);
            long n = 0;
            for (JsonNode s : JSON.readTree(r.body()).get("sessions")) {
                n += s.get("heartbeat_count").asLong();
            }
            return n;
        } catch (Exception e) {
            return -1;
        }
    }

    private static String item(long timeMs, String project, String language, boolean ai) {
        String s = "{\"entity\":\"/home/dev/" + project + "/src/Main." + language.toLowerCase()
                + "\",\"type\":\"file\","
                + "\"category\":\"" + (ai ? "ai coding" : "coding") + "\",\"time\":" + (timeMs / 1000.0)
                + ",\"project\":\""
                + project + "\",\"language\":\"" + language + "\",\"branch\":\"main\",\"is_write\":true,\"lines\":240,"
                + "\"lineno\":12,\"cursorpos\":4";
        if (ai) {
            s +=
                    ",\"tool\":\"claude-code\",\"ai_input_tokens\":1200,\"ai_output_tokens\":300,\"ai_model\":\"claude-sonnet-4-5\"";
        }
        return s + ",\"user_agent\":\"" + UA + "\"}";
    }

    private HttpResponse<String> post(String path, String key, String body) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(60))
                            .header(
                                    "Authorization",
                                    "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))
                            .header("Content-Type", "application/json")
                            .header("X-Machine-Name", "bench")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path, String key) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(60))
                            .header(
                                    "Authorization",
                                    "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitQueueEmpty() {
        stack.awaitDrained(Duration.ofMinutes(30));
    }

    private static void drain(List<Future<HttpResponse<String>>> pending, int keep) throws Exception {
        while (pending.size() > keep) {
            HttpResponse<String> r = pending.remove(0).get();
            if (r.statusCode() != 202) {
                throw new IllegalStateException("bulk request failed: " + r.statusCode() + " " + r.body());
            }
        }
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** The machine's load when the run starts: other work on a shared machine moves every figure. */
    private static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return text;
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private void yearQuery(String key) {
        HttpResponse<String> r = get("/api/stats?range=year", key);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("year query failed: " + r.body());
        }
    }

    static void progress(String format, Object... args) {
        System.err.println("[bench] " + String.format(format, args));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (Exception ignored) {
            // a temp folder; the OS cleans up what is left
        }
    }
}
