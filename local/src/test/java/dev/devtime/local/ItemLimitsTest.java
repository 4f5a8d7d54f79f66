package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.store.ItemSizes;
import dev.devtime.functions.store.Table;
import dev.devtime.local.emulator.SqsLimits;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * DynamoDB's 400 KB item limit and SQS's 256 KB message limit hold before the call, whatever the heartbeats:
 * a quarter hour too big for one item is split into parts that every reader sees, and a request too big for
 * one message is split into messages that each fit. Through real HTTP, SQS and DynamoDB.
 */
class ItemLimitsTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static final String URL_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(
            o -> o.withBatching(10, Duration.ofMillis(100), 2).withQueue(30, 3));

    static SignedInUser newUser() {
        return SignedInUser.create(STACK.deployment(), STACK.api(), "limits-");
    }

    /** A 2,048-character URL of random characters: gzip saves only a quarter of it. */
    static String url() {
        StringBuilder s = new StringBuilder("https://example.com/");
        while (s.length() < 2048) {
            s.append(URL_CHARS.charAt(RANDOM.nextInt(URL_CHARS.length())));
        }
        return s.toString();
    }

    static String heartbeat(long timeMs, String entity) {
        return "{\"entity\":\"" + entity + "\",\"type\":\"url\",\"category\":\"browsing\",\"time\":" + (timeMs / 1000.0)
                + ",\"project\":\"web\",\"language\":\"HTML\",\"is_write\":false,\"user_agent\":\""
                + ApiClient.VSCODE_UA + "\"}";
    }

    @Test
    void threeHundredTwoKilobyteUrlsInOneQuarterHourAreAllStoredAndCounted() {
        SignedInUser u = newUser();
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        long noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            items.add(heartbeat(noon + i * 3_000L, url()));
        }
        // As wakatime-cli sends them: 25 a request.
        for (int i = 0; i < items.size(); i += 25) {
            ApiClient.Response r = STACK.api()
                    .post(
                            "/api/v1/users/current/heartbeats.bulk",
                            u.keyAuth(),
                            "[" + String.join(",", items.subList(i, i + 25)) + "]");
            assertEquals(202, r.status(), r.body());
        }
        STACK.deployment().awaitDrained(Duration.ofSeconds(120));
        assertEquals(0, dlqDepth(), "nothing went to the dead-letter queue");
        assertEquals(299 * 3.0, total(u, day), 0.001, "every heartbeat counted");

        List<Map<String, AttributeValue>> bucketItems = items(u.id(), "B#");
        assertTrue(
                bucketItems.size() > 1,
                "one quarter hour of 2 KB URLs needs more than one item: " + bucketItems.size());
        assertEveryItemFits(u.id());
        List<JsonNode> exported = exportedHeartbeats(u);
        assertEquals(300, exported.size(), "export sees every part");
        assertEquals(
                300,
                STACK.deployment()
                        .wiring
                        .buckets
                        .get(u.id(), BucketStore.bucketStart(noon))
                        .heartbeats()
                        .size());

        // Deleting heartbeats rewrites the split bucket; the rest stay counted. Half of them would fit in one
        // item again; the bucket keeps its parts, so no write has to delete one.
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            ids.add("\"" + exported.get(i).get("id").asText() + "\"");
        }
        ApiClient.Response del = STACK.api()
                .request(
                        "DELETE",
                        "/api/v1/users/current/heartbeats.bulk",
                        u.keyAuth(),
                        "{\"date\":\"" + day + "\",\"ids\":[" + String.join(",", ids) + "]}");
        assertEquals(200, del.status(), del.body());
        assertEquals(150, del.json().get("data").get("deleted").asInt());
        assertEquals(149 * 3.0, total(u, day), 0.001);
        assertEquals(150, exportedHeartbeats(u).size());
        assertEquals(bucketItems.size(), items(u.id(), "B#").size(), "the bucket keeps its parts");
        assertEveryItemFits(u.id());
    }

    @Test
    void theLocalQueueRefusesWhatSqsRefuses() {
        String tooBig = "x".repeat(SqsLimits.MAX_MESSAGE_BYTES + 1);
        assertThrows(
                SqsException.class,
                () -> STACK.deployment()
                        .sqs
                        .sendMessage(
                                b -> b.queueUrl(STACK.deployment().queueUrl).messageBody(tooBig)));
        String half = "x".repeat(SqsLimits.MAX_MESSAGE_BYTES / 2 + 1);
        assertThrows(
                SqsException.class,
                () -> STACK.deployment()
                        .sqs
                        .sendMessageBatch(b -> b.queueUrl(STACK.deployment().queueUrl)
                                .entries(
                                        e -> e.id("1").messageBody(half),
                                        e -> e.id("2").messageBody(half))),
                "a batch's total counts too");
    }

    @Test
    void fourHundredHeartbeatsOfTwoKilobytesInOneRequestAreQueuedInMessagesThatFit() {
        SignedInUser u = newUser();
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        long start = day.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            items.add(heartbeat(start + i * 60_000L, url()));
        }
        // Under the 1 MB request limit, about four times SQS's message limit.
        String body = "[" + String.join(",", items) + "]";
        assertTrue(body.length() > 3 * SqsLimits.MAX_MESSAGE_BYTES, "one request of " + body.length() + " bytes");
        ApiClient.Response r = STACK.api().post("/api/v1/users/current/heartbeats.bulk", u.keyAuth(), body);
        assertEquals(202, r.status(), r.body());
        STACK.deployment().awaitDrained(Duration.ofSeconds(120));
        assertEquals(0, dlqDepth());
        assertEquals(399 * 60.0, total(u, day), 0.001);
        assertEquals(400, exportedHeartbeats(u).size());
        assertEveryItemFits(u.id());
    }

    @Test
    void monthsTooBigForOneItemAreReadFromTheirDays() {
        SignedInUser u = newUser();
        // Two whole past months, each day with 50 heartbeats, each on its own project, branch and machine of
        // random 500-character names: every day item is small, but each month's rows together pass the limit.
        java.time.YearMonth first = java.time.YearMonth.now(ZoneOffset.UTC).minusMonths(3);
        List<LocalDate> days = new ArrayList<>();
        for (int d = 1; d <= 10; d++) {
            days.add(first.atDay(d));
            days.add(first.plusMonths(1).atDay(d));
        }
        for (LocalDate day : days) {
            long nine = day.atTime(9, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                items.add("{\"entity\":\"/src/Main.java\",\"type\":\"file\",\"category\":\"coding\",\"time\":"
                        + ((nine + i * 60_000L) / 1000.0) + ",\"project\":\"" + url().substring(20, 520)
                        + "\",\"language\":\"Java\","
                        + "\"branch\":\"" + url().substring(20, 520) + "\",\"machine\":\"" + url().substring(20, 520)
                        + "\",\"user_agent\":\"" + ApiClient.VSCODE_UA + "\"}");
            }
            ApiClient.Response r = STACK.api()
                    .post("/api/v1/users/current/heartbeats.bulk", u.keyAuth(), "[" + String.join(",", items) + "]");
            assertEquals(202, r.status(), r.body());
        }
        STACK.deployment().awaitDrained(Duration.ofSeconds(120));
        assertEquals(0, dlqDepth());
        ApiClient.Response stats = STACK.api()
                .get(
                        "/api/stats?start=" + first.atDay(1) + "&end="
                                + first.plusMonths(1).atEndOfMonth(),
                        u.keyAuth());
        assertEquals(200, stats.status(), stats.body());
        assertEquals(20 * 49 * 60.0, stats.json().get("total_seconds").asDouble(), 0.001);
        assertTrue(items(u.id(), "M#").isEmpty(), "months too big are not stored");
        assertEveryItemFits(u.id());
    }

    static double total(SignedInUser u, LocalDate day) {
        ApiClient.Response r = STACK.api().get("/api/stats?start=" + day + "&end=" + day, u.keyAuth());
        assertEquals(200, r.status(), r.body());
        return r.json().get("total_seconds").asDouble();
    }

    static List<JsonNode> exportedHeartbeats(SignedInUser u) {
        List<JsonNode> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            ApiClient.Response p = STACK.api()
                    .get(
                            "/api/export?format=json"
                                    + (cursor == null
                                            ? ""
                                            : "&cursor="
                                                    + java.net.URLEncoder.encode(
                                                            cursor, java.nio.charset.StandardCharsets.UTF_8)),
                            u.bearer());
            assertEquals(200, p.status(), p.body());
            p.json().get("heartbeats").forEach(h -> {
                assertTrue(ids.add(h.get("id").asText()), "exported twice: " + h.get("id"));
                out.add(h);
            });
            cursor = p.json().get("next").isNull() ? null : p.json().get("next").asText();
        } while (cursor != null);
        return out;
    }

    static List<Map<String, AttributeValue>> items(String userId, String prefix) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        STACK.deployment()
                .dynamo
                .queryPaginator(q -> q.tableName(LocalDeployment.TABLE)
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(Table.userPk(userId)), ":p", AttributeValue.fromS(prefix))))
                .items()
                .forEach(out::add);
        return out;
    }

    /** Every item of the user's partition. */
    static List<Map<String, AttributeValue>> items(String userId) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        STACK.deployment()
                .dynamo
                .queryPaginator(q -> q.tableName(LocalDeployment.TABLE)
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Table.userPk(userId)))))
                .items()
                .forEach(out::add);
        return out;
    }

    /** DynamoDB Local may take items AWS refuses: every item written is checked against AWS's rules here. */
    static void assertEveryItemFits(String userId) {
        List<Map<String, AttributeValue>> all = items(userId);
        assertTrue(all.size() > 2, "the partition holds buckets, days and settings");
        for (Map<String, AttributeValue> item : all) {
            long size = ItemSizes.itemBytes(item);
            assertTrue(size <= ItemSizes.MAX_ITEM_BYTES, item.get(Table.SK).s() + " is " + size + " bytes");
        }
    }

    static int dlqDepth() {
        return Integer.parseInt(STACK.deployment()
                .sqs
                .getQueueAttributes(b -> b.queueUrl(STACK.deployment().dlqUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
