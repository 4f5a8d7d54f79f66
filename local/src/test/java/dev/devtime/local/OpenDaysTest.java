package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.functions.aggregate.Aggregator;
import dev.devtime.functions.store.Table;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Days are stored once they settle, not on every batch: while a day is open its stats come from the raw
 * buckets; the next batch or read after it settles stores it. Past months are read from month rollups,
 * rebuilt when a late heartbeat changes one of their days. Driven through real HTTP, SQS and DynamoDB
 * with a clock the test moves (the handlers' clock; heartbeats carry times near it).
 */
class OpenDaysTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String UA =
            "wakatime/v1.102.1 (linux-6.8.0-48-generic-x86_64) go1.23.2 vscode/1.95.3 vscode-wakatime/24.6.2";
    static final LocalDate DAY = LocalDate.of(2026, 6, 10);
    static final MovableClock CLOCK = new MovableClock(DAY.atTime(9, 0).toInstant(ZoneOffset.UTC));

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(
            o -> o.withBatching(50, Duration.ofMillis(50), 2).withClock(CLOCK));

    @Test
    void openDayIsReadFromBucketsThenStoredOnceItSettles() throws Exception {
        String user = "open-" + UUID.randomUUID();
        String key = "waka_" + UUID.randomUUID();
        STACK.deployment().seedKey(user, key, "test");
        CLOCK.set(DAY.atTime(11, 0));
        // 10:00 to 10:50 every 2 minutes: 26 heartbeats, 50 minutes (the last one closes no gap).
        List<Long> times = new ArrayList<>();
        for (int m = 0; m <= 50; m += 2) {
            times.add(DAY.atTime(10, m).toInstant(ZoneOffset.UTC).toEpochMilli());
        }
        for (int i = 0; i < times.size(); i += 2) {
            assertEquals(202, post(key, times.subList(i, Math.min(i + 2, times.size()))));
        }
        STACK.deployment().awaitDrained(Duration.ofSeconds(30));
        assertEquals(50 * 60.0, total(key, DAY), 0.001, "open day computed from the buckets");
        assertFalse(dayItemExists(user, DAY), "an open day is not stored");
        assertEquals(Set.of(DAY.toString()), openDays(user));

        // After the window (the day + 15 min timeout) and the settle margin, the next read stores it.
        CLOCK.set(DAY.plusDays(1).atStartOfDay().plus(Duration.ofMinutes(15)).plus(Aggregator.SETTLE_MARGIN));
        assertEquals(50 * 60.0, total(key, DAY), 0.001);
        assertTrue(dayItemExists(user, DAY), "a settled day is stored by the read that finds it due");
        assertEquals(Set.of(), openDays(user));
        assertEquals(50 * 60.0, total(key, DAY), 0.001, "and read back from the stored rollup");

        // A late heartbeat for a settled day (an offline backlog) is stored at once.
        assertEquals(
                202,
                post(key, List.of(DAY.atTime(10, 52).toInstant(ZoneOffset.UTC).toEpochMilli())));
        STACK.deployment().awaitDrained(Duration.ofSeconds(30));
        assertEquals(52 * 60.0, total(key, DAY), 0.001);
        assertEquals(Set.of(), openDays(user));
    }

    @Test
    void theNextBatchSettlesEarlierOpenDays() throws Exception {
        String user = "open-" + UUID.randomUUID();
        String key = "waka_" + UUID.randomUUID();
        STACK.deployment().seedKey(user, key, "test");
        LocalDate day = DAY.plusDays(20);
        CLOCK.set(day.atTime(18, 0));
        long t = day.atTime(17, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        assertEquals(202, post(key, List.of(t, t + 60_000)));
        STACK.deployment().awaitDrained(Duration.ofSeconds(30));
        assertEquals(Set.of(day.toString()), openDays(user));

        LocalDate next = day.plusDays(1);
        CLOCK.set(next.atTime(9, 0));
        long u = next.atTime(8, 30).toInstant(ZoneOffset.UTC).toEpochMilli();
        assertEquals(202, post(key, List.of(u)));
        STACK.deployment().awaitDrained(Duration.ofSeconds(30));
        assertTrue(dayItemExists(user, day), "the batch of the next day stored the settled one");
        assertFalse(dayItemExists(user, next));
        assertEquals(Set.of(next.toString()), openDays(user));
        assertEquals(60.0, total(key, day), 0.001);
    }

    @Test
    void withRawRetentionDaysAreStoredOnEveryBatch() throws Exception {
        String user = "retained-" + UUID.randomUUID();
        String key = "waka_" + UUID.randomUUID();
        STACK.deployment().seedKey(user, key, "test");
        STACK.deployment()
                .wiring
                .settings
                .put(
                        user,
                        new dev.devtime.functions.store.SettingsStore.Settings(
                                dev.devtime.model.Timing.defaults(), false, List.of(), 30));
        LocalDate day = DAY.plusDays(40);
        CLOCK.set(day.atTime(15, 0));
        long t = day.atTime(14, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        assertEquals(202, post(key, List.of(t, t + 120_000)));
        STACK.deployment().awaitDrained(Duration.ofSeconds(30));
        assertTrue(dayItemExists(user, day), "raw heartbeats expire: the day must not wait to settle");
        assertEquals(Set.of(), openDays(user));
        assertEquals(120.0, total(key, day), 0.001);
    }

    @Test
    void longRangesReadMonthRollupsThatFollowLateHeartbeats() throws Exception {
        String user = "months-" + UUID.randomUUID();
        String key = "waka_" + UUID.randomUUID();
        STACK.deployment().seedKey(user, key, "test");
        CLOCK.set(LocalDate.of(2026, 6, 15).atTime(12, 0));
        List<LocalDate> worked = List.of(
                LocalDate.of(2026, 2, 10),
                LocalDate.of(2026, 3, 10),
                LocalDate.of(2026, 4, 10),
                LocalDate.of(2026, 5, 10),
                LocalDate.of(2026, 6, 1));
        for (LocalDate d : worked) {
            List<Long> times = new ArrayList<>();
            for (int m = 0; m <= 20; m += 2) {
                times.add(d.atTime(10, m).toInstant(ZoneOffset.UTC).toEpochMilli());
            }
            assertEquals(202, post(key, times, d.getMonthValue() % 2 == 0 ? "app" : "web"));
        }
        STACK.deployment().awaitDrained(Duration.ofSeconds(30));
        String range = "start=2026-01-01&end=2026-06-15";
        JsonNode first = stats(key, range);
        assertEquals(5 * 20 * 60.0, first.get("total_seconds").asDouble(), 0.001);
        for (String month : List.of("2026-01", "2026-02", "2026-03", "2026-04", "2026-05")) {
            assertTrue(item(user, "M#" + month), "month rollup built by the first read: " + month);
        }
        assertFalse(item(user, "M#2026-06"), "the current month is read from its days");

        var before = dev.devtime.functions.aws.Metering.snapshot();
        JsonNode again = stats(key, range);
        var spent = dev.devtime.functions.aws.Metering.snapshot().minus(before);
        assertEquals(first, again, "months give what the days gave");
        assertEquals(0.0, spent.writeUnits(), "nothing to rebuild the second time");
        assertEquals(
                3 * 20 * 60.0,
                stats(key, range + "&project=app").get("total_seconds").asDouble(),
                0.001,
                "a filtered range reads the days and agrees");
        // A range starting inside February reads that month's days beside the whole months.
        JsonNode fromFeb10 = stats(key, "start=2026-02-10&end=2026-06-15");
        assertEquals(first.get("total_seconds"), fromFeb10.get("total_seconds"));
        assertEquals(workedDays(first), workedDays(fromFeb10));
        assertEquals(
                4 * 20 * 60.0,
                stats(key, "start=2026-02-11&end=2026-06-15")
                        .get("total_seconds")
                        .asDouble(),
                0.001);

        // A late heartbeat (an offline backlog) for March: its day is stored, its month rebuilt on read.
        assertEquals(
                202,
                post(
                        key,
                        List.of(LocalDate.of(2026, 3, 10)
                                .atTime(10, 22)
                                .toInstant(ZoneOffset.UTC)
                                .toEpochMilli()),
                        "web"));
        STACK.deployment().awaitDrained(Duration.ofSeconds(30));
        JsonNode late = stats(key, range);
        assertEquals((5 * 20 + 2) * 60.0, late.get("total_seconds").asDouble(), 0.001);
        for (JsonNode d : late.get("by_day")) {
            if (d.get("date").asText().equals("2026-03-10")) {
                assertEquals(22 * 60.0, d.get("seconds").asDouble(), 0.001);
            }
        }
    }

    static int post(String key, List<Long> timesMs) throws Exception {
        return post(key, timesMs, "app");
    }

    static JsonNode stats(String key, String query) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(STACK.deployment().baseUrl() + "/api/stats?" + query))
                                .header("Authorization", "Bearer " + key)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** The by_day entries with time, as "date=seconds". */
    static List<String> workedDays(JsonNode stats) {
        List<String> out = new ArrayList<>();
        for (JsonNode d : stats.get("by_day")) {
            if (d.get("seconds").asDouble() > 0) {
                out.add(d.get("date").asText() + "=" + d.get("seconds").asDouble());
            }
        }
        return out;
    }

    static boolean item(String user, String sk) {
        return STACK.deployment()
                .dynamo
                .getItem(b -> b.tableName(LocalDeployment.TABLE)
                        .consistentRead(true)
                        .key(Map.of(
                                Table.PK,
                                AttributeValue.fromS(Table.userPk(user)),
                                Table.SK,
                                AttributeValue.fromS(sk))))
                .hasItem();
    }

    static int post(String key, List<Long> timesMs, String project) throws Exception {
        StringBuilder body = new StringBuilder("[");
        for (long t : timesMs) {
            if (body.length() > 1) {
                body.append(',');
            }
            body.append(String.format(
                    "{\"entity\":\"/home/dev/app/src/main.go\",\"type\":\"file\",\"category\":\"coding\","
                            + "\"time\":%.3f,\"project\":\"%s\",\"language\":\"Go\",\"is_write\":false}",
                    t / 1000.0, project));
        }
        body.append(']');
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        STACK.deployment().baseUrl() + "/api/v1/users/current/heartbeats.bulk"))
                                .header("Authorization", "Bearer " + key)
                                .header("User-Agent", UA)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    static double total(String key, LocalDate day) throws Exception {
        return stats(key, "start=" + day + "&end=" + day).get("total_seconds").asDouble();
    }

    static boolean dayItemExists(String user, LocalDate day) {
        return item(user, "D#" + day);
    }

    static Set<String> openDays(String user) {
        var r = STACK.deployment()
                .dynamo
                .getItem(b -> b.tableName(LocalDeployment.TABLE)
                        .consistentRead(true)
                        .key(Map.of(
                                Table.PK,
                                AttributeValue.fromS(Table.userPk(user)),
                                Table.SK,
                                AttributeValue.fromS("OPEN"))));
        return r.hasItem() && r.item().containsKey("days")
                ? new TreeSet<>(r.item().get("days").ss())
                : Set.of();
    }

    /** A clock the test moves; the handlers read it on every call. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void set(java.time.LocalDateTime utc) {
            now = utc.toInstant(ZoneOffset.UTC);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
