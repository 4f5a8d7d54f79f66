package dev.devtime.functions.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.functions.Wiring;
import dev.devtime.functions.testing.DynamoDbLocalExtension;
import dev.devtime.functions.testing.MutableClock;
import dev.devtime.model.Heartbeat;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reading a user's whole partition in stored order, as export does, against DynamoDB Local. */
class UserDataStoreTest {

    @RegisterExtension
    final DynamoDbLocalExtension dynamo = new DynamoDbLocalExtension();

    static final String USER = "erin";

    @Test
    void bucketsThenDaysInSortKeyOrderBySectionAndFromAKey() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-20T12:00:00Z"));
        Wiring wiring = dynamo.wiring(clock, null);
        List<Heartbeat> hs = new ArrayList<>();
        for (String day : List.of("2026-06-10", "2026-06-11")) {
            for (int i = 0; i < 40; i++) {
                hs.add(Heartbeat.builder(Instant.parse(day + "T09:00:00Z").toEpochMilli() + i * 60_000L)
                        .tool("vscode")
                        .project("p")
                        .entity("/p/" + i % 3)
                        .build());
            }
        }
        wiring.aggregator().apply(USER, hs);
        UserDataStore data = wiring.data;

        List<UserDataStore.Item> all = new ArrayList<>();
        data.items(USER, UserDataStore.Section.HEARTBEATS, UserDataStore.Section.DAYS, null, 2)
                .forEach(all::add);
        List<Long> starts = new ArrayList<>(data.bucketStarts(USER));
        assertEquals(6, starts.size(), "40 minutes a day fill three quarter-hour buckets");
        assertEquals(starts.size() + 2, all.size());
        for (int i = 0; i < starts.size(); i++) {
            UserDataStore.Item bucket = all.get(i);
            assertNull(bucket.day());
            assertEquals(starts.get(i), BucketStore.startOf(bucket.sortKey()));
            assertTrue(UserDataStore.isItemKey(bucket.sortKey()), bucket.sortKey());
        }
        assertEquals(
                80,
                all.subList(0, starts.size()).stream()
                        .mapToInt(b -> b.heartbeats().size())
                        .sum());
        UserDataStore.Item first = all.get(starts.size());
        assertEquals(LocalDate.parse("2026-06-10"), first.day().date());
        assertEquals(40, first.day().heartbeats());
        assertTrue(first.heartbeats().isEmpty());

        List<UserDataStore.Item> days = new ArrayList<>();
        data.items(USER, UserDataStore.Section.DAYS, UserDataStore.Section.DAYS, null, 50)
                .forEach(days::add);
        assertEquals(
                List.of(LocalDate.parse("2026-06-10"), LocalDate.parse("2026-06-11")),
                days.stream().map(d -> d.day().date()).toList());

        List<UserDataStore.Item> rest = new ArrayList<>();
        data.items(
                        USER,
                        UserDataStore.Section.HEARTBEATS,
                        UserDataStore.Section.DAYS,
                        days.get(1).sortKey(),
                        50)
                .forEach(rest::add);
        assertEquals(
                List.of(days.get(1).sortKey()),
                rest.stream().map(UserDataStore.Item::sortKey).toList());

        List<UserDataStore.Item> onlyBuckets = new ArrayList<>();
        data.items(USER, UserDataStore.Section.HEARTBEATS, UserDataStore.Section.HEARTBEATS, null, 50)
                .forEach(onlyBuckets::add);
        assertEquals(starts.size(), onlyBuckets.size());

        assertFalse(UserDataStore.isItemKey("SETTINGS"));
        assertFalse(UserDataStore.isItemKey("D#2026-6-1"));
    }
}
