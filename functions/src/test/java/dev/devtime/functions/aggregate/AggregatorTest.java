package dev.devtime.functions.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.functions.Wiring;
import dev.devtime.functions.testing.DynamoDbLocalExtension;
import dev.devtime.functions.testing.MutableClock;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.rollup.DayRollup;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The aggregator against DynamoDB Local: what it stores, and that repeating or reordering changes nothing. */
class AggregatorTest {

    @RegisterExtension
    final DynamoDbLocalExtension dynamo = new DynamoDbLocalExtension();

    static final String USER = "user-1";
    static final LocalDate PAST = LocalDate.of(2026, 3, 10);

    MutableClock clock;
    Wiring wiring;
    Aggregator aggregator;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-06-15T12:00:00Z"));
        wiring = dynamo.wiring(clock, null);
        aggregator = wiring.aggregator();
    }

    static Heartbeat hb(LocalDate day, String time, String project) {
        return Heartbeat.builder(Instant.parse(day + "T" + time + "Z").toEpochMilli())
                .tool("vscode")
                .entity("/src/" + project + "/a.ts")
                .project(project)
                .language("TypeScript")
                .build();
    }

    /** Three heartbeats five minutes apart: ten minutes, all credited to the project. */
    static List<Heartbeat> tenMinutes(LocalDate day) {
        return List.of(hb(day, "10:00:00", "api"), hb(day, "10:05:00", "api"), hb(day, "10:10:00", "api"));
    }

    @Test
    void aPastDayIsStoredAtOnceAndAResendAddsNothing() {
        Aggregator.Outcome first = aggregator.apply(USER, tenMinutes(PAST));
        assertEquals(3, first.added());
        assertEquals(1, first.bucketsWritten());
        assertEquals(1, first.daysWritten());
        List<DayRollup> stored = wiring.days.query(USER, PAST, PAST);
        assertEquals(1, stored.size());
        assertEquals(600_000, stored.get(0).totalMs());

        Aggregator.Outcome again = aggregator.apply(USER, tenMinutes(PAST));
        assertEquals(new Aggregator.Outcome(3, 0, 0, 0), again);
        assertEquals(3, wiring.buckets.timeline(USER, 0, Long.MAX_VALUE, true).size());
        assertEquals(600_000, wiring.days.query(USER, PAST, PAST).get(0).totalMs());
    }

    @Test
    void theSameHeartbeatsInAnyOrderAndSplitGiveTheSameDay() {
        List<Heartbeat> all = new ArrayList<>(tenMinutes(PAST));
        all.add(hb(PAST, "10:20:00", "web"));
        all.add(hb(PAST, "23:55:00", "web"));
        aggregator.apply(USER, all);
        DayRollup inOrder = wiring.days.query(USER, PAST, PAST).get(0);

        Wiring other = new Wiring(dynamo.client(), dynamo.table(), null, null, null, Wiring.Config.defaults(), clock);
        List<Heartbeat> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);
        other.aggregator().apply("user-2", reversed.subList(0, 2));
        other.aggregator().apply("user-2", reversed.subList(1, reversed.size()));
        other.aggregator().apply("user-2", reversed);
        DayRollup shuffled = other.days.query("user-2", PAST, PAST).get(0);

        assertEquals(inOrder.totalMs(), shuffled.totalMs());
        assertEquals(inOrder.rows(), shuffled.rows());
        assertEquals(inOrder.sessions().size(), shuffled.sessions().size());
        // 10:00-10:10 and 10:10-10:20 (gap credited to the earlier heartbeat), nothing after 23:55's lone one.
        assertEquals(1_200_000, inOrder.totalMs());
    }

    @Test
    void aResentAiHeartbeatWithMoreTokensReplacesTheSmallerOne() {
        Heartbeat small = hb(PAST, "09:00:00", "api").toBuilder()
                .tool("claude-code")
                .tokensIn(100)
                .tokensOut(10)
                .build();
        Heartbeat grown = small.toBuilder().tokensIn(400).tokensOut(40).build();
        aggregator.apply(USER, List.of(grown));
        assertEquals(0, aggregator.apply(USER, List.of(small)).added(), "a smaller copy is older news");
        aggregator.apply(USER, List.of(small.toBuilder().tokensIn(50).build()));
        List<Heartbeat> kept = wiring.buckets.timeline(USER, 0, Long.MAX_VALUE, true);
        assertEquals(1, kept.size());
        assertEquals(400, kept.get(0).tokensIn());
        assertEquals(40, kept.get(0).tokensOut());
    }

    @Test
    void todayStaysOpenUntilItsWindowHasEndedAndThenSettlesOnce() {
        LocalDate today = LocalDate.of(2026, 6, 15);
        Aggregator.Outcome o = aggregator.apply(USER, tenMinutes(today));
        assertEquals(0, o.daysWritten(), "an open day is not stored");
        assertTrue(wiring.settings.load(USER).openDays().contains(today));
        assertTrue(wiring.days.query(USER, today, today).isEmpty());

        // Midnight plus the 15-minute timeout ends the window; the settle margin has not passed yet.
        clock.set(Instant.parse("2026-06-16T00:20:00Z"));
        assertFalse(Aggregator.isOpen(today, wiring.settings.load(USER).timing(), clock.millis()));
        assertEquals(0, aggregator.settle(USER, wiring.settings.load(USER), clock.millis()));

        clock.advance(Aggregator.SETTLE_MARGIN);
        assertEquals(1, aggregator.settle(USER, wiring.settings.load(USER), clock.millis()));
        assertTrue(wiring.settings.load(USER).openDays().isEmpty());
        assertEquals(600_000, wiring.days.query(USER, today, today).get(0).totalMs());
        assertEquals(0, aggregator.settle(USER, wiring.settings.load(USER), clock.millis()), "settled once");
    }

    @Test
    void aLateHeartbeatForASettledDayRewritesItAtOnce() {
        aggregator.apply(USER, tenMinutes(PAST));
        Aggregator.Outcome late = aggregator.apply(USER, List.of(hb(PAST, "10:12:00", "api")));
        assertEquals(1, late.daysWritten());
        assertEquals(720_000, wiring.days.query(USER, PAST, PAST).get(0).totalMs());
    }

    @Test
    void aHeartbeatNearMidnightTouchesBothDays() {
        LocalDate next = PAST.plusDays(1);
        aggregator.apply(USER, List.of(hb(PAST, "23:55:00", "api"), hb(next, "00:05:00", "api")));
        // The gap across midnight is split at the user's midnight: five minutes on each day.
        assertEquals(300_000, wiring.days.query(USER, PAST, PAST).get(0).totalMs());
        assertEquals(300_000, wiring.days.query(USER, next, next).get(0).totalMs());
    }

    @Test
    void excludedProjectsNeverReachTheTable() {
        var s = wiring.settings.get(USER);
        wiring.settings.put(
                USER, new dev.devtime.functions.store.SettingsStore.Settings(s.timing(), true, List.of("secret"), 0));
        aggregator.apply(USER, List.of(hb(PAST, "10:00:00", "secret"), hb(PAST, "10:05:00", "api")));
        List<Heartbeat> kept = wiring.buckets.timeline(USER, 0, Long.MAX_VALUE, true);
        assertEquals(1, kept.size());
        assertEquals("api", kept.get(0).project());
        assertTrue(
                kept.get(0).entity().startsWith("hmac-sha256:"),
                "file names hidden: " + kept.get(0).entity());
        assertEquals(0, wiring.days.query(USER, PAST, PAST).get(0).totalMs(), "a lone heartbeat counts no time");
    }

    @Test
    void aPathTheClientHashedIsKeyedWhenFileNamesAreHiddenAndKeptOtherwise() {
        String clientHashed = "sha256:fa19a4be77372290c0c8e8f699c0ead621b75b30220a546d69e6738d22334f22";
        aggregator.apply(
                USER,
                List.of(hb(PAST, "10:00:00", "api").toBuilder()
                        .entity(clientHashed)
                        .build()));
        assertEquals(
                clientHashed,
                wiring.buckets.timeline(USER, 0, Long.MAX_VALUE, true).get(0).entity());

        var s = wiring.settings.get(USER);
        wiring.settings.put(
                USER, new dev.devtime.functions.store.SettingsStore.Settings(s.timing(), true, List.of(), 0));
        aggregator.apply(
                USER,
                List.of(hb(PAST, "11:00:00", "api").toBuilder()
                        .entity(clientHashed)
                        .build()));
        List<Heartbeat> kept = wiring.buckets.timeline(USER, 0, Long.MAX_VALUE, true);
        assertEquals(clientHashed, kept.get(0).entity(), "what was stored before is not rewritten");
        assertTrue(
                kept.get(1).entity().matches("hmac-sha256:[0-9a-f]{64}"),
                "an unkeyed hash is keyed: " + kept.get(1).entity());
    }
}
