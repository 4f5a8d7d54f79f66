package dev.devtime.model.wakatime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.time.TimeAccounting;
import dev.devtime.model.time.Timeline;
import dev.devtime.model.wakatime.WakaDurations.SliceBy;
import dev.devtime.model.wakatime.WakaDurations.Span;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Golden durations for one fixed timeline seen from UTC and from Asia/Kolkata (+05:30): alpha 17:50,
 * 18:00, 18:10; beta 18:20, 18:40, 18:50; alpha 23:55 and 00:05 (UTC, 2026-03-10/11), timeout 15 min.
 */
class WakaDurationsTest {

    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
    static final LocalDate D10 = LocalDate.of(2026, 3, 10);
    static final LocalDate D11 = LocalDate.of(2026, 3, 11);

    static long at(String utc) {
        return Instant.parse(utc + "Z").toEpochMilli();
    }

    static Heartbeat hb(String utc, String project, String branch) {
        return Heartbeat.builder(at(utc))
                .tool("vscode")
                .editor("VS Code")
                .entity("/src/" + project)
                .project(project)
                .branch(branch)
                .language(project.equals("alpha") ? "Java" : "Go")
                .build();
    }

    static final List<Heartbeat> TIMELINE = Timeline.of(List.of(
            hb("2026-03-10T17:50:00", "alpha", "main"), hb("2026-03-10T18:00:00", "alpha", "main"),
            hb("2026-03-10T18:10:00", "alpha", "main"), hb("2026-03-10T18:20:00", "beta", "feature/x"),
            hb("2026-03-10T18:40:00", "beta", "feature/x"), hb("2026-03-10T18:50:00", "beta", "feature/x"),
            hb("2026-03-10T23:55:00", "alpha", "main"), hb("2026-03-11T00:05:00", "alpha", "main")));

    static Timing in(ZoneId zone) {
        return new Timing(zone, 15, 0);
    }

    @Test
    void utcDays() {
        assertEquals(
                List.of(
                        new Span("alpha", "alpha", at("2026-03-10T17:50:00"), 1_800_000),
                        new Span("beta", "beta", at("2026-03-10T18:40:00"), 600_000),
                        new Span("alpha", "alpha", at("2026-03-10T23:55:00"), 300_000)),
                WakaDurations.of(TIMELINE, D10, in(UTC), SliceBy.PROJECT));
        // The gap across midnight is split: its second half opens 03-11 at midnight.
        assertEquals(
                List.of(new Span("alpha", "alpha", at("2026-03-11T00:00:00"), 300_000)),
                WakaDurations.of(TIMELINE, D11, in(UTC), SliceBy.PROJECT));
    }

    @Test
    void kolkataDaysSplitAtTheHalfHour() {
        // Kolkata's midnight of 03-11 is 18:30 UTC: 18:20 beta joins nothing (18:40 is 20 minutes later).
        assertEquals(
                List.of(new Span("alpha", "alpha", at("2026-03-10T17:50:00"), 1_800_000)),
                WakaDurations.of(TIMELINE, D10, in(KOLKATA), SliceBy.PROJECT));
        assertEquals(
                List.of(
                        new Span("beta", "beta", at("2026-03-10T18:40:00"), 600_000),
                        new Span("alpha", "alpha", at("2026-03-10T23:55:00"), 600_000)),
                WakaDurations.of(TIMELINE, D11, in(KOLKATA), SliceBy.PROJECT));
    }

    @Test
    void slicesByAnotherAttributeKeepTheProject() {
        List<Span> spans = WakaDurations.of(TIMELINE, D10, in(UTC), SliceBy.BRANCH);
        assertEquals("feature/x", spans.get(1).slice());
        assertEquals("beta", spans.get(1).project());
        assertEquals(SliceBy.LANGUAGE, SliceBy.of("language"));
        assertEquals(SliceBy.PROJECT, SliceBy.of(null));
        assertEquals(null, SliceBy.of("planet"));
    }

    @Test
    void aLoneHeartbeatIsAZeroDurationAndIdleOpensNone() {
        List<Heartbeat> t = Timeline.of(List.of(
                hb("2026-03-10T09:00:00", "alpha", "main"),
                Heartbeat.builder(at("2026-03-10T09:05:00"))
                        .tool("vscode")
                        .entity("x")
                        .category(Heartbeat.IDLE)
                        .build(),
                hb("2026-03-10T09:10:00", "alpha", "main")));
        assertEquals(
                List.of(
                        new Span("alpha", "alpha", at("2026-03-10T09:00:00"), 300_000),
                        new Span("alpha", "alpha", at("2026-03-10T09:10:00"), 0)),
                WakaDurations.of(t, D10, in(UTC), SliceBy.PROJECT));
    }

    /** Whatever the timeline, zone and slicing, the durations of a day sum to TimeAccounting's total. */
    @Test
    void durationsAlwaysSumToTheDayTotal() {
        Random random = new Random(8);
        String[] projects = {"a", "b", "c"};
        for (int run = 0; run < 200; run++) {
            List<Heartbeat> hbs = new ArrayList<>();
            long t = at("2026-03-09T20:00:00");
            for (int i = 0; i < 150; i++) {
                t += random.nextInt(random.nextBoolean() ? 120_000 : 1_500_000);
                Heartbeat.Builder b = Heartbeat.builder(t)
                        .tool("vscode")
                        .entity("/f" + random.nextInt(4))
                        .project(projects[random.nextInt(3)])
                        .language(random.nextBoolean() ? "Go" : "Java");
                if (random.nextInt(20) == 0) {
                    b.category(Heartbeat.IDLE);
                }
                hbs.add(b.build());
            }
            List<Heartbeat> timeline = Timeline.of(hbs);
            for (ZoneId zone : List.of(UTC, KOLKATA, ZoneId.of("America/St_Johns"))) {
                Timing s = new Timing(zone, 1 + random.nextInt(30), 0);
                for (LocalDate day : List.of(D10.minusDays(1), D10, D11)) {
                    long total = TimeAccounting.day(timeline, day, s).totalMs();
                    for (SliceBy by : SliceBy.values()) {
                        long sum = WakaDurations.of(timeline, day, s, by).stream()
                                .mapToLong(Span::ms)
                                .sum();
                        assertEquals(total, sum, "run " + run + " " + zone + " " + day + " " + by);
                    }
                }
            }
        }
    }
}
