package dev.devtime.model.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DayRollupCodecTest {

    static DayRollup day(LocalDate date, String project, long ms) {
        return new DayRollup(date,
                List.of(new DurationRow("vscode", project, "Go", "coding", "vscode", "laptop", "main", "linux", ms),
                        new DurationRow("claude-code", project, "unknown", "ai coding", "claude-code", "laptop", "main",
                                "linux", ms / 2)),
                List.of(new AiRow("claude-code", project, "claude-sonnet-4-5", 1200, 340, 10, 5000, 3, 40, 12)),
                List.of(new Session("vscode", project, 1_000, 2_000, 4)), 17);
    }

    @Test
    void aDayRoundTripsWithItsSessions() {
        DayRollup d = day(LocalDate.of(2026, 3, 1), "app", 60_000);
        assertEquals(d, DayRollupCodec.decode(d.date(), DayRollupCodec.encode(d)));
    }

    @Test
    void aMonthRoundTripsWithoutSessionsAndSharesOneStringTable() {
        List<DayRollup> days = List.of(day(LocalDate.of(2026, 3, 1), "app", 60_000), day(LocalDate.of(2026, 3, 2), "app", 90_000),
                day(LocalDate.of(2026, 3, 9), "web", 30_000));
        List<DayRollup> back = DayRollupCodec.decodeDays(DayRollupCodec.encodeDays(days));
        assertEquals(days.size(), back.size());
        for (int i = 0; i < days.size(); i++) {
            DayRollup d = days.get(i);
            assertEquals(new DayRollup(d.date(), d.rows(), d.ai(), List.of(), d.heartbeats()), back.get(i));
        }
        int separately = 0;
        for (DayRollup d : days) {
            separately += DayRollupCodec.encode(d).length;
        }
        assertTrue(DayRollupCodec.encodeDays(days).length < separately * 0.7,
                "one string table for the month instead of one per day");
    }
}
