package dev.devtime.coldstart.runner;

import dev.devtime.functions.queue.QueueMessage;
import dev.devtime.functions.store.Gzip;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.DayRollupCodec;
import dev.devtime.model.time.TimeAccounting;
import dev.devtime.model.time.Timeline;
import dev.devtime.model.wire.HeartbeatCodec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregator's own CPU work over many SQS batches in one JVM, as a warm Lambda container does it
 * between its DynamoDB calls: each message is gunzipped and parsed ({@code QueueMessage.decode}); the
 * 15-minute buckets it touches are read back (gunzip, parse), merged, encoded and gzipped as
 * {@code BucketStore} stores them; then the user's day so far is read from its buckets and rolled up and
 * encoded. Twenty users each send 4 heartbeats a minute; a batch holds one message of each, and each batch
 * is the next minute of their day, so the days (and their recomputes) grow as on a team's working day.
 * The messages are made before the clock starts, which also warms the encoding code as SnapStart's
 * priming does before the snapshot. The DynamoDB round trips are left out: they cost the same whatever
 * the JIT.
 *
 * <p>Used to choose the aggregator's JIT flags: run in fresh JVMs with Lambda's flags, with and without
 * {@code -XX:TieredStopAtLevel=1}. Prints, after batch 1, 10, 100 and the last, the wall and CPU
 * milliseconds since the first batch started.
 *
 * <p>Usage: {@code AggregatorBatches <batches>} on the class path of the aggregator's deployment jar.
 */
public final class AggregatorBatches {

    static final int USERS = 20;
    static final int PER_MESSAGE = 4;
    static final long BUCKET_MS = 15 * 60_000L;
    static final long DAY_START = 1_795_000_000_000L;

    private AggregatorBatches() {}

    public static void main(String[] args) {
        int batches = Integer.parseInt(args[0]);
        Timing settings = Timing.defaults();
        Map<String, TreeMap<Long, byte[]>> buckets = new HashMap<>();
        List<List<String>> input = new ArrayList<>();
        for (int b = 1; b <= batches; b++) {
            input.add(batch(b));
        }
        long startWall = System.nanoTime();
        long startCpu = LambdaRunner.cpuNanos();
        long checksum = 0;
        for (int b = 1; b <= batches; b++) {
            for (String body : input.get(b - 1)) {
                QueueMessage m = QueueMessage.decode(body);
                TreeMap<Long, byte[]> userBuckets = buckets.computeIfAbsent(m.userId(), u -> new TreeMap<>());
                Map<Long, List<Heartbeat>> touched = new TreeMap<>();
                for (Heartbeat h : m.heartbeats()) {
                    touched.computeIfAbsent(h.timeMs() - h.timeMs() % BUCKET_MS, k -> new ArrayList<>())
                            .add(h);
                }
                for (var e : touched.entrySet()) {
                    byte[] stored = userBuckets.get(e.getKey());
                    List<Heartbeat> merged = new ArrayList<>(
                            stored == null ? List.of() : HeartbeatCodec.decode(Gzip.decompress(stored)));
                    merged.addAll(e.getValue());
                    userBuckets.put(e.getKey(), Gzip.compress(HeartbeatCodec.encode(Timeline.of(merged))));
                }
                LocalDate day = TimeAccounting.dayOf(m.heartbeats().get(0).timeMs(), settings.zone());
                List<Heartbeat> dayHeartbeats = new ArrayList<>();
                for (byte[] stored : userBuckets.values()) {
                    dayHeartbeats.addAll(HeartbeatCodec.decode(Gzip.decompress(stored)));
                }
                checksum += DayRollupCodec.encode(TimeAccounting.day(Timeline.of(dayHeartbeats), day, settings)).length;
            }
            if (b == 1 || b == 10 || b == 100 || b == batches) {
                System.out.printf(
                        "batches=%d wall_ms=%d cpu_ms=%d%n",
                        b,
                        (System.nanoTime() - startWall) / 1_000_000,
                        (LambdaRunner.cpuNanos() - startCpu) / 1_000_000);
            }
        }
        System.out.println("checksum=" + checksum);
    }

    /** Batch {@code b}: one message per user as ingest queues it, minute {@code b} of their day. */
    static List<String> batch(int b) {
        List<String> bodies = new ArrayList<>();
        for (int user = 0; user < USERS; user++) {
            List<Heartbeat> hbs = new ArrayList<>();
            for (int j = 0; j < PER_MESSAGE; j++) {
                long t = DAY_START + (long) b * 60_000 + j * 15_000L + user * 100L;
                hbs.add(Heartbeat.builder(t)
                        .tool(j % 3 == 0 ? "claude-code" : "vscode")
                        .editor("VS Code")
                        .os("Linux")
                        .machine("laptop-" + user)
                        .project("project-" + (b / 30 + user) % 4)
                        .branch("main")
                        .entity("/home/dev/project/src/module" + j % 5 + "/File" + (b + j) % 17 + ".java")
                        .type("file")
                        .category("coding")
                        .language(j % 4 == 0 ? "TypeScript" : "Java")
                        .isWrite(j % 6 == 0)
                        .lines(120 + j)
                        .lineno(10 + j)
                        .cursorpos(3)
                        .build());
            }
            bodies.add(QueueMessage.heartbeats("user-" + user, hbs, DAY_START + (long) b * 60_000)
                    .encode());
        }
        return bodies;
    }
}
