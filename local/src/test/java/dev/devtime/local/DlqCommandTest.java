package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.queue.QueueMessage;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.wire.HeartbeatParser;
import dev.devtime.model.wire.RequestMeta;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The operator's dead-letter queue command on a real data directory: a message that failed during an
 * outage and a poison message are listed (without their content), survive the listing, are moved back
 * by {@code redrive}, and the good one is counted once DevTime runs again.
 */
class DlqCommandTest {

    @TempDir
    Path dataDir;

    record Run(int code, String out, String err) {}

    /**
     * The command in this JVM: ElasticMQ keeps one H2 connection pool per JVM, so the stack this test
     * stopped still holds the queue files, and a second process would be refused them (as an operator is
     * while DevTime runs).
     */
    Run dlq(String... args) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = dev.devtime.local.ops.DlqCommand.run(
                args,
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.AfterEach
    void unquiet() {
        // The command silences per-request logs for the whole JVM; later test classes share it.
        dev.devtime.functions.Log.setQuiet(false);
    }

    /** DynamoDB Local prints a banner to stdout first; the command's own lines follow. */
    static boolean hasLine(Run run, String prefix) {
        return run.out().lines().anyMatch(l -> l.startsWith(prefix));
    }

    LocalDeployment start() throws Exception {
        return LocalDeployment.start(
                DeploymentExtension.options(dataDir).withQueue(1, 2).withBatching(10, Duration.ofMillis(100), 1));
    }

    static int depth(LocalDeployment s, String url) {
        var a = s.sqs.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Polls until the condition holds or the time is up; the assertions after it say what was wrong. */
    static void poll(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(200);
        }
    }

    @Test
    void listShowsWithoutConsumingAndRedriveMovesBackForProcessing() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String key = ApiKeys.generate();
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(3);
        long noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        List<Heartbeat> heartbeats = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            heartbeats.add(HeartbeatParser.parse(
                            ApiClient.JSON.readTree(ApiClient.waka(
                                    noon + i * 60_000L, "secret-project", "Java", "/home/dev/secret/Plan.java")),
                            RequestMeta.of(ApiClient.VSCODE_UA, "box", System.currentTimeMillis()))
                    .heartbeat());
        }

        try (LocalDeployment s = start()) {
            s.seedKey(user, key, "test");
            // A message the aggregator gave up on during an outage (as SQS's redrive would have left it) ...
            s.sqs.sendMessage(b -> b.queueUrl(s.dlqUrl)
                    .messageBody(QueueMessage.heartbeats(user, heartbeats, noon).encode()));
            // ... and a poison message that the real redrive policy moves there after two receives.
            s.sqs.sendMessage(b -> b.queueUrl(s.queueUrl).messageBody("{\"v\":99,\"garbage\":true}"));
            PipelineContract.await(() -> depth(s, s.dlqUrl) == 2, Duration.ofSeconds(30));
            assertEquals(2, depth(s, s.dlqUrl));
        }

        Run list = dlq("list", "--data-dir", dataDir.toString());
        assertEquals(0, list.code(), list.err());
        assertTrue(hasLine(list, "2 message(s) in devtime-heartbeats-dlq"), list.out() + list.err());
        assertTrue(
                list.out()
                        .contains("user " + user + ", 4 heartbeat(s) from " + java.time.Instant.ofEpochMilli(noon)
                                + " to " + java.time.Instant.ofEpochMilli(noon + 180_000)),
                list.out());
        assertTrue(list.out().contains("not decodable"), list.out());
        assertFalse(list.out().contains("secret"), "no file paths or project names: " + list.out());
        // Listing consumed nothing.
        Run again = dlq("list", "--data-dir", dataDir.toString());
        assertTrue(hasLine(again, "2 message(s)"), again.out());

        Run redrive = dlq("redrive", "--data-dir", dataDir.toString());
        assertEquals(0, redrive.code(), redrive.err());
        assertTrue(
                hasLine(redrive, "moved 2 message(s) from devtime-heartbeats-dlq to devtime-heartbeats; "),
                redrive.out());
        assertTrue(hasLine(dlq("list", "--data-dir", dataDir.toString()), "0 message(s)"));

        try (LocalDeployment s = start()) {
            // As `local --user NAME:KEY` does on every start.
            s.seedKey(user, key, "test");
            ApiClient api = new ApiClient(s.baseUrl());
            String auth = ApiClient.basic(key);
            ApiClient.Response[] last = {null};
            poll(
                    () -> {
                        last[0] = api.get("/api/stats?start=" + day + "&end=" + day, auth);
                        return last[0].status() == 200
                                && last[0].json().get("total_seconds").asDouble() == 180.0;
                    },
                    30);
            assertEquals(200, last[0].status(), last[0].body());
            assertEquals(180.0, last[0].json().get("total_seconds").asDouble(), "the redriven heartbeats were counted");
        }
    }

    @Test
    void badArgumentsAndMissingDataAreExplained() throws Exception {
        Run none = dlq();
        assertEquals(2, none.code(), none.out() + none.err());
        assertTrue(none.err().contains("usage: java -jar devtime-local.jar dlq list|redrive"), none.err());
        assertEquals(2, dlq("purge").code());
        Run missing = dlq("list", "--data-dir", dataDir.resolve("nowhere").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no DevTime queue under"), missing.err());
    }
}
