package dev.devtime.functions.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.functions.Wiring;
import dev.devtime.functions.aggregate.Aggregator;
import dev.devtime.functions.testing.DynamoDbLocalExtension;
import dev.devtime.functions.testing.MutableClock;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.Dimension;
import dev.devtime.model.rollup.Stats;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The read side against DynamoDB Local: open days from the buckets, long ranges from month rollups. */
class RollupReaderTest {

    @RegisterExtension
    final DynamoDbLocalExtension dynamo = new DynamoDbLocalExtension();

    static final String USER = "reader";
    static final LocalDate TODAY = LocalDate.of(2026, 6, 15);

    MutableClock clock;
    Wiring wiring;
    Aggregator aggregator;
    RollupReader reader;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse(TODAY + "T12:00:00Z"));
        wiring = dynamo.wiring(clock, null);
        aggregator = wiring.aggregator();
        reader = wiring.rollups();
    }

    /** {@code minutes} of work on the project, a heartbeat a minute from 09:00. */
    void work(LocalDate day, String project, int minutes) {
        List<Heartbeat> hs = new java.util.ArrayList<>();
        for (int i = 0; i <= minutes; i++) {
            hs.add(Heartbeat.builder(Instant.parse(day + "T09:00:00Z").toEpochMilli() + i * 60_000L)
                    .tool("vscode")
                    .project(project)
                    .entity("/" + project + "/x.java")
                    .language("Java")
                    .build());
        }
        aggregator.apply(USER, hs);
    }

    @Test
    void anOpenDayIsReadFromItsBucketsAsSoonAsTheyAreWritten() {
        work(TODAY, "api", 30);
        assertTrue(wiring.days.query(USER, TODAY, TODAY).isEmpty(), "not stored while open");
        List<DayRollup> read = reader.query(USER, TODAY, TODAY);
        assertEquals(1, read.size());
        assertEquals(1_800_000, read.get(0).totalMs());
        assertEquals(1, read.get(0).sessions().size());
    }

    @Test
    void aReadSettlesADueOpenDaySoAQuietUserIsStoredToo() {
        work(TODAY, "api", 30);
        clock.set(Instant.parse("2026-06-16T01:00:00Z"));
        var state = reader.state(USER);
        assertTrue(wiring.settings.load(USER).openDays().isEmpty());
        assertEquals(1_800_000, wiring.days.query(USER, TODAY, TODAY).get(0).totalMs());
        assertEquals(1_800_000, reader.query(USER, state, TODAY, TODAY).get(0).totalMs());
    }

    @Test
    void statsOverWholeMonthsMatchTheDaysAndFollowALateHeartbeat() {
        work(LocalDate.of(2026, 1, 5), "api", 60);
        work(LocalDate.of(2026, 2, 10), "web", 30);
        work(LocalDate.of(2026, 3, 20), "api", 10);
        work(LocalDate.of(2026, 4, 1), "web", 20);
        work(TODAY, "api", 5);
        LocalDate from = LocalDate.of(2026, 1, 1);

        Stats months = reader.stats(USER, from, TODAY, Map.of());
        assertEquals((60 + 30 + 10 + 20 + 5) * 60_000L, months.totalMs());
        assertEquals(
                Map.of("api", 75 * 60_000L, "web", 50 * 60_000L),
                months.byDimension().get(Dimension.PROJECT));
        Stats filtered = reader.stats(USER, from, TODAY, Map.of(Dimension.PROJECT, "web"));
        assertEquals(50 * 60_000L, filtered.totalMs());

        // A backlog for February arrives: the month rollup read next must include it.
        work(LocalDate.of(2026, 2, 11), "web", 15);
        assertEquals(
                (60 + 30 + 15 + 10 + 20 + 5) * 60_000L,
                reader.stats(USER, from, TODAY, Map.of()).totalMs());
        assertEquals(
                reader.stats(USER, from, TODAY, Map.of()).byDimension(),
                Stats.of(from, TODAY, reader.query(USER, from, TODAY), Map.of()).byDimension());
    }

    @Test
    void theFirstDayIsTheEarliestStoredOrOpenDay() {
        assertNull(reader.firstDay(USER));
        work(TODAY, "api", 5);
        assertEquals(TODAY, reader.firstDay(USER));
        work(LocalDate.of(2025, 12, 31), "api", 5);
        assertEquals(LocalDate.of(2025, 12, 31), reader.firstDay(USER));
    }
}
