package dev.devtime.local.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.aws.Metering;
import dev.devtime.local.LocalDeployment;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A team's working day ({@link RealisticTraffic}) through a fresh stack of its own whose handlers run on
 * simulated time ({@link SimClock}), sent open-loop at each request's simulated moment. Everything the day
 * spends is metered: gateway requests, handler invocations and their measured durations, SQS requests in
 * 64 KB chunks, DynamoDB units, and the bytes the day leaves in the table. Afterwards each developer's day is
 * read back through the stats API and compared with what the heartbeats imply.
 */
final class RealisticPhase {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The deployed event source mapping's batching window (cdk-app LocalDeployment.BATCH_WINDOW). */
    static final Duration AWS_BATCH_WINDOW = Duration.ofSeconds(5);

    static final int AWS_MAX_BATCH = 100;
    /** wakatime-cli's default heartbeat_rate_limit_seconds: one sync per two minutes. */
    static final int SYNC_MINUTES = 2;

    /**
     * @param heartbeats      accepted (answered 201 inside a 202)
     * @param usage           what the day used, all of it
     * @param storedBytes     bytes billed for storage (items + 100 each) in the developers' partitions
     * @param functions       per function: invocations and measured durations
     * @param daysChecked     developers whose stats total was read back
     * @param daysMatching    of those, totals within a second of what the heartbeats imply
     * @param maxDiffSeconds  the largest difference seen
     */
    record Result(
            int devs,
            int perRequest,
            long requests,
            long heartbeats,
            long rejected,
            CostModel.Usage usage,
            long storedBytes,
            long storedItems,
            Map<String, HandlerTimings.Summary> functions,
            List<Double> postMs,
            List<Double> statusbarMs,
            double speed,
            int batchSize,
            Duration batchWindow,
            QueueTraffic.Snapshot queue,
            Map<String, Long> awsRequests,
            int daysChecked,
            int daysMatching,
            double maxDiffSeconds,
            double expectedSecondsPerDev,
            LocalDate day,
            double realSeconds) {}

    private RealisticPhase() {}

    /** Last week's Monday: a past working day, complete by the time it is checked. */
    static LocalDate pastWorkingDay() {
        return LocalDate.now(ZoneOffset.UTC)
                .with(TemporalAdjusters.previous(DayOfWeek.MONDAY))
                .minusWeeks(1);
    }

    /**
     * @param postsPerSecond how fast the simulated day is sent (real requests per second of ingest POSTs)
     */
    static Result run(Path dir, int devs, int perRequest, double postsPerSecond) throws Exception {
        return run(dir, devs, perRequest, postsPerSecond, false);
    }

    /** @param inTeam the developers are one team, each sharing a breakdown, so the aggregator keeps its copies */
    static Result run(Path dir, int devs, int perRequest, double postsPerSecond, boolean inTeam) throws Exception {
        LocalDate day = pastWorkingDay();
        RealisticTraffic.Day traffic = RealisticTraffic.generate(devs, day, perRequest, 42);
        List<RealisticTraffic.Request> requests = traffic.requests();
        double simSeconds = RealisticTraffic.WORK_MINUTES * 60.0;
        double speed = postsPerSecond * simSeconds / requests.size();
        long simStart = requests.get(0).timeMs() - 1000;
        SimClock clock = new SimClock(simStart);

        // The aggregator sees batches as the deployed mapping would at this team's real request rate: what
        // arrives within one 5 s window, the window itself compressed like the rest of time.
        double realRequestsPerSecond = devs * 2.0 / (perRequest * 60.0);
        int batchSize = (int)
                Math.max(1, Math.min(AWS_MAX_BATCH, Math.ceil(realRequestsPerSecond * AWS_BATCH_WINDOW.toSeconds())));
        Duration window = Duration.ofMillis(Math.max(1, (long) (AWS_BATCH_WINDOW.toMillis() / speed)));
        LocalDeployment.Options o = LocalDeployment.Options.defaults(dir)
                .withPort(0)
                .withBatching(batchSize, window, 2)
                .withClock(clock);
        try (LocalDeployment stack = LocalDeployment.start(o);
                BenchHttp http = new BenchHttp(stack.baseUrl())) {
            String[] keys = new String[devs];
            for (int i = 0; i < devs; i++) {
                keys[i] = ApiKeys.generate();
                stack.seedKey(userId(i), keys[i], "bench");
            }
            if (inTeam) {
                TeamPhase.formTeam(stack, "bench-day-team", devs, RealisticPhase::userId, clock.millis());
            }
            Metering.Snapshot m0 = Metering.snapshot();
            HandlerTimings.Mark t0 = HandlerTimings.mark();
            QueueTraffic.Snapshot q0 = QueueTraffic.snapshot();

            List<Double> postMs = Collections.synchronizedList(new ArrayList<>());
            List<Double> statusbarMs = Collections.synchronizedList(new ArrayList<>());
            AtomicLong accepted = new AtomicLong();
            AtomicLong rejected = new AtomicLong();
            AtomicLong gets = new AtomicLong();
            long realStart = System.nanoTime();
            clock.run(simStart, speed);
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<?>> running = new ArrayList<>();
            for (RealisticTraffic.Request q : requests) {
                long due = clock.realNanosAt(q.timeMs());
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                running.add(pool.submit(() -> {
                    String ua = q.editor() ? RealisticTraffic.EDITOR_UA : RealisticTraffic.CLAUDE_UA;
                    String machine = "dev" + q.dev() + "-laptop";
                    HttpResponse<String> r =
                            http.post("/api/v1/users/current/heartbeats.bulk", keys[q.dev()], q.body(), ua, machine);
                    // Latency from the moment the request was due: a late start is the system's delay too.
                    postMs.add((System.nanoTime() - due) / 1e6);
                    if (r.statusCode() != 202) {
                        throw new IllegalStateException(
                                "realistic request answered " + r.statusCode() + ": " + r.body());
                    }
                    for (JsonNode tuple : JSON.readTree(r.body()).get("responses")) {
                        (tuple.get(1).asInt() == 201 ? accepted : rejected).incrementAndGet();
                    }
                    if (q.editor()) {
                        // The editor's status bar asks for today's total after a sync, as DevTime's VS Code extension
                        // does.
                        long s = System.nanoTime();
                        HttpResponse<String> today =
                                http.get("/api/v1/users/current/statusbar/today", keys[q.dev()], ua, machine);
                        statusbarMs.add((System.nanoTime() - s) / 1e6);
                        gets.incrementAndGet();
                        if (today.statusCode() != 200) {
                            throw new IllegalStateException(
                                    "statusbar answered " + today.statusCode() + ": " + today.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            pool.shutdown();
            Benchmark.progress(
                    "realistic: sent %d requests in %.1f s (planned %.1f s); aggregating",
                    requests.size(), (System.nanoTime() - realStart) / 1e9, simSeconds / speed);
            stack.awaitDrained(Duration.ofMinutes(20));
            double realSeconds = (System.nanoTime() - realStart) / 1e9;

            Metering.Snapshot spent = Metering.snapshot().minus(m0);
            Map<String, HandlerTimings.Summary> functions = HandlerTimings.since(t0);
            QueueTraffic.Snapshot queue = QueueTraffic.snapshot().minus(q0);

            long invocations = functions.values().stream()
                    .mapToLong(HandlerTimings.Summary::invocations)
                    .sum();
            long billedMs = functions.values().stream()
                    .mapToLong(HandlerTimings.Summary::billedMs)
                    .sum();
            // SQS as AWS would bill the pipeline: sends (plus any extra 64 KB chunks), receives that brought
            // messages, in chunks, and deletes. The local poller's empty receives are not AWS's; the idle polling
            // of Lambda's pollers is priced separately.
            long sqs = spent.requests("Sqs.SendMessage")
                    + (queue.messageChunks() - queue.messages())
                    + (queue.receiveChunks() - queue.emptyReceives())
                    + spent.requests("Sqs.DeleteMessage");
            CostModel.Usage usage = new CostModel.Usage(
                    requests.size() + gets.get(), invocations, billedMs, sqs, spent.writeUnits(), spent.readUnits(), 0);

            // The evening after: the day is over, and read back.
            clock.freezeAt(
                    day.plusDays(1).atTime(6, 0).toInstant(ZoneOffset.UTC).toEpochMilli());
            int matching = 0;
            double maxDiff = 0;
            double expectedTotal = 0;
            for (int i = 0; i < devs; i++) {
                HttpResponse<String> r =
                        http.get("/api/stats?start=" + day + "&end=" + day, keys[i], RealisticTraffic.EDITOR_UA, null);
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("stats answered " + r.statusCode() + ": " + r.body());
                }
                double got = JSON.readTree(r.body()).get("total_seconds").asDouble();
                double expected =
                        RealisticTraffic.expectedMillis(traffic.heartbeatTimes()[i], RealisticTraffic.TIMEOUT_MS)
                                / 1000.0;
                expectedTotal += expected;
                double diff = Math.abs(got - expected);
                maxDiff = Math.max(maxDiff, diff);
                if (diff < 1) {
                    matching++;
                }
            }
            long bytes = 0;
            long items = 0;
            for (int i = 0; i < devs; i++) {
                long[] b = TableReads.partitionBytes(stack, userId(i));
                bytes += b[0];
                items += b[1];
            }
            return new Result(
                    devs,
                    perRequest,
                    requests.size(),
                    accepted.get(),
                    rejected.get(),
                    usage,
                    bytes,
                    items,
                    functions,
                    postMs,
                    statusbarMs,
                    speed,
                    batchSize,
                    window,
                    queue,
                    spent.requests(),
                    devs,
                    matching,
                    maxDiff,
                    expectedTotal / devs,
                    day,
                    realSeconds);
        }
    }

    static String userId(int dev) {
        return "bench-team-" + dev;
    }
}
