package dev.devtime.model.time;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.UserSettings;
import dev.devtime.model.rollup.AiRow;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.rollup.Session;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * WakaTime's duration rule and the plan's session rule, for one local day.
 *
 * <p>Durations: one timeline per user; two consecutive heartbeats are joined when the gap is at most the
 * timeout, and the gap is credited to the earlier heartbeat's attributes; nothing is added after the last
 * heartbeat, so a lone heartbeat is 0 s. An idle heartbeat closes the gap before it and opens none. A gap
 * that crosses midnight is split between the two days. Breakdowns therefore always sum to the total.
 *
 * <p>Sessions: heartbeats of the same tool and project with gaps under the timeout; a session runs from
 * its first to its last heartbeat, clipped to the day.
 */
public final class TimeAccounting {

    private TimeAccounting() {
    }

    public static long dayStartMs(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant().toEpochMilli();
    }

    public static LocalDate dayOf(long timeMs, ZoneId zone) {
        return java.time.Instant.ofEpochMilli(timeMs).atZone(zone).toLocalDate();
    }

    /**
     * The time window whose heartbeats decide a day: the day itself plus one timeout on each side (the
     * heartbeat before midnight that opens a gap into the day, the one after that closes the last gap).
     */
    public static long[] window(LocalDate day, UserSettings s) {
        return new long[] {dayStartMs(day, s.zone()) - s.timeoutMs(),
                dayStartMs(day.plusDays(1), s.zone()) + s.timeoutMs()};
    }

    /**
     * The days whose rollup a heartbeat can change: its own, and a neighbour when it lies within one
     * timeout of midnight.
     */
    public static List<LocalDate> affectedDays(long timeMs, UserSettings s) {
        LocalDate day = dayOf(timeMs, s.zone());
        List<LocalDate> days = new ArrayList<>(3);
        if (timeMs - s.timeoutMs() < dayStartMs(day, s.zone())) {
            days.add(day.minusDays(1));
        }
        days.add(day);
        if (timeMs + s.timeoutMs() >= dayStartMs(day.plusDays(1), s.zone())) {
            days.add(day.plusDays(1));
        }
        return days;
    }

    /** @param timeline the user's heartbeats covering at least {@link #window}, as {@link Timeline#of} gives */
    public static DayRollup day(List<Heartbeat> timeline, LocalDate day, UserSettings s) {
        long start = dayStartMs(day, s.zone());
        long end = dayStartMs(day.plusDays(1), s.zone());
        long timeout = s.timeoutMs();

        Map<List<String>, DurationRow> rows = new LinkedHashMap<>();
        for (int i = 0; i + 1 < timeline.size(); i++) {
            Heartbeat a = timeline.get(i);
            if (a.isIdle()) {
                continue;
            }
            long gapEnd = timeline.get(i + 1).timeMs();
            if (gapEnd - a.timeMs() > timeout) {
                continue;
            }
            long from = Math.max(a.timeMs(), start);
            long to = Math.min(gapEnd, end);
            if (to > from) {
                DurationRow row = rowOf(a);
                rows.merge(key(row), row.plus(to - from), (x, y) -> x.plus(to - from));
            }
        }

        Map<List<String>, AiRow> ai = new LinkedHashMap<>();
        int count = 0;
        for (Heartbeat h : timeline) {
            if (h.timeMs() < start || h.timeMs() >= end) {
                continue;
            }
            count++;
            if (h.hasAiUsage()) {
                AiRow row = new AiRow(nz(h.tool()), nz(h.project()), nz(h.model()), h.tokensIn(), h.tokensOut(),
                        h.cacheCreationTokens(), h.cacheReadTokens(), h.prompts(), h.aiLineChanges(),
                        h.humanLineChanges());
                ai.merge(List.of(row.tool(), row.project(), row.model()), row, AiRow::plus);
            }
        }
        return new DayRollup(day, List.copyOf(rows.values()), List.copyOf(ai.values()),
                sessions(timeline, start, end, timeout), count);
    }

    static List<Session> sessions(List<Heartbeat> timeline, long start, long end, long timeout) {
        Map<List<String>, List<Heartbeat>> byToolProject = new LinkedHashMap<>();
        for (Heartbeat h : timeline) {
            if (!h.isIdle()) {
                byToolProject.computeIfAbsent(List.of(nz(h.tool()), nz(h.project())), k -> new ArrayList<>()).add(h);
            }
        }
        List<Session> out = new ArrayList<>();
        for (Map.Entry<List<String>, List<Heartbeat>> e : byToolProject.entrySet()) {
            List<Heartbeat> hs = e.getValue();
            int first = 0;
            for (int i = 1; i <= hs.size(); i++) {
                if (i == hs.size() || hs.get(i).timeMs() - hs.get(i - 1).timeMs() >= timeout) {
                    Session s = clip(e.getKey(), hs.subList(first, i), start, end);
                    if (s != null) {
                        out.add(s);
                    }
                    first = i;
                }
            }
        }
        out.sort((a, b) -> a.startMs() != b.startMs() ? Long.compare(a.startMs(), b.startMs())
                : a.id().compareTo(b.id()));
        return out;
    }

    private static Session clip(List<String> key, List<Heartbeat> hs, long start, long end) {
        long first = hs.get(0).timeMs();
        long last = hs.get(hs.size() - 1).timeMs();
        if (last < start || first >= end) {
            return null;
        }
        int inDay = 0;
        for (Heartbeat h : hs) {
            if (h.timeMs() >= start && h.timeMs() < end) {
                inDay++;
            }
        }
        return new Session(key.get(0), key.get(1), Math.max(first, start), Math.min(last, end), inDay);
    }

    static DurationRow rowOf(Heartbeat h) {
        return new DurationRow(nz(h.tool()), nz(h.project()), nz(h.language()), nz(h.category()), nz(h.editor()),
                nz(h.machine()), nz(h.branch()), nz(h.os()), 0);
    }

    private static List<String> key(DurationRow r) {
        return List.of(r.tool(), r.project(), r.language(), r.category(), r.editor(), r.machine(), r.branch(), r.os());
    }

    private static String nz(String s) {
        return Objects.requireNonNullElse(s, DurationRow.UNKNOWN);
    }
}
