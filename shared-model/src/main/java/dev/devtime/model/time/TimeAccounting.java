package dev.devtime.model.time;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.AiRow;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.rollup.EntityRow;
import dev.devtime.model.rollup.Session;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * WakaTime's duration rule and DevTime's session rule, for one local day.
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

    private TimeAccounting() {}

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
    public static long[] window(LocalDate day, Timing s) {
        return new long[] {
            dayStartMs(day, s.zone()) - s.timeoutMs(), dayStartMs(day.plusDays(1), s.zone()) + s.timeoutMs()
        };
    }

    /**
     * The days whose rollup a heartbeat can change: its own, and a neighbour when it lies within one
     * timeout of midnight.
     */
    public static List<LocalDate> affectedDays(long timeMs, Timing s) {
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
    public static DayRollup day(List<Heartbeat> timeline, LocalDate day, Timing s) {
        long start = dayStartMs(day, s.zone());
        long end = dayStartMs(day.plusDays(1), s.zone());
        long timeout = s.timeoutMs();

        // Per attribute combination, in order of first credit. Consecutive gaps mostly credit the same
        // combination, so the map is looked up only when it changes.
        Map<List<String>, long[]> rows = new LinkedHashMap<>();
        Heartbeat credited = null;
        long[] creditedMs = null;
        // The same gaps per project and entity.
        Map<List<String>, long[]> entities = new LinkedHashMap<>();
        Heartbeat entityCredited = null;
        long[] entityMs = null;
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
                if (credited == null || !sameRow(credited, a)) {
                    creditedMs = rows.computeIfAbsent(rowKey(a), k -> new long[1]);
                    credited = a;
                }
                creditedMs[0] += to - from;
                if (entityCredited == null
                        || !nz(entityCredited.entity()).equals(nz(a.entity()))
                        || !nz(entityCredited.project()).equals(nz(a.project()))) {
                    entityMs = entities.computeIfAbsent(List.of(nz(a.project()), nz(a.entity())), k -> new long[1]);
                    entityCredited = a;
                }
                entityMs[0] += to - from;
            }
        }
        List<DurationRow> durations = new ArrayList<>(rows.size());
        rows.forEach((k, ms) -> durations.add(new DurationRow(
                k.get(0), k.get(1), k.get(2), k.get(3), k.get(4), k.get(5), k.get(6), k.get(7), ms[0])));

        Map<List<String>, AiRow> ai = new LinkedHashMap<>();
        int count = 0;
        String[] models = null;
        for (int i = 0; i < timeline.size(); i++) {
            Heartbeat h = timeline.get(i);
            if (h.timeMs() < start || h.timeMs() >= end) {
                continue;
            }
            count++;
            if (h.hasAiUsage()) {
                String model = h.model();
                if (model == null || model.isBlank()) {
                    // A prompt names no model: it is its session's (the timeline covers the day and a timeout around
                    // it).
                    if (models == null) {
                        models = SessionModels.of(timeline);
                    }
                    model = models[i];
                }
                AiRow row = new AiRow(
                        nz(h.tool()),
                        nz(h.project()),
                        nz(model),
                        h.tokensIn(),
                        h.tokensOut(),
                        h.cacheCreationTokens(),
                        h.cacheReadTokens(),
                        h.prompts(),
                        h.aiLineChanges(),
                        h.humanLineChanges());
                ai.merge(List.of(row.tool(), row.project(), row.model()), row, AiRow::plus);
            }
        }
        List<EntityRow> entityRows = new ArrayList<>(entities.size());
        entities.forEach((k, ms) -> entityRows.add(new EntityRow(k.get(0), k.get(1), ms[0])));
        return new DayRollup(
                day,
                List.copyOf(durations),
                List.copyOf(ai.values()),
                sessions(timeline, start, end, timeout),
                count,
                EntityRow.bounded(entityRows));
    }

    static List<Session> sessions(List<Heartbeat> timeline, long start, long end, long timeout) {
        Map<List<String>, List<Heartbeat>> byToolProject = new LinkedHashMap<>();
        Heartbeat previous = null;
        List<Heartbeat> same = null;
        for (Heartbeat h : timeline) {
            if (!h.isIdle()) {
                // Runs of one tool and project are the rule: look the list up only when the pair changes.
                if (previous == null
                        || !nz(previous.tool()).equals(nz(h.tool()))
                        || !nz(previous.project()).equals(nz(h.project()))) {
                    same = byToolProject.computeIfAbsent(
                            List.of(nz(h.tool()), nz(h.project())), k -> new ArrayList<>());
                    previous = h;
                }
                same.add(h);
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
        out.sort((a, b) ->
                a.startMs() != b.startMs() ? Long.compare(a.startMs(), b.startMs()) : a.id().compareTo(b.id()));
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

    /** The attributes time is credited to, in {@link DurationRow}'s order. */
    private static List<String> rowKey(Heartbeat h) {
        return List.of(
                nz(h.tool()),
                nz(h.project()),
                nz(h.language()),
                nz(h.category()),
                nz(h.editor()),
                nz(h.machine()),
                nz(h.branch()),
                nz(h.os()));
    }

    /** Whether two heartbeats credit the same row: {@link #rowKey} equal, without building the keys. */
    private static boolean sameRow(Heartbeat x, Heartbeat y) {
        return nz(x.tool()).equals(nz(y.tool()))
                && nz(x.project()).equals(nz(y.project()))
                && nz(x.language()).equals(nz(y.language()))
                && nz(x.category()).equals(nz(y.category()))
                && nz(x.editor()).equals(nz(y.editor()))
                && nz(x.machine()).equals(nz(y.machine()))
                && nz(x.branch()).equals(nz(y.branch()))
                && nz(x.os()).equals(nz(y.os()));
    }

    private static String nz(String s) {
        return Objects.requireNonNullElse(s, DurationRow.UNKNOWN);
    }
}
