package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.functions.store.Table;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A settings change recomputes every day that has a rollup; days whose raw heartbeats the retention has
 * deleted keep their stored rollups instead of being recomputed from nothing. Real HTTP, SQS and DynamoDB;
 * the handlers' clock moves past the retention and the stack's TTL sweeper deletes what expired.
 */
class RetentionRecomputeTest {

    static final LocalDate TODAY = LocalDate.of(2026, 6, 20);
    static final OpenDaysTest.MovableClock CLOCK =
            new OpenDaysTest.MovableClock(TODAY.atTime(18, 0).toInstant(ZoneOffset.UTC));

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(
            o -> o.withBatching(50, Duration.ofMillis(50), 2).withClock(CLOCK));

    @Test
    void aTimeZoneChangeKeepsTheTotalsOfDaysWhoseRawHeartbeatsExpired() {
        SignedInUser u = SignedInUser.create(STACK.deployment(), STACK.api(), "retained-");
        String user = u.id();
        String bearer = u.bearer();
        String key = u.keyAuth();
        assertEquals(
                200,
                STACK.api()
                        .request("PUT", "/api/settings", bearer, "{\"retention_days\":1}")
                        .status());

        // Ten days of history, each with its own total: day i has 10 + i minutes of heartbeats from noon UTC.
        LocalDate first = TODAY.minusDays(10);
        LocalDate last = TODAY.minusDays(1);
        Map<String, Double> expected = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            LocalDate day = first.plusDays(i);
            long noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
            List<String> items = new ArrayList<>();
            for (int m = 0; m <= 10 + i; m++) {
                items.add(ApiClient.waka(noon + m * 60_000L, "history", "Java", "/src/history/Main.java"));
            }
            ApiClient.Response r =
                    STACK.api().post("/api/v1/users/current/heartbeats.bulk", key, "[" + String.join(",", items) + "]");
            assertEquals(202, r.status(), r.body());
            expected.put(day.toString(), (10.0 + i) * 60);
        }
        STACK.deployment().awaitDrained(Duration.ofSeconds(60));
        assertEquals(expected, byDay(key, first, last));

        // Twelve days later every raw bucket has expired and DynamoDB's TTL has deleted it.
        CLOCK.set(TODAY.plusDays(12).atTime(9, 0));
        assertTrue(STACK.deployment().ttl.sweep() > 0, "the buckets carried the one-day retention");
        assertEquals(
                0,
                STACK.deployment()
                        .dynamo
                        .query(b -> b.tableName(LocalDeployment.TABLE)
                                .consistentRead(true)
                                .keyConditionExpression("pk = :pk AND begins_with(sk, :b)")
                                .expressionAttributeValues(Map.of(
                                        ":pk",
                                        AttributeValue.fromS(Table.userPk(user)),
                                        ":b",
                                        AttributeValue.fromS("B#"))))
                        .count(),
                "no raw heartbeats left");

        ApiClient.Response changed =
                STACK.api().request("PUT", "/api/settings", bearer, "{\"timezone\":\"America/New_York\"}");
        assertEquals(200, changed.status(), changed.body());
        assertEquals(
                10, changed.json().get("recomputing_days").asInt(), "every stored day was queued for recomputation");
        STACK.deployment().awaitDrained(Duration.ofSeconds(60));
        assertEquals(0, dlqDepth(), "the recomputation went through");
        assertEquals(expected, byDay(key, first, last), "all ten days keep their totals");
    }

    /** Seconds per worked day of the range, from the stats route. */
    static Map<String, Double> byDay(String key, LocalDate from, LocalDate to) {
        ApiClient.Response r = STACK.api().get("/api/stats?start=" + from + "&end=" + to, key);
        assertEquals(200, r.status(), r.body());
        Map<String, Double> out = new TreeMap<>();
        for (JsonNode d : r.json().get("by_day")) {
            if (d.get("seconds").asDouble() > 0) {
                out.put(d.get("date").asText(), d.get("seconds").asDouble());
            }
        }
        return out;
    }

    static int dlqDepth() {
        return Integer.parseInt(STACK.deployment()
                .sqs
                .getQueueAttributes(b -> b.queueUrl(STACK.deployment().dlqUrl)
                        .attributeNames(
                                software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                        .APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
