package dev.devtime.local.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load against a running DevTime on this machine (see {@code local/load.sh}): bulk heartbeat requests
 * from several users at once, bounded by a request count and a time limit, whichever comes first; then
 * waits for the pipeline and counts what was stored. Reports the sustained request and heartbeat rate,
 * latency percentiles, status counts and loss (heartbeats answered 201 but not stored). With
 * {@code --fuzz N}, also sends N malformed or hostile bodies and fails on any 5xx.
 *
 * <p>Loopback only: it refuses any URL whose host is not a loopback address. Exit code 1 on loss or 5xx.
 */
public final class LoadRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UA =
            "wakatime/v1.73.0 (linux-5.15.0-x86_64) go1.20.5 vscode/1.80.0 vscode-wakatime/24.2.0";
    private static final String BULK = "/api/v1/users/current/heartbeats.bulk";
    private static final int MAX_REQUESTS = 200_000;
    private static final int MAX_SECONDS = 900;

    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8080";
        List<String> keys = new ArrayList<>();
        int requests = 5_000;
        int seconds = 60;
        int concurrency = 8;
        int batch = 10;
        int fuzz = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--key" -> keys.add(args[++i]);
                case "--requests" -> requests = Math.min(MAX_REQUESTS, Integer.parseInt(args[++i]));
                case "--seconds" -> seconds = Math.min(MAX_SECONDS, Integer.parseInt(args[++i]));
                case "--concurrency" -> concurrency = Math.max(1, Math.min(64, Integer.parseInt(args[++i])));
                case "--batch" -> batch = Math.max(1, Math.min(25, Integer.parseInt(args[++i])));
                case "--fuzz" -> fuzz = Math.min(1_000_000, Integer.parseInt(args[++i]));
                default ->
                    throw new IllegalArgumentException("unknown option " + args[i]
                            + "; options: --url --key (repeat) --requests --seconds --concurrency --batch --fuzz");
            }
        }
        URI base = URI.create(url);
        if (base.getHost() == null || !InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
            System.err.println("error: " + url + " is not on this machine; the load run only targets loopback");
            System.exit(2);
        }
        if (keys.isEmpty()) {
            System.err.println("error: give at least one --key");
            System.exit(2);
        }
        boolean ok = new LoadRun(url, keys).run(requests, seconds, concurrency, batch);
        if (fuzz > 0) {
            ok &= fuzz(url, keys.get(0), fuzz, seconds);
        }
        System.exit(ok ? 0 : 1);
    }

    private final String url;
    private final List<String> auths = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    private final long dayStart = day.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    /** A run id spreads runs over the day so a second run against the same data adds new heartbeats. */
    private final long runOffsetMs = (System.currentTimeMillis() / 1000 % 86_000) * 1000;

    private LoadRun(String url, List<String> keys) {
        this.url = url;
        keys.forEach(k -> auths.add("Basic " + Base64.getEncoder().encodeToString(k.getBytes(StandardCharsets.UTF_8))));
    }

    private boolean run(int requests, int seconds, int concurrency, int batch) throws Exception {
        int users = auths.size();
        AtomicInteger next = new AtomicInteger();
        AtomicLong[] perUser = new AtomicLong[users];
        Arrays.setAll(perUser, i -> new AtomicLong());
        long[] latencies = new long[requests];
        AtomicInteger done = new AtomicInteger();
        ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ConcurrentHashMap<Integer, AtomicLong> acceptedPerUser = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        for (int t = 0; t < concurrency; t++) {
            pool.submit(() -> {
                int r;
                while ((r = next.getAndIncrement()) < requests && System.nanoTime() < deadline) {
                    int user = r % users;
                    long first = perUser[user].getAndAdd(batch);
                    StringBuilder body = new StringBuilder("[");
                    for (int i = 0; i < batch; i++) {
                        // 100 ms apart within the day: unique identities, a day holds 864,000 per user.
                        long time = dayStart + (runOffsetMs + (first + i) * 100) % 86_400_000L;
                        body.append(i == 0 ? "" : ",")
                                .append("{\"entity\":\"/load/src/F")
                                .append((first + i) % 50)
                                .append(".java\",\"type\":\"file\",\"category\":\"coding\",\"time\":")
                                .append(time / 1000.0)
                                .append(",\"project\":\"load\",\"language\":\"Java\",\"is_write\":false}");
                    }
                    long t0 = System.nanoTime();
                    int status;
                    int accepted = 0;
                    try {
                        HttpResponse<String> resp = http.send(
                                HttpRequest.newBuilder(URI.create(url + BULK))
                                        .timeout(Duration.ofSeconds(30))
                                        .header("Authorization", auths.get(user))
                                        .header("Content-Type", "application/json")
                                        .header("User-Agent", UA)
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                body.append("]").toString()))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        status = resp.statusCode();
                        if (status == 202) {
                            for (JsonNode tuple : JSON.readTree(resp.body()).get("responses")) {
                                accepted += tuple.get(1).asInt() == 201 ? 1 : 0;
                            }
                        }
                    } catch (Exception e) {
                        status = -1;
                    }
                    latencies[r] = System.nanoTime() - t0;
                    done.incrementAndGet();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    acceptedPerUser.computeIfAbsent(user, u -> new AtomicLong()).addAndGet(accepted);
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - started) / 1e9;
        int n = done.get();
        long[] sorted = Arrays.copyOf(latencies, Math.min(n, requests));
        Arrays.sort(sorted);
        long accepted =
                acceptedPerUser.values().stream().mapToLong(AtomicLong::get).sum();
        System.out.printf(
                "requests: %d in %.1f s = %.0f req/s, %.0f heartbeats/s accepted (%d users, %d per request, %d at once)%n",
                n, elapsed, n / elapsed, accepted / elapsed, users, batch, concurrency);
        System.out.printf(
                "latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
                pct(sorted, 50),
                pct(sorted, 90),
                pct(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        System.out.println(
                "statuses: " + new TreeMap<>(statuses) + "   (-1: no answer; 429: rate limit, retried by clients)");

        // Loss: heartbeats answered 201 that the read API does not return once the queue has drained.
        long stored = 0;
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int u = 0; u < users; u++) {
            long want = acceptedPerUser.getOrDefault(u, new AtomicLong()).get();
            long have = 0;
            while (true) {
                have = storedFor(u);
                if (have >= want || System.nanoTime() > waitUntil) {
                    break;
                }
                Thread.sleep(500);
            }
            stored += Math.min(have, want);
        }
        long lost = accepted - stored;
        System.out.printf(
                "pipeline: %d heartbeats accepted, %d stored and readable, %d lost (%.1f s after the last request)%n",
                accepted, stored, lost, (System.nanoTime() - started) / 1e9 - elapsed);
        boolean fiveHundreds = statuses.keySet().stream().anyMatch(s -> s >= 500);
        return lost == 0 && !fiveHundreds;
    }

    /** This run's heartbeats of the day that the WakaTime read route returns for user {@code u}. */
    private long storedFor(int u) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url + "/api/v1/users/current/heartbeats?date=" + day))
                        .header("Authorization", auths.get(u))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return 0;
        }
        long count = 0;
        for (JsonNode h : JSON.readTree(r.body()).get("data")) {
            count += "load".equals(h.path("project").asText()) ? 1 : 0;
        }
        return count;
    }

    private static double pct(long[] sorted, int p) {
        return sorted.length == 0
                ? 0
                : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** Hostile bodies over HTTP: every answer must be below 500. */
    private static boolean fuzz(String url, String key, int count, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
        Random random = new Random(42);
        String[] paths = {BULK, "/api/v1/users/current/heartbeats", "/api/heartbeat", "/api/heartbeat/batch"};
        String[] pieces = {
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\"entity\"",
            "\"time\"",
            "1e400",
            "-1",
            "NaN",
            "null",
            "true",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "1700000000.5",
            "\"/a\"",
            "\"timestamp\"",
            "\"tool\"",
            "99999999999999999999",
            " "
        };
        TreeMap<Integer, Integer> statuses = new TreeMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int sent = 0;
        for (; sent < count && System.nanoTime() < deadline; sent++) {
            StringBuilder b = new StringBuilder();
            int len = random.nextInt(60);
            for (int i = 0; i < len; i++) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            int status;
            try {
                status = http.send(
                                HttpRequest.newBuilder(URI.create(url + paths[random.nextInt(paths.length)]))
                                        .header("Authorization", auth)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(b.toString()))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (Exception e) {
                status = -1;
            }
            statuses.merge(status, 1, Integer::sum);
        }
        boolean ok = statuses.keySet().stream().noneMatch(s -> s >= 500 || s < 0);
        System.out.println(
                "fuzz: " + sent + " bodies, statuses " + statuses + (ok ? "" : "  <- FAILED: a 5xx or no answer"));
        return ok;
    }
}
