package dev.devtime.model.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.rollup.Session;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Golden cases for the duration and session rules. */
class TimeAccountingTest {

    static final ZoneId UTC = ZoneId.of("UTC");
    static final LocalDate DAY = LocalDate.of(2026, 3, 10);
    static final long T0 = DAY.atTime(9, 0).atZone(UTC).toInstant().toEpochMilli();

    static Timing settings(int timeoutMinutes) {
        return new Timing(UTC, timeoutMinutes, 0);
    }

    static Heartbeat hb(long timeMs, String project) {
        return Heartbeat.builder(timeMs)
                .tool("vscode")
                .editor("VS Code")
                .entity("/src/" + project + "/a.ts")
                .project(project)
                .language("TypeScript")
                .build();
    }

    static long seconds(List<Heartbeat> hbs, LocalDate day, Timing s) {
        return TimeAccounting.day(Timeline.of(hbs), day, s).totalMs() / 1000;
    }

    @Test
    void threeHeartbeatsAMinuteApartAre120Seconds() {
        List<Heartbeat> hbs = List.of(hb(T0, "a"), hb(T0 + 60_000, "a"), hb(T0 + 120_000, "a"));
        assertEquals(120, seconds(hbs, DAY, settings(15)));
    }

    @Test
    void gapsAboveTheTimeoutAreNotCounted() {
        List<Heartbeat> hbs = List.of(hb(T0, "a"), hb(T0 + 10_000, "a"), hb(T0 + 190_000, "a"), hb(T0 + 200_000, "a"));
        assertEquals(200, seconds(hbs, DAY, settings(10)));
        assertEquals(20, seconds(hbs, DAY, settings(2)));
    }

    @Test
    void aLoneHeartbeatIsZero() {
        assertEquals(0, seconds(List.of(hb(T0, "a")), DAY, settings(15)));
    }

    @Test
    void aGapExactlyAtTheTimeoutCountsAndOneMsMoreDoesNot() {
        assertEquals(900, seconds(List.of(hb(T0, "a"), hb(T0 + 900_000, "a")), DAY, settings(15)));
        assertEquals(0, seconds(List.of(hb(T0, "a"), hb(T0 + 900_001, "a")), DAY, settings(15)));
    }

    @Test
    void theGapIsCreditedToTheEarlierHeartbeatsProject() {
        List<Heartbeat> hbs = List.of(hb(T0, "alpha"), hb(T0 + 300_000, "beta"), hb(T0 + 360_000, "beta"));
        DayRollup day = TimeAccounting.day(Timeline.of(hbs), DAY, settings(15));
        Map<String, Long> byProject = day.rows().stream()
                .collect(Collectors.groupingBy(DurationRow::project, Collectors.summingLong(DurationRow::ms)));
        assertEquals(Map.of("alpha", 300_000L, "beta", 60_000L), byProject);
    }

    @Test
    void daysSplitAtTheUsersLocalMidnight() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Timing s = new Timing(berlin, 15, 0);
        long beforeMidnight =
                ZonedDateTime.of(2026, 3, 10, 23, 55, 0, 0, berlin).toInstant().toEpochMilli();
        List<Heartbeat> hbs =
                List.of(hb(beforeMidnight, "a"), hb(beforeMidnight + 600_000, "a"), hb(beforeMidnight + 720_000, "a"));
        assertEquals(300, seconds(hbs, LocalDate.of(2026, 3, 10), s));
        assertEquals(420, seconds(hbs, LocalDate.of(2026, 3, 11), s));
        // The same instants fall on one UTC day (22:55 to 23:07 UTC): nothing is split there.
        assertEquals(720, seconds(hbs, LocalDate.of(2026, 3, 10), settings(15)));
    }

    @Test
    void halfHourTimeZonesSplitAtTheirOwnMidnight() {
        ZoneId india = ZoneId.of("Asia/Kolkata");
        Timing s = new Timing(india, 15, 0);
        long t = ZonedDateTime.of(2026, 3, 10, 23, 58, 0, 0, india).toInstant().toEpochMilli();
        List<Heartbeat> hbs = List.of(hb(t, "a"), hb(t + 240_000, "a"));
        assertEquals(120, seconds(hbs, LocalDate.of(2026, 3, 10), s));
        assertEquals(120, seconds(hbs, LocalDate.of(2026, 3, 11), s));
    }

    @Test
    void anIdleHeartbeatClosesActivityAndOpensNone() {
        Heartbeat idle = Heartbeat.builder(T0 + 60_000)
                .tool("vscode")
                .category(Heartbeat.IDLE)
                .build();
        List<Heartbeat> hbs = List.of(hb(T0, "a"), idle, hb(T0 + 120_000, "a"));
        assertEquals(60, seconds(hbs, DAY, settings(15)));
    }

    @Test
    void resendsAndArrivalOrderNeverChangeTheResult() {
        Random random = new Random(42);
        List<Heartbeat> hbs = new ArrayList<>();
        long t = T0;
        for (int i = 0; i < 300; i++) {
            t += random.nextInt(5) == 0 ? 1_200_000 : random.nextInt(120_000);
            hbs.add(hb(t, random.nextBoolean() ? "alpha" : "beta"));
        }
        DayRollup expected = TimeAccounting.day(Timeline.of(hbs), DAY, settings(15));
        List<Heartbeat> shuffled = new ArrayList<>(hbs);
        shuffled.addAll(hbs.subList(0, 100));
        Collections.shuffle(shuffled, random);
        DayRollup actual = TimeAccounting.day(Timeline.of(shuffled), DAY, settings(15));
        assertEquals(expected, actual);
    }

    @Test
    void sessionsFollowToolAndProjectWithGapsUnderTheTimeout() {
        List<Heartbeat> hbs = new ArrayList<>(
                List.of(hb(T0, "a"), hb(T0 + 60_000, "a"), hb(T0 + 120_000, "a"), hb(T0 + 120_000 + 900_000, "a")));
        hbs.add(Heartbeat.builder(T0 + 30_000)
                .tool("claude-code")
                .project("a")
                .category("ai coding")
                .build());
        hbs.add(Heartbeat.builder(T0 + 90_000)
                .tool("claude-code")
                .project("a")
                .category("ai coding")
                .build());
        List<Session> sessions =
                TimeAccounting.day(Timeline.of(hbs), DAY, settings(15)).sessions();
        assertEquals(3, sessions.size());
        assertEquals(new Session("vscode", "a", T0, T0 + 120_000, 3), sessions.get(0));
        assertEquals(new Session("claude-code", "a", T0 + 30_000, T0 + 90_000, 2), sessions.get(1));
        // A gap of exactly the timeout starts a new session: only a shorter gap joins two heartbeats.
        assertEquals(new Session("vscode", "a", T0 + 1_020_000, T0 + 1_020_000, 1), sessions.get(2));
    }

    @Test
    void aSessionAcrossMidnightIsClippedToEachDay() {
        long beforeMidnight = DAY.plusDays(1).atStartOfDay(UTC).toInstant().toEpochMilli() - 300_000;
        List<Heartbeat> hbs = List.of(hb(beforeMidnight, "a"), hb(beforeMidnight + 600_000, "a"));
        List<Session> today =
                TimeAccounting.day(Timeline.of(hbs), DAY, settings(15)).sessions();
        List<Session> tomorrow = TimeAccounting.day(Timeline.of(hbs), DAY.plusDays(1), settings(15))
                .sessions();
        assertEquals(300_000, today.get(0).durationMs());
        assertEquals(1, today.get(0).heartbeats());
        assertEquals(300_000, tomorrow.get(0).durationMs());
    }

    @Test
    void aHeartbeatNearMidnightAffectsBothDays() {
        long justAfter = DAY.atStartOfDay(UTC).toInstant().toEpochMilli() + 60_000;
        assertEquals(List.of(DAY.minusDays(1), DAY), TimeAccounting.affectedDays(justAfter, settings(15)));
        assertEquals(List.of(DAY), TimeAccounting.affectedDays(T0, settings(15)));
        long justBefore = DAY.plusDays(1).atStartOfDay(UTC).toInstant().toEpochMilli() - 60_000;
        assertEquals(List.of(DAY, DAY.plusDays(1)), TimeAccounting.affectedDays(justBefore, settings(15)));
    }

    @Test
    void aiUsageIsSummedPerToolProjectAndModel() {
        Heartbeat a = Heartbeat.builder(T0)
                .tool("claude-code")
                .project("p")
                .model("claude-sonnet-4-5")
                .category("ai coding")
                .tokensIn(100)
                .tokensOut(20)
                .prompts(1)
                .build();
        Heartbeat b = Heartbeat.builder(T0 + 1000)
                .tool("claude-code")
                .project("p")
                .model("claude-sonnet-4-5")
                .category("ai coding")
                .tokensIn(50)
                .tokensOut(5)
                .cacheReadTokens(1000)
                .build();
        DayRollup day = TimeAccounting.day(Timeline.of(List.of(a, b, a)), DAY, settings(15));
        assertEquals(1, day.ai().size());
        assertEquals(150, day.ai().get(0).tokensIn());
        assertEquals(25, day.ai().get(0).tokensOut());
        assertEquals(1000, day.ai().get(0).cacheReadTokens());
        assertEquals(1, day.ai().get(0).prompts());
    }
}
