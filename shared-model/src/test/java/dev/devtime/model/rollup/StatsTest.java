package dev.devtime.model.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.time.TimeAccounting;
import dev.devtime.model.time.Timeline;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsTest {

    static final LocalDate DAY = LocalDate.of(2026, 3, 10);
    static final long T0 = DAY.atTime(9, 0).atZone(ZoneId.of("UTC")).toInstant().toEpochMilli();

    static Heartbeat hb(long t, String project, String language) {
        return Heartbeat.builder(t)
                .tool("vscode")
                .editor("VS Code")
                .project(project)
                .language(language)
                .entity("f")
                .build();
    }

    DayRollup day() {
        return TimeAccounting.day(
                Timeline.of(List.of(
                        hb(T0, "a", "Java"),
                        hb(T0 + 60_000, "a", "Go"),
                        hb(T0 + 180_000, "b", "Java"),
                        hb(T0 + 240_000, "b", "Java"))),
                DAY,
                Timing.defaults());
    }

    @Test
    void breakdownsSumToTheTotalAndFiltersNarrowEveryBreakdown() {
        DayRollup d = day();
        Stats all = Stats.of(DAY.minusDays(1), DAY, List.of(d), Map.of());
        assertEquals(240_000, all.totalMs());
        assertEquals(Map.of("a", 180_000L, "b", 60_000L), all.byDimension().get(Dimension.PROJECT));
        assertEquals(Map.of("Go", 120_000L, "Java", 120_000L), all.byDimension().get(Dimension.LANGUAGE));
        assertEquals(
                List.of(0L, 240_000L),
                all.byDay().stream().map(Stats.DayTotal::ms).toList());

        Stats onlyA = Stats.of(DAY, DAY, List.of(d), Map.of(Dimension.PROJECT, "a"));
        assertEquals(180_000, onlyA.totalMs());
        assertEquals(
                Map.of("Go", 120_000L, "Java", 60_000L), onlyA.byDimension().get(Dimension.LANGUAGE));
        assertEquals(1, onlyA.sessions().size());
    }

    @Test
    void theStoredFormRoundTrips() {
        DayRollup d = day();
        assertEquals(d, DayRollupCodec.decode(DAY, DayRollupCodec.encode(d)));
    }
}
