package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.devtime.functions.auth.ApiKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Deleting a big account: {@code DELETE /api/account} answers 202 at once and hides the account, and the
 * aggregator deletes the data a part per queue message, also across a crash and a restart on the same data
 * directory, and when asked twice.
 */
class AccountDeletionTest {

    /** Three years of 15-minute buckets (dummy contents; only their keys matter): several parts of the deletion. */
    static final int ITEMS = 2_500;

    @TempDir
    Path dataDir;

    static LocalDeployment.Options options(Path dataDir) {
        // Longer than a part takes on a busy machine (else a slow part is delivered a second time, harmlessly but
        // muddling the crash below), short enough that the crashed part comes back soon after the restart.
        return DeploymentExtension.options(dataDir)
                .withBatching(10, Duration.ofMillis(100), 2)
                .withQueue(20, 5);
    }

    /** A user with {@code key} and {@link #ITEMS} stored items spread over three years; returns the dashboard token. */
    static String bigAccount(LocalDeployment stack, String user, String key) {
        stack.seedKey(user, key, "laptop");
        byte[] payload = new byte[300];
        List<WriteRequest> puts = new ArrayList<>();
        LocalDate first = LocalDate.of(2023, 1, 1);
        for (int i = 0; i < ITEMS; i++) {
            String sk = String.format("B#%013d", first.toEpochDay() * 86_400_000L + i * 900_000L * 30);
            puts.add(WriteRequest.builder()
                    .putRequest(PutRequest.builder()
                            .item(Map.of(
                                    "pk",
                                    AttributeValue.fromS("U#" + user),
                                    "sk",
                                    AttributeValue.fromS(sk),
                                    "h",
                                    AttributeValue.fromB(SdkBytes.fromByteArray(payload))))
                            .build())
                    .build());
            if (puts.size() == 25) {
                List<WriteRequest> batch = puts;
                stack.dynamo.batchWriteItem(b -> b.requestItems(Map.of(LocalDeployment.TABLE, batch)));
                puts = new ArrayList<>();
            }
        }
        assertTrue(count(stack, user) >= ITEMS, "seeded");
        return "Bearer " + stack.issuer.tokenFor(user);
    }

    static int count(LocalDeployment stack, String user) {
        int n = 0;
        for (var page : stack.dynamo.queryPaginator(q -> q.tableName(LocalDeployment.TABLE)
                .consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .projectionExpression("sk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("U#" + user))))) {
            n += page.count();
        }
        return n;
    }

    static int deadLetters(LocalDeployment stack) {
        return Integer.parseInt(stack.sqs
                .getQueueAttributes(b -> b.queueUrl(stack.dlqUrl)
                        .attributeNames(
                                software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                        .APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Test
    void aBigAccountIsAnswered202AtOnceAndItsDataGoesInTheBackgroundAndASecondDeleteIsHarmless() throws Exception {
        try (LocalDeployment stack = LocalDeployment.start(options(null))) {
            ApiClient api = new ApiClient(stack.baseUrl());
            String user = "big-" + UUID.randomUUID();
            String key = ApiKeys.generate();
            String token = bigAccount(stack, user, key);
            long t0 = System.nanoTime();
            ApiClient.Response del = api.request("DELETE", "/api/account", token, null);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(202, del.status(), del.body());
            assertEquals("deleting", del.json().get("status").asText());
            assertTrue(ms < 5_000, "answered in " + ms + " ms");
            // Hidden at once: no keys, and the API key is refused.
            assertEquals(0, api.get("/api/keys", token).json().get("keys").size());
            assertEquals(
                    401,
                    api.get(
                                    "/api/stats",
                                    "Basic " + java.util.Base64.getEncoder().encodeToString(key.getBytes()))
                            .status());
            // Asked again while the first is under way: harmless.
            assertEquals(202, api.request("DELETE", "/api/account", token, null).status());
            PipelineContract.await(() -> count(stack, user) == 1, Duration.ofSeconds(120));
            stack.awaitDrained(Duration.ofSeconds(60));
            assertEquals(1, count(stack, user), "only the tombstone is left");
            assertEquals(0, deadLetters(stack), "no part of the deletion failed for good");
            System.out.println("deleted " + ITEMS + " items: answered 202 in " + ms + " ms");
        }
    }

    /**
     * The stacks run in a JVM of their own: ElasticMQ keeps one message store per JVM, the first one opened,
     * so a restart on another data directory in this JVM (another test class's) would not read its own.
     */
    @Test
    void aDeletionCutShortByACrashFinishesAfterARestartOnTheSameData() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dataDir.resolve("restart.log");
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Restart.class.getName(),
                        dataDir.resolve("data").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean ended = p.waitFor(8, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertTrue(ended, "the scenario did not end: " + tail(out));
        assertEquals(0, p.exitValue(), tail(out));
        assertTrue(out.contains(Restart.DONE), tail(out));
    }

    private static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    /** Deletion, a crash during its second part, a restart on the same data: run by the test above. */
    static final class Restart {

        static final String DONE = "deletion finished after the restart";

        public static void main(String[] args) {
            try {
                run(Path.of(args[0]));
                System.out.println(DONE);
                System.exit(0);
            } catch (Throwable t) {
                t.printStackTrace(System.out);
                System.exit(1);
            }
        }

        static void run(Path dataDir) throws Exception {
            String user = "crash-" + UUID.randomUUID();
            AtomicReference<String> firstPart = new AtomicReference<>();
            AtomicBoolean secondPartArrived = new AtomicBoolean();
            AtomicBoolean crashed = new AtomicBoolean();
            // The first part of the deletion (the message the account function queued, however often it is
            // delivered) runs; the next part is under way when the machine goes down.
            UnaryOperator<Function<SQSEvent, SQSBatchResponse>> dieOnSecondPart = next -> event -> {
                for (SQSEvent.SQSMessage m : event.getRecords()) {
                    if (m.getBody().contains("\"k\":\"delete\"")
                            && !firstPart.compareAndSet(null, m.getMessageId())
                            && !m.getMessageId().equals(firstPart.get())) {
                        secondPartArrived.set(true);
                        while (!crashed.get()) {
                            sleep(20);
                        }
                        throw new IllegalStateException("the machine went down");
                    }
                }
                return next.apply(event);
            };
            try (LocalDeployment first =
                    LocalDeployment.start(options(dataDir).withAggregatorFilter(dieOnSecondPart))) {
                ApiClient api = new ApiClient(first.baseUrl());
                String token = bigAccount(first, user, ApiKeys.generate());
                assertEquals(
                        202, api.request("DELETE", "/api/account", token, null).status());
                PipelineContract.await(secondPartArrived::get, Duration.ofSeconds(90));
                int left = count(first, user);
                assertTrue(left > 1 && left < ITEMS, "part of the data is gone: " + left + " left");
                crashed.set(true);
            }
            try (LocalDeployment second = LocalDeployment.start(options(dataDir))) {
                try {
                    PipelineContract.await(() -> count(second, user) == 1, Duration.ofSeconds(120));
                } catch (AssertionError e) {
                    throw new AssertionError(
                            count(second, user) + " items left; queue "
                                    + second.sqs
                                            .getQueueAttributes(b ->
                                                    b.queueUrl(second.queueUrl).attributeNamesWithStrings("All"))
                                            .attributes()
                                    + ", dead letters "
                                    + deadLetters(second),
                            e);
                }
                assertEquals(0, deadLetters(second));
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
