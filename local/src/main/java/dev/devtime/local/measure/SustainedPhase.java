package dev.devtime.local.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.local.LocalDeployment;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load at a fixed rate: a request of {@code perRequest} heartbeats every 1/rate seconds whatever
 * the answers take, so a slow answer delays nothing behind it and is measured from when its request was due
 * (no coordinated omission). Afterwards: how long the queue took to drain, and whether every heartbeat
 * answered 201 is stored.
 *
 * <p>Live traffic sends heartbeats of the last few minutes, as plugins do, so their days are still open and
 * the aggregator only merges buckets. A backlog sends yesterday's, as offline queues do after a day away:
 * every batch then also recomputes and stores its day, the aggregator's most expensive path.
 */
final class SustainedPhase {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param latencyMs       per request, from when it was due to its answer
     * @param serviceMs       per request, from when it was sent to its answer
     * @param achievedPerS    heartbeats sent per second over the sending time
     * @param drainedSeconds  from the first request until everything was aggregated
     */
    record Result(
            double targetPerS,
            double achievedPerS,
            long requests,
            long accepted,
            long stored,
            long failedRequests,
            List<Double> latencyMs,
            List<Double> serviceMs,
            double sendSeconds,
            double drainedSeconds) {}

    private SustainedPhase() {}

    /** @param name distinguishes this run's users from earlier runs' on the same stack */
    static Result run(
            LocalDeployment stack,
            BenchHttp http,
            String name,
            boolean backlog,
            int users,
            double heartbeatsPerSecond,
            int perRequest,
            int seconds)
            throws Exception {
        String[] keys = new String[users];
        for (int i = 0; i < users; i++) {
            keys[i] = ApiKeys.generate();
            stack.seedKey(userId(name, i), keys[i], "bench");
        }
        double requestsPerSecond = heartbeatsPerSecond / perRequest;
        long total = (long) (requestsPerSecond * seconds);
        long intervalNanos = (long) (1e9 / requestsPerSecond);
        // Each user's heartbeats go forward one a second, so all are accepted and distinct: from yesterday
        // morning for a backlog, else ending a minute before now.
        long perUserSeconds = total * perRequest / users + perRequest;
        long base = System.currentTimeMillis() - (backlog ? 30 * 3_600_000L : (perUserSeconds + 60) * 1000);
        AtomicLongArray nextSecond = new AtomicLongArray(users);
        List<Double> latency = Collections.synchronizedList(new ArrayList<>());
        List<Double> service = Collections.synchronizedList(new ArrayList<>());
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int user = (int) (i % users);
            long first = nextSecond.getAndAdd(user, perRequest);
            StringBuilder body = new StringBuilder("[");
            for (int k = 0; k < perRequest; k++) {
                long t = base + (first + k) * 1000;
                body.append(k == 0 ? "" : ",")
                        .append("{\"entity\":\"/home/dev/load/src/F")
                        .append(first + k)
                        .append(".go\",\"type\":\"file\",\"category\":\"coding\",\"time\":")
                        .append(t / 1000.0)
                        .append(
                                ",\"project\":\"load\",\"language\":\"Go\",\"branch\":\"main\",\"is_write\":false,\"lines\":120}");
            }
            String b = body.append("]").toString();
            running.add(pool.submit(() -> {
                long sent = System.nanoTime();
                HttpResponse<String> r = http.post(
                        "/api/v1/users/current/heartbeats.bulk", keys[user], b, RealisticTraffic.EDITOR_UA, "load");
                long done = System.nanoTime();
                latency.add((done - due) / 1e6);
                service.add((done - sent) / 1e6);
                if (r.statusCode() != 202) {
                    failed.incrementAndGet();
                    return null;
                }
                for (JsonNode tuple : JSON.readTree(r.body()).get("responses")) {
                    if (tuple.get(1).asInt() == 201) {
                        accepted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        stack.awaitDrained(Duration.ofMinutes(20));
        double drainedSeconds = (System.nanoTime() - start) / 1e9;
        long stored = 0;
        for (int i = 0; i < users; i++) {
            stored += TableReads.storedHeartbeats(stack, userId(name, i));
        }
        return new Result(
                heartbeatsPerSecond,
                total * perRequest / sendSeconds,
                total,
                accepted.get(),
                stored,
                failed.get(),
                latency,
                service,
                sendSeconds,
                drainedSeconds);
    }

    private static String userId(String name, int i) {
        return "bench-" + name + "-" + i;
    }
}
