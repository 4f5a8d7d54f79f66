package dev.devtime.model.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.rollup.EntityRow;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Golden cases for the time of each project's entities (files) in a day. */
class EntityAccountingTest {

    static final ZoneId UTC = ZoneId.of("UTC");
    static final LocalDate DAY = LocalDate.of(2026, 3, 10);
    static final long T0 = DAY.atTime(9, 0).atZone(UTC).toInstant().toEpochMilli();
    static final Timing S = new Timing(UTC, 15, 0);
    static final long MIN = 60_000;

    static Heartbeat hb(long t, String project, String entity) {
        return Heartbeat.builder(t)
                .tool("vscode")
                .project(project)
                .entity(entity)
                .language("Go")
                .build();
    }

    static Map<String, Long> entities(DayRollup d, String project) {
        return d.entities().stream()
                .filter(e -> e.project().equals(project))
                .collect(Collectors.toMap(EntityRow::entity, EntityRow::ms, Long::sum, TreeMap::new));
    }

    static long projectMs(DayRollup d, String project) {
        return d.rows().stream()
                .filter(r -> r.project().equals(project))
                .mapToLong(DurationRow::ms)
                .sum();
    }

    @Test
    void eachGapGoesToTheEarlierHeartbeatsFileAndFilesSumToTheProject() {
        List<Heartbeat> hbs = new ArrayList<>(List.of(
                hb(T0, "api", "/api/a.go"),
                hb(T0 + 2 * MIN, "api", "/api/b.go"), // a.go: 2 min
                hb(T0 + 3 * MIN, "web", "/web/app.ts"), // b.go: 1 min
                hb(T0 + 10 * MIN, "api", "/api/a.go"), // app.ts: 7 min
                hb(T0 + 11 * MIN, "api", null), // a.go: 1 more min; then no entity: "unknown"
                hb(T0 + 13 * MIN, "api", "/api/a.go"), // unknown: 2 min
                hb(T0 + 40 * MIN, "api", "/api/b.go"))); // past the timeout: nothing
        // An idle heartbeat closes the gap before it and credits nothing.
        hbs.add(Heartbeat.builder(T0 + 41 * MIN)
                .tool("vscode")
                .project("api")
                .entity("/api/b.go")
                .category("idle")
                .build());
        DayRollup d = TimeAccounting.day(Timeline.of(hbs), DAY, S);
        assertEquals(Map.of("/api/a.go", 3 * MIN, "/api/b.go", 2 * MIN, "unknown", 2 * MIN), entities(d, "api"));
        assertEquals(Map.of("/web/app.ts", 7 * MIN), entities(d, "web"));
        assertEquals(
                projectMs(d, "api"),
                entities(d, "api").values().stream().mapToLong(Long::longValue).sum());
        assertEquals(
                projectMs(d, "web"),
                entities(d, "web").values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void aGapAcrossMidnightSplitsAFilesTimeBetweenTheDays() {
        long midnight = TimeAccounting.dayStartMs(DAY.plusDays(1), UTC);
        List<Heartbeat> hbs = Timeline.of(List.of(
                hb(midnight - 4 * MIN, "api", "/api/late.go"),
                hb(midnight + 6 * MIN, "api", "/api/late.go"),
                hb(midnight + 7 * MIN, "api", "/api/x.go")));
        assertEquals(Map.of("/api/late.go", 4 * MIN), entities(TimeAccounting.day(hbs, DAY, S), "api"));
        assertEquals(Map.of("/api/late.go", 7 * MIN), entities(TimeAccounting.day(hbs, DAY.plusDays(1), S), "api"));
    }

    @Test
    void aProjectKeepsItsFilesWithMostTime() {
        // 30 files, file i worked on for (i + 1) × 10 s: the 25 longest stay, the 5 shortest are cut.
        List<Heartbeat> hbs = new ArrayList<>();
        long t = T0;
        for (int i = 0; i < 30; i++) {
            hbs.add(hb(t, "big", "/big/f" + i + ".go"));
            t += (i + 1) * 10_000L;
        }
        hbs.add(hb(t, "big", "/big/end.go"));
        DayRollup d = TimeAccounting.day(Timeline.of(hbs), DAY, S);
        Map<String, Long> kept = entities(d, "big");
        assertEquals(EntityRow.MAX_PER_PROJECT, kept.size());
        for (int i = 0; i < 30; i++) {
            assertEquals(i >= 5, kept.containsKey("/big/f" + i + ".go"), "file " + i);
        }
        long cut = (1 + 2 + 3 + 4 + 5) * 10_000L;
        assertEquals(
                projectMs(d, "big") - cut,
                kept.values().stream().mapToLong(Long::longValue).sum());
        assertEquals(300_000L, d.entities().get(0).ms(), "largest first");
    }

    @Test
    void aDaysEntityNamesStayWithinTheirBudget() {
        // 40 projects of 25 files with 2,000-character URLs would be 2 MB of names.
        List<EntityRow> rows = new ArrayList<>();
        for (int p = 0; p < 40; p++) {
            for (int f = 0; f < 25; f++) {
                rows.add(new EntityRow(
                        "p" + p, "https://example.com/" + "x".repeat(1980) + p + "/" + f, 1_000L * (p * 25 + f + 1)));
            }
        }
        List<EntityRow> kept = EntityRow.bounded(rows);
        long bytes = kept.stream()
                .mapToLong(e -> e.entity().getBytes(StandardCharsets.UTF_8).length)
                .sum();
        assertTrue(bytes <= EntityRow.MAX_BYTES_PER_DAY, bytes + " bytes");
        assertEquals(32, kept.size(), "as many as fit (about 2,004 bytes each), most time first");
        assertEquals(1_000_000L, kept.get(0).ms());
    }

    @Test
    void hiddenFileNamesStayHashed() {
        DayRollup d = TimeAccounting.day(
                Timeline.of(List.of(hb(T0, "api", "hmac-sha256:ab12"), hb(T0 + MIN, "api", "hmac-sha256:ab12"))),
                DAY,
                S);
        assertEquals(Map.of("hmac-sha256:ab12", MIN), entities(d, "api"));
    }
}
