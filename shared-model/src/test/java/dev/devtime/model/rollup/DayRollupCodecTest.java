package dev.devtime.model.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DayRollupCodecTest {

    static DayRollup day(LocalDate date, String project, long ms) {
        return new DayRollup(
                date,
                List.of(
                        new DurationRow("vscode", project, "Go", "coding", "vscode", "laptop", "main", "linux", ms),
                        new DurationRow(
                                "claude-code",
                                project,
                                "unknown",
                                "ai coding",
                                "claude-code",
                                "laptop",
                                "main",
                                "linux",
                                ms / 2)),
                List.of(new AiRow("claude-code", project, "claude-sonnet-4-5", 1200, 340, 10, 5000, 3, 40, 12)),
                List.of(new Session("vscode", project, 1_000, 2_000, 4)),
                17,
                List.of(
                        new EntityRow(project, "/src/" + project + "/main.go", ms),
                        new EntityRow(project, "hmac-sha256:00ff", ms / 2)));
    }

    @Test
    void aDayRoundTripsWithItsSessions() {
        DayRollup d = day(LocalDate.of(2026, 3, 1), "app", 60_000);
        assertEquals(d, DayRollupCodec.decode(d.date(), DayRollupCodec.encode(d)));
    }

    @Test
    void aDayStoredWithoutEntitiesHasNone() {
        byte[] stored =
                "{\"n\":1,\"r\":[[0,1,2,3,0,4,5,6,60000]],\"a\":[],\"s\":[],\"d\":[\"vscode\",\"app\",\"Go\",\"coding\",\"laptop\",\"main\",\"linux\"]}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        DayRollup d = DayRollupCodec.decode(LocalDate.of(2026, 3, 1), stored);
        assertEquals(List.of(), d.entities());
        assertEquals(60_000, d.totalMs());
    }

    @Test
    void aMonthSumsCombinationsAcrossDaysAndKeepsDayTotals() {
        List<DayRollup> days = List.of(
                day(LocalDate.of(2026, 3, 1), "app", 60_000),
                day(LocalDate.of(2026, 3, 2), "app", 90_000),
                day(LocalDate.of(2026, 3, 9), "web", 30_000));
        MonthRollup m = MonthRollup.of(YearMonth.of(2026, 3), days);
        MonthRollup back = DayRollupCodec.decodeMonth(m.month(), DayRollupCodec.encodeMonth(m));
        assertEquals(m, back);
        assertEquals(4, back.rows().size(), "app's two rows are summed over its two days; web adds two");
        assertEquals(150_000, back.rows().get(0).ms());
        assertEquals(
                List.of(90_000L, 135_000L, 45_000L),
                back.days().stream().map(Stats.DayTotal::ms).toList());
        assertEquals(
                2 * 1200 + 1200, back.ai().stream().mapToLong(AiRow::tokensIn).sum());
        assertEquals(51, back.heartbeats());
        // The same stats, unfiltered, from the month as from its days.
        LocalDate from = LocalDate.of(2026, 3, 1);
        LocalDate to = LocalDate.of(2026, 3, 31);
        assertEquals(
                Stats.of(from, to, days, Map.of()).byDimension(),
                Stats.of(from, to, List.of(), List.of(back)).byDimension());
        assertEquals(
                Stats.of(from, to, days, Map.of()).byDay(),
                Stats.of(from, to, List.of(), List.of(back)).byDay());
        assertEquals(
                Stats.of(from, to, days, Map.of()).ai(),
                Stats.of(from, to, List.of(), List.of(back)).ai());
    }
}
