package dev.devtime.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.AiRow;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.rollup.Session;
import dev.devtime.model.time.TimeAccounting;
import dev.devtime.model.time.Timeline;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Timeline.of and TimeAccounting.day are tuned for speed; their results must not change. Their first,
 * straightforward implementations are kept here as the oracle, and both are fed
 * the same random, shuffled, duplicated timelines, near midnight, with idle heartbeats, nulls and
 * "unknown" values side by side.
 */
class RollupEquivalenceTest {

    private static final String[] TOOLS = {"vscode", "claude-code", null, "unknown"};
    private static final String[] PROJECTS = {"a", "b", null, "unknown"};
    private static final String[] LANGUAGES = {"Java", "TypeScript", null};
    private static final String[] CATEGORIES = {"coding", "coding", "debugging", "ai coding", "idle", null};
    private static final String[] SMALL = {"x", "y", null};

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    private static List<Heartbeat> randomDay(Random r, long dayStart) {
        List<Heartbeat> out = new ArrayList<>();
        int n = 1 + r.nextInt(400);
        long t = dayStart - 3_600_000L + r.nextInt(3_600_000);
        for (int i = 0; i < n; i++) {
            // Gaps from 0 ms (same millisecond) to past the timeout, some runs crossing either midnight.
            t += switch (r.nextInt(10)) {
                case 0 -> 0;
                case 1 -> 16 * 60_000L + r.nextInt(3_600_000);
                case 2 -> r.nextInt(5);
                default -> r.nextInt(180_000);
            };
            Heartbeat h = Heartbeat.builder(t)
                    .tool(pick(r, TOOLS))
                    .project(pick(r, PROJECTS))
                    .language(pick(r, LANGUAGES))
                    .category(pick(r, CATEGORIES))
                    .editor(pick(r, SMALL))
                    .machine(pick(r, SMALL))
                    .branch(pick(r, SMALL))
                    .os(pick(r, SMALL))
                    .entity(r.nextInt(3) == 0 ? null : "/f" + r.nextInt(4))
                    .tokensIn(r.nextInt(4) == 0 ? r.nextInt(1000) : 0)
                    .model(pick(r, SMALL))
                    .build();
            out.add(h);
            if (r.nextInt(8) == 0) {
                out.add(h.toBuilder().build()); // a resend
            }
            if (r.nextInt(8) == 0) {
                out.add(h.toBuilder().project("other").language("Go").build()); // same identity, other attributes
            }
        }
        Collections.shuffle(out, r);
        return out;
    }

    @Test
    void sameTimelineAndSameDayAsBefore() {
        Random r = new Random(20261116);
        for (int round = 0; round < 2_000; round++) {
            ZoneId zone = r.nextBoolean() ? ZoneId.of("UTC") : ZoneId.of("America/St_Johns");
            Timing s = new Timing(zone, 1 + r.nextInt(30), 0);
            LocalDate day = LocalDate.of(2026, 3, 7 + r.nextInt(3)); // around a DST change in America
            List<Heartbeat> input = randomDay(r, TimeAccounting.dayStartMs(day, zone));

            List<Heartbeat> expected = Before.timeline(input);
            List<Heartbeat> actual = Timeline.of(input);
            assertEquals(expected.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                assertSame(expected.get(i), actual.get(i), "the first seen of one identity is kept");
            }
            for (LocalDate d : List.of(day.minusDays(1), day, day.plusDays(1))) {
                DayRollup now = TimeAccounting.day(actual, d, s);
                DayRollup before = Before.day(expected, d, s);
                assertEquals(before, new DayRollup(now.date(), now.rows(), now.ai(), now.sessions(), now.heartbeats()));
                // Entity time, which the code before did not keep, is the rows' time per project (few files here).
                Map<String, Long> byProject = new TreeMap<>();
                now.rows().forEach(x -> byProject.merge(x.project(), x.ms(), Long::sum));
                Map<String, Long> entityByProject = new TreeMap<>();
                now.entities().forEach(x -> entityByProject.merge(x.project(), x.ms(), Long::sum));
                assertEquals(byProject, entityByProject);
            }
        }
    }

    /** The code as it was, unchanged but for its names. */
    private static final class Before {

        static List<Heartbeat> timeline(Collection<Heartbeat> heartbeats) {
            Map<String, Heartbeat> unique = new LinkedHashMap<>();
            for (Heartbeat h : heartbeats) {
                unique.putIfAbsent(h.identity(), h);
            }
            List<Heartbeat> sorted = new ArrayList<>(unique.values());
            sorted.sort(Timeline.ORDER);
            return sorted;
        }

        static DayRollup day(List<Heartbeat> timeline, LocalDate day, Timing s) {
            long start = TimeAccounting.dayStartMs(day, s.zone());
            long end = TimeAccounting.dayStartMs(day.plusDays(1), s.zone());
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
                    AiRow row = new AiRow(
                            nz(h.tool()),
                            nz(h.project()),
                            nz(h.model()),
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
            return new DayRollup(
                    day,
                    List.copyOf(rows.values()),
                    List.copyOf(ai.values()),
                    sessions(timeline, start, end, timeout),
                    count);
        }

        static List<Session> sessions(List<Heartbeat> timeline, long start, long end, long timeout) {
            Map<List<String>, List<Heartbeat>> byToolProject = new LinkedHashMap<>();
            for (Heartbeat h : timeline) {
                if (!h.isIdle()) {
                    byToolProject
                            .computeIfAbsent(List.of(nz(h.tool()), nz(h.project())), k -> new ArrayList<>())
                            .add(h);
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

        static Session clip(List<String> key, List<Heartbeat> hs, long start, long end) {
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
            return new DurationRow(
                    nz(h.tool()),
                    nz(h.project()),
                    nz(h.language()),
                    nz(h.category()),
                    nz(h.editor()),
                    nz(h.machine()),
                    nz(h.branch()),
                    nz(h.os()),
                    0);
        }

        static List<String> key(DurationRow r) {
            return List.of(
                    r.tool(), r.project(), r.language(), r.category(), r.editor(), r.machine(), r.branch(), r.os());
        }

        static String nz(String s) {
            return Objects.requireNonNullElse(s, DurationRow.UNKNOWN);
        }
    }
}
