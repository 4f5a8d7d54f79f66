package dev.devtime.model.rollup;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A month in the form long unfiltered ranges need: time by attribute combination summed over the month
 * (a combination worked on every day is one row, not thirty), AI usage likewise, and each day's total for
 * the by-day series. What it cannot answer, a breakdown of one day under a filter, is read from the days.
 */
public record MonthRollup(
        YearMonth month, List<DurationRow> rows, List<AiRow> ai, List<Stats.DayTotal> days, int heartbeats) {

    /** Sums the month's stored days (days of other months are a caller's bug). */
    public static MonthRollup of(YearMonth month, List<DayRollup> days) {
        Map<DurationRow, Long> rows = new LinkedHashMap<>();
        Map<List<String>, AiRow> ai = new LinkedHashMap<>();
        List<Stats.DayTotal> totals = new ArrayList<>();
        int heartbeats = 0;
        for (DayRollup d : days) {
            if (!YearMonth.from(d.date()).equals(month)) {
                throw new IllegalArgumentException(d.date() + " is not in " + month);
            }
            for (DurationRow r : d.rows()) {
                rows.merge(r.plus(-r.ms()), r.ms(), Long::sum);
            }
            AiRow dayAi = new AiRow("day", "day", "day", 0, 0, 0, 0, 0, 0, 0);
            for (AiRow a : d.ai()) {
                ai.merge(List.of(a.tool(), a.project(), a.model()), a, AiRow::plus);
                dayAi = dayAi.plus(a);
            }
            totals.add(new Stats.DayTotal(d.date(), d.totalMs(), dayAi));
            heartbeats += d.heartbeats();
        }
        List<DurationRow> summed = new ArrayList<>();
        rows.forEach((r, ms) -> summed.add(r.plus(ms)));
        return new MonthRollup(month, summed, new ArrayList<>(ai.values()), totals, heartbeats);
    }

    /** The day totals by date. */
    public Map<LocalDate, Stats.DayTotal> byDate() {
        Map<LocalDate, Stats.DayTotal> out = new LinkedHashMap<>();
        days.forEach(d -> out.put(d.date(), d));
        return out;
    }
}
