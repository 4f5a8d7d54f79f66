package dev.devtime.model.rollup;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Totals over a range of days, optionally filtered to rows matching exact attribute values. Every
 * breakdown sums to the total because each comes from the same rows.
 */
public record Stats(
        LocalDate start,
        LocalDate end,
        long totalMs,
        Map<Dimension, Map<String, Long>> byDimension,
        List<DayTotal> byDay,
        AiTotals ai,
        List<Session> sessions) {

    public record DayTotal(LocalDate date, long ms, AiRow ai) {}

    /** AI usage: grand totals plus by tool and by model ({@link AiRow}'s own fields hold the sums). */
    public record AiTotals(AiRow total, Map<String, AiRow> byTool, Map<String, AiRow> byModel) {}

    /**
     * @param days    the stored days within [start, end]; missing days count as empty
     * @param filters exact matches; tool and project also filter AI usage and sessions, the other
     *                dimensions do not exist on those and leave them as they are
     */
    public static Stats of(LocalDate start, LocalDate end, Collection<DayRollup> days, Map<Dimension, String> filters) {
        return of(start, end, days, List.of(), filters);
    }

    /** Unfiltered stats from days and whole months (month rollups cannot be filtered by day). */
    public static Stats of(LocalDate start, LocalDate end, Collection<DayRollup> days, Collection<MonthRollup> months) {
        return of(start, end, days, months, Map.of());
    }

    private static Stats of(
            LocalDate start,
            LocalDate end,
            Collection<DayRollup> days,
            Collection<MonthRollup> months,
            Map<Dimension, String> filters) {
        Map<LocalDate, DayRollup> byDate = new HashMap<>();
        days.forEach(d -> byDate.put(d.date(), d));
        Map<Dimension, Map<String, Long>> by = new EnumMap<>(Dimension.class);
        for (Dimension d : Dimension.values()) {
            by.put(d, new HashMap<>());
        }
        List<DayTotal> byDay = new ArrayList<>();
        AiRow total = zeroAi("all");
        Map<String, AiRow> aiByTool = new TreeMap<>();
        Map<String, AiRow> aiByModel = new TreeMap<>();
        List<Session> sessions = new ArrayList<>();
        Map<LocalDate, DayTotal> monthDays = new HashMap<>();
        for (MonthRollup m : months) {
            for (DurationRow r : m.rows()) {
                for (Dimension dim : Dimension.values()) {
                    by.get(dim).merge(r.value(dim), r.ms(), Long::sum);
                }
            }
            for (AiRow a : m.ai()) {
                aiByTool.merge(a.tool(), a, AiRow::plus);
                aiByModel.merge(a.model(), a, AiRow::plus);
            }
            monthDays.putAll(m.byDate());
        }
        long grand = 0;
        for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
            DayRollup d = byDate.get(day);
            long dayMs = 0;
            AiRow dayAi = zeroAi("day");
            DayTotal fromMonth = monthDays.get(day);
            if (fromMonth != null) {
                dayMs = fromMonth.ms();
                dayAi = zeroAi("day").plus(fromMonth.ai());
            } else if (d != null) {
                for (DurationRow r : d.rows()) {
                    if (!matches(r, filters)) {
                        continue;
                    }
                    dayMs += r.ms();
                    for (Dimension dim : Dimension.values()) {
                        by.get(dim).merge(r.value(dim), r.ms(), Long::sum);
                    }
                }
                for (AiRow a : d.ai()) {
                    if (!matchesToolProject(a.tool(), a.project(), filters)) {
                        continue;
                    }
                    dayAi = dayAi.plus(a);
                    aiByTool.merge(a.tool(), a, AiRow::plus);
                    aiByModel.merge(a.model(), a, AiRow::plus);
                }
                for (Session s : d.sessions()) {
                    if (matchesToolProject(s.tool(), s.project(), filters)) {
                        sessions.add(s);
                    }
                }
            }
            grand += dayMs;
            total = total.plus(dayAi);
            byDay.add(new DayTotal(day, dayMs, dayAi));
        }
        Map<Dimension, Map<String, Long>> sorted = new EnumMap<>(Dimension.class);
        by.forEach((dim, m) -> sorted.put(dim, sortedDescending(m)));
        return new Stats(start, end, grand, sorted, byDay, new AiTotals(total, aiByTool, aiByModel), sessions);
    }

    /** Largest first, ties by name, so that output is stable. */
    static Map<String, Long> sortedDescending(Map<String, Long> m) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> !a.getValue().equals(b.getValue())
                        ? Long.compare(b.getValue(), a.getValue())
                        : a.getKey().compareTo(b.getKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static boolean matches(DurationRow r, Map<Dimension, String> filters) {
        for (Map.Entry<Dimension, String> f : filters.entrySet()) {
            if (!f.getValue().equals(r.value(f.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesToolProject(String tool, String project, Map<Dimension, String> filters) {
        String t = filters.get(Dimension.TOOL);
        String p = filters.get(Dimension.PROJECT);
        return (t == null || t.equals(tool)) && (p == null || p.equals(project));
    }

    private static AiRow zeroAi(String label) {
        return new AiRow(label, label, label, 0, 0, 0, 0, 0, 0, 0);
    }
}
