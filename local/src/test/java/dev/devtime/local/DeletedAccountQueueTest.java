package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Deleting an account while its heartbeats wait in the queue, then a crash (SIGKILL, no clean stop): no file
 * in the data directory holds anything readable of that account's heartbeats, and the other user's
 * heartbeats, queued before and after, are all counted after the restart. Each part runs in a JVM of its
 * own, as {@code local} does (ElasticMQ keeps one message store per JVM).
 */
class DeletedAccountQueueTest {

    /** Strings only the deleted account's heartbeats carry. */
    static final List<String> DELETED_USERS_STRINGS =
            List.of("quokka-moonbase", "/home/alice/xylophone-secrets/Plan.java");

    static final String READY = "account deleted, heartbeats queued";
    static final String DONE = "the other user's heartbeats were all counted";

    @TempDir
    Path tmp;

    @Test
    void aDeletedAccountsQueuedHeartbeatsAreUnreadableAfterACrashAndOthersAreAllCounted() throws Exception {
        Path data = tmp.resolve("data");
        Path firstLog = tmp.resolve("first.log");
        Process first = scenario("queue", data, firstLog);
        try {
            PipelineContract.await(
                    () -> first.isAlive() && read(firstLog).contains(READY) || !first.isAlive(),
                    Duration.ofSeconds(240));
            assertTrue(first.isAlive() && read(firstLog).contains(READY), tail(read(firstLog)));
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.isDirectory(data.resolve("queue")), "the queue is kept in the data directory");
        assertEquals(List.of(), readable(data), "files holding the deleted account's heartbeats after the crash");

        Path secondLog = tmp.resolve("second.log");
        Process second = scenario("restart", data, secondLog);
        boolean ended = second.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            second.destroyForcibly();
        }
        String out = read(secondLog);
        assertTrue(ended, "the restart did not end: " + tail(out));
        assertEquals(0, second.exitValue(), tail(out));
        assertTrue(out.contains(DONE), tail(out));
        assertTrue(out.contains("queued message of a deleted account deleted unread"), tail(out));
        assertEquals(List.of(), readable(data), "files holding the deleted account's heartbeats after the restart");
    }

    /** Every file under {@code dir} that holds one of the deleted account's strings, with the string. */
    static List<String> readable(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                for (String s : DELETED_USERS_STRINGS) {
                    // As stored in UTF-8 and, for any store that uses it, UTF-16.
                    for (java.nio.charset.Charset cs :
                            List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
                        if (content.contains(new String(s.getBytes(cs), StandardCharsets.ISO_8859_1))) {
                            found.add(dir.relativize(p) + ": " + s + " (" + cs + ")");
                        }
                    }
                }
            }
        }
        return found;
    }

    private static Process scenario(String part, Path data, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-Dlogback.configurationFile=devtime-logback.xml",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Scenario.class.getName(),
                        part,
                        data.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    /**
     * {@code queue DIR}: users alice and bob send heartbeats while the aggregator is held (it takes its batches
     * and does not return, so they are in flight or waiting in the queue), alice deletes her account, bob sends
     * more; then it waits to be killed. {@code restart DIR}: the stack on the same data with a working aggregator,
     * until bob's heartbeats are all counted and the queue is empty, none of alice's in the dead-letter queue.
     */
    static final class Scenario {

        static final String ALICE_KEY = "waka_6a4a3f0e-1a53-4f7e-9a4c-3d1f0e7b2c11";
        static final String BOB_KEY = "waka_0b5e7a1c-2d3f-4a6b-8c9d-e0f1a2b3c4d5";
        static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        static final long NOON = DAY.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        /** Bob's heartbeats: 60 before alice's deletion and 40 after, 10 s apart. */
        static final int BOB_BEFORE = 60;

        static final int BOB_AFTER = 40;

        public static void main(String[] args) {
            try {
                Path data = Path.of(args[1]);
                if (args[0].equals("queue")) {
                    queue(data);
                } else {
                    restart(data);
                    System.out.println(DONE);
                    System.exit(0);
                }
            } catch (Throwable t) {
                t.printStackTrace(System.out);
                System.exit(1);
            }
        }

        static void queue(Path data) throws Exception {
            UnaryOperator<Function<SQSEvent, SQSBatchResponse>> held = next -> event -> {
                while (true) {
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException("stopped", e);
                    }
                }
            };
            LocalDeployment stack =
                    LocalDeployment.start(DeploymentExtension.options(data).withAggregatorFilter(held));
            stack.seedKey("alice", ALICE_KEY, "laptop");
            stack.seedKey("bob", BOB_KEY, "laptop");
            ApiClient api = new ApiClient(stack.baseUrl());
            for (int request = 0; request < 6; request++) {
                List<String> alice = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    alice.add(ApiClient.waka(
                            NOON + (request * 5L + i) * 10_000L,
                            "quokka-moonbase",
                            "Java",
                            "/home/alice/xylophone-secrets/Plan.java"));
                }
                accepted(api.post(
                        "/api/v1/users/current/heartbeats.bulk",
                        ApiClient.basic(ALICE_KEY),
                        "[" + String.join(",", alice) + "]"));
            }
            sendBob(api, 0, BOB_BEFORE);
            ApiClient.Response deleted =
                    api.request("DELETE", "/api/account", "Bearer " + stack.issuer.tokenFor("alice"), null);
            assertEquals(202, deleted.status(), deleted.body());
            sendBob(api, BOB_BEFORE, BOB_AFTER);
            var queued = stack.sqs
                    .getQueueAttributes(b -> b.queueUrl(stack.queueUrl)
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes();
            System.out.println("queued " + queued);
            System.out.println(READY);
            Thread.sleep(Long.MAX_VALUE);
        }

        static void restart(Path data) throws Exception {
            try (LocalDeployment stack = LocalDeployment.start(DeploymentExtension.options(data))) {
                ApiClient api = new ApiClient(stack.baseUrl());
                double expected = (BOB_BEFORE + BOB_AFTER - 1) * 10.0;
                PipelineContract.await(() -> bobTotal(api) == expected, Duration.ofSeconds(150));
                stack.awaitDrained(Duration.ofSeconds(60));
                assertEquals(expected, bobTotal(api), "bob's heartbeats counted once");
                assertEquals(
                        "0",
                        stack.sqs
                                .getQueueAttributes(b -> b.queueUrl(stack.dlqUrl)
                                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                                .attributes()
                                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                        "nothing of alice's went to the dead-letter queue");
                assertEquals(
                        401, api.get("/api/stats", ApiClient.basic(ALICE_KEY)).status(), "alice's key is gone");
            }
        }

        private static double bobTotal(ApiClient api) {
            ApiClient.Response r = api.get("/api/stats?start=" + DAY + "&end=" + DAY, ApiClient.basic(BOB_KEY));
            return r.status() == 200 ? r.json().get("total_seconds").asDouble() : -1;
        }

        private static void sendBob(ApiClient api, int from, int count) {
            for (int start = from; start < from + count; start += 10) {
                List<String> items = new ArrayList<>();
                for (int i = start; i < start + 10; i++) {
                    items.add(ApiClient.waka(NOON + i * 10_000L, "bob-project", "Go", "/home/bob/main.go"));
                }
                accepted(api.post(
                        "/api/v1/users/current/heartbeats.bulk",
                        ApiClient.basic(BOB_KEY),
                        "[" + String.join(",", items) + "]"));
            }
        }

        private static void accepted(ApiClient.Response r) {
            if (r.status() != 202) {
                throw new AssertionError("not accepted: " + r.status() + " " + r.body());
            }
        }
    }
}
