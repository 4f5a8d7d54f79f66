package dev.devtime.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.devtime.model.deploy.LambdaFunction;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each function's deployment jar, alone, in a fresh JVM with Lambda's flags, answers a real request
 * against the emulators: proof that the slimmed jars hold everything init and a first call load.
 * Timings are the benchmark's business (ColdStart), not asserted here.
 */
class ColdStartIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Harness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                Path.of(System.getProperty("functions.jars")),
                Path.of(System.getProperty("coldstart.build")),
                false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void everyFunctionAnswersFromItsOwnJar() throws Exception {
        // ingest first: the aggregator is given the message it queued.
        Harness.Run ingest = harness.run(harness.target(LambdaFunction.INGEST));
        assertEquals("202", status(ingest), ingest.result());
        JsonNode responses = body(ingest).get("responses");
        assertEquals(3, responses.size(), ingest.result());
        responses.forEach(r -> assertEquals(201, r.get(1).asInt(), ingest.result()));

        Harness.Run aggregator = harness.run(harness.target(LambdaFunction.AGGREGATOR));
        assertEquals("failures=0", aggregator.result());

        // The aggregator's rollup is what the status bar shows: the span of the three heartbeats.
        Harness.Run query = harness.run(harness.target(LambdaFunction.QUERY));
        assertEquals("200", status(query), query.result());
        assertEquals(
                harness.ingestedSeconds(),
                body(query).at("/data/grand_total/total_seconds").asDouble(),
                0.001,
                query.result());

        Harness.Run account = harness.run(harness.target(LambdaFunction.ACCOUNT));
        assertEquals("200", status(account), account.result());
        assertTrue(account.result().contains(harness.keyId()), account.result());

        Harness.Run trivial = harness.run(harness.trivial());
        assertEquals("200 {\"ok\":true}", trivial.result());
    }

    @Test
    void snapStartPrimingRunsOnEachJarAndLeavesTheHandlerAnswering() throws Exception {
        Harness.Run ingest = harness.runPrimed(harness.target(LambdaFunction.INGEST));
        assertEquals("202", status(ingest), ingest.result());
        assertEquals(
                "failures=0",
                harness.runPrimed(harness.target(LambdaFunction.AGGREGATOR)).result());
        Harness.Run query = harness.runPrimed(harness.target(LambdaFunction.QUERY));
        assertEquals("200", status(query), query.result());
        assertEquals(
                harness.ingestedSeconds(),
                body(query).at("/data/grand_total/total_seconds").asDouble(),
                0.001,
                "priming wrote nothing that changed the user's totals: " + query.result());
        Harness.Run account = harness.runPrimed(harness.target(LambdaFunction.ACCOUNT));
        assertEquals("200", status(account), account.result());
    }

    @Test
    void librariesAFunctionNeverRunsAreNotInItsJar() throws Exception {
        assertEquals(0, entries(LambdaFunction.AGGREGATOR, "com/nimbusds/"));
        assertEquals(0, entries(LambdaFunction.QUERY, "software/amazon/awssdk/services/sqs/"));
        // Lambda's own SQS event reader needs Joda-Time (RuntimeInterfaceClientIT); the HTTP functions do not.
        assertTrue(entries(LambdaFunction.AGGREGATOR, "org/joda/time/DateTime.class") == 1);
        for (LambdaFunction f : List.of(LambdaFunction.INGEST, LambdaFunction.QUERY, LambdaFunction.ACCOUNT)) {
            assertEquals(0, entries(f, "org/joda/"), f.id());
        }
        for (LambdaFunction f : LambdaFunction.values()) {
            // minimizeJar keeps only the client DevTime uses.
            assertEquals(0, entries(f, "software/amazon/awssdk/services/dynamodb/streams/"), f.id());
            assertEquals(0, entries(f, "software/amazon/awssdk/services/dynamodb/DynamoDbAsyncClient"), f.id());
            assertTrue(entries(f, "software/amazon/awssdk/services/dynamodb/DynamoDbClient.class") == 1, f.id());
        }
    }

    private static long entries(LambdaFunction f, String prefix) throws Exception {
        try (var zip = new java.util.zip.ZipFile(harness.jarOf(f).toFile())) {
            return zip.stream().filter(e -> e.getName().startsWith(prefix)).count();
        }
    }

    private static String status(Harness.Run r) {
        return r.result().substring(0, r.result().indexOf(' '));
    }

    private static JsonNode body(Harness.Run r) throws Exception {
        return JSON.readTree(r.result().substring(r.result().indexOf(' ') + 1));
    }
}
