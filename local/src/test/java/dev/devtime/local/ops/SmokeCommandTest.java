package dev.devtime.local.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.local.LocalDeployment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The smoke test a user runs after {@code cdk deploy}, run here against a local stack (as CI does): it passes
 * on a working stack, also a second time the same day, and fails with the right hint for a wrong key and
 * for an aggregator that fails every batch. In front of the stack, a stand-in for API Gateway answering its
 * own 500 first, as for a SnapStart version idle for 14 days: the smoke test asks once more and passes.
 */
class SmokeCommandTest {

    record Run(int code, String out, String err) {}

    static Run smoke(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SmokeCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static final Pattern STEP = Pattern.compile("^\\[ *\\d+\\.\\d s] .*");

    @Test
    void passesAgainstAWorkingStackAndFailsOnAWrongKeyWithTheKeyHint() throws Exception {
        String key = ApiKeys.generate();
        try (LocalDeployment s = LocalDeployment.start(
                LocalDeployment.Options.defaults(null).withPort(0).withBatching(100, Duration.ofMillis(200), 2))) {
            s.seedKey("smoker", key, "test");

            Run ok = smoke("--url", s.baseUrl(), "--key", key);
            assertEquals(0, ok.code(), ok.out() + ok.err());
            List<String> steps =
                    ok.out().lines().filter(l -> STEP.matcher(l).matches()).toList();
            assertEquals(4, steps.size(), ok.out());
            assertTrue(steps.get(0).endsWith("before: project devtime-smoke-test has 0 s today"), ok.out());
            assertTrue(
                    steps.get(1)
                            .contains(
                                    "sent 2 heartbeats a minute apart to /api/v1/users/current/heartbeats.bulk: 202, both accepted"),
                    ok.out());
            assertTrue(
                    steps.get(2)
                            .contains("/api/stats?range=today shows them: project devtime-smoke-test 60 s (was 0 s)"),
                    ok.out());
            assertTrue(
                    steps.get(3).contains("WakaTime summaries (range=Today) list project devtime-smoke-test with 60 s"),
                    ok.out());
            assertTrue(ok.out().contains("OK: DevTime works end to end"), ok.out());

            // The same day again (the plugins' URL given this time): it waits for more than the first run left.
            // Seconds after the first, its heartbeats interleave with the first run's, so the total is not 120 s.
            Run again = smoke("--url", s.baseUrl() + "/api/v1", "--key", key);
            assertEquals(0, again.code(), again.out());
            assertTrue(again.out().contains("before: project devtime-smoke-test has 60 s today"), again.out());
            var m = Pattern.compile("shows them: project devtime-smoke-test (\\d+) s \\(was 60 s\\)")
                    .matcher(again.out());
            assertTrue(m.find() && Integer.parseInt(m.group(1)) > 60, again.out());

            Run wrongKey = smoke("--url", s.baseUrl(), "--key", ApiKeys.generate());
            assertEquals(1, wrongKey.code(), wrongKey.out());
            assertTrue(
                    wrongKey.out()
                            .contains("FAILED: GET /api/stats?range=today&project=devtime-smoke-test answered 401"),
                    wrongKey.out());
            assertTrue(
                    wrongKey.out().contains("Look at: the API key: --key must be a key of a user of this deployment"),
                    wrongKey.out());
        }
    }

    @Test
    void namesTheAggregatorAndItsDeadLetterQueueWhenHeartbeatsNeverShow() throws Exception {
        String key = ApiKeys.generate();
        try (LocalDeployment s = LocalDeployment.start(LocalDeployment.Options.defaults(null)
                .withPort(0)
                .withBatching(100, Duration.ofMillis(200), 2)
                .withQueue(1, 2)
                .withAggregatorFilter(aggregator -> event -> {
                    throw new IllegalStateException("aggregator down (test)");
                }))) {
            s.seedKey("smoker", key, "test");
            Run r = smoke("--url", s.baseUrl(), "--key", key, "--timeout", "5");
            assertEquals(1, r.code(), r.out());
            assertTrue(r.out().contains("both accepted"), "ingest works: " + r.out());
            assertTrue(
                    r.out().contains("FAILED: the heartbeats were accepted but did not show in /api/stats within 5 s"),
                    r.out());
            assertTrue(r.out().contains("Look at: the aggregator is failing: see the dead-letter queue"), r.out());
            assertTrue(r.out().contains("AggregatorLogs"), r.out());
        }
    }

    @Test
    void asksOnceMoreWhenApiGatewayItselfFailedAsForAnIdleSnapStartVersion() throws Exception {
        String key = ApiKeys.generate();
        try (LocalDeployment s = LocalDeployment.start(
                LocalDeployment.Options.defaults(null).withPort(0).withBatching(100, Duration.ofMillis(200), 2))) {
            s.seedKey("smoker", key, "test");
            AtomicInteger gatewayFailures = new AtomicInteger(1);
            List<String> seen = new ArrayList<>();
            HttpServer gateway = inFrontOf(s.baseUrl(), gatewayFailures, seen);
            try {
                String url = "http://127.0.0.1:" + gateway.getAddress().getPort();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int code = SmokeCommand.run(
                        url,
                        key,
                        Duration.ofSeconds(60),
                        Duration.ofMillis(50),
                        new PrintStream(out, true, StandardCharsets.UTF_8));
                String text = out.toString(StandardCharsets.UTF_8);
                assertEquals(0, code, text);
                assertTrue(text.contains("answered 500 from API Gateway itself; asking once more"), text);
                assertEquals(seen.get(0), seen.get(1), "the same request again");

                // Twice in a row: reported, naming the function's log group, after exactly two tries.
                gatewayFailures.set(2);
                seen.clear();
                out.reset();
                code = SmokeCommand.run(
                        url,
                        key,
                        Duration.ofSeconds(60),
                        Duration.ofMillis(50),
                        new PrintStream(out, true, StandardCharsets.UTF_8));
                text = out.toString(StandardCharsets.UTF_8);
                assertEquals(1, code, text);
                assertEquals(2, seen.size(), seen.toString());
                assertTrue(
                        text.contains(
                                "Look at: API Gateway answered for the function twice: the query function's log group"),
                        text);
            } finally {
                gateway.stop(0);
            }
        }
    }

    /**
     * A stand-in for API Gateway in front of {@code target}: the next {@code failures} requests get its own
     * {@code 500 {"message":"Internal Server Error"}}, the others are passed on. {@code seen} records each
     * request as method and path.
     */
    static HttpServer inFrontOf(String target, AtomicInteger failures, List<String> seen) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String pathAndQuery = ex.getRequestURI().toString();
            synchronized (seen) {
                seen.add(ex.getRequestMethod() + " " + pathAndQuery);
            }
            int status;
            byte[] answer;
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 500;
                answer = "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + pathAndQuery))
                        .method(
                                ex.getRequestMethod(),
                                body.length == 0
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(body));
                for (String h : List.of("Authorization", "Content-Type", "User-Agent", "X-Machine-Name")) {
                    String v = ex.getRequestHeaders().getFirst(h);
                    if (v != null) {
                        b.header(h, v);
                    }
                }
                try {
                    HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                    status = r.statusCode();
                    answer = r.body();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    status = 504;
                    answer = new byte[0];
                }
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        return server;
    }

    @Test
    void refusesMissingOptionsWithUsage() {
        Run r = smoke("--url", "https://example.com");
        assertEquals(1, r.code());
        assertTrue(
                r.err().contains("give --url and --key")
                        && r.err().contains("usage: java -jar devtime-local.jar smoke"),
                r.err());
        Run bad = smoke("--url", "example.com", "--key", "k");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--url must start with https://"), bad.err());
    }
}
