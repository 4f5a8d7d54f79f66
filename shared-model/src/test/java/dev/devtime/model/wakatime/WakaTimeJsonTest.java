package dev.devtime.model.wakatime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.Stats;
import dev.devtime.model.time.TimeAccounting;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The WakaTime shapes over the golden timeline of {@link WakaDurationsTest}. */
class WakaTimeJsonTest {

    static List<Stats> days(ZoneId zone) {
        Timing s = new Timing(zone, 15, 0);
        List<Stats> out = new ArrayList<>();
        for (LocalDate d = WakaDurationsTest.D10; !d.isAfter(WakaDurationsTest.D11); d = d.plusDays(1)) {
            DayRollup r = TimeAccounting.day(WakaDurationsTest.TIMELINE, d, s);
            out.add(Stats.of(d, d, List.of(r), Map.of()));
        }
        return out;
    }

    @Test
    void summariesInUtc() {
        JsonNode o = WakaTimeJson.summaries(
                days(WakaDurationsTest.UTC), WakaDurationsTest.D10, WakaDurationsTest.D11, WakaDurationsTest.UTC);
        JsonNode d0 = o.get("data").get(0);
        assertEquals(2700.0, d0.get("grand_total").get("total_seconds").asDouble());
        assertEquals("45 mins", d0.get("grand_total").get("text").asText());
        assertEquals("0:45", d0.get("grand_total").get("digital").asText());
        assertEquals("0.75", d0.get("grand_total").get("decimal").asText());
        JsonNode alpha = d0.get("projects").get(0);
        assertEquals("alpha", alpha.get("name").asText());
        assertEquals(2100.0, alpha.get("total_seconds").asDouble());
        assertEquals(77.78, alpha.get("percent").asDouble());
        assertEquals("35 mins", alpha.get("text").asText());
        assertEquals(35, alpha.get("minutes").asInt());
        assertTrue(d0.get("entities").isArray() && d0.get("dependencies").isArray());
        assertEquals("2026-03-10T00:00:00Z", d0.get("range").get("start").asText());
        assertEquals("2026-03-10T23:59:59Z", d0.get("range").get("end").asText());
        assertEquals(3000.0, o.get("cumulative_total").get("seconds").asDouble());
        assertEquals(1500.0, o.get("daily_average").get("seconds").asDouble());
    }

    @Test
    void summariesInKolkata() {
        JsonNode o = WakaTimeJson.summaries(
                days(WakaDurationsTest.KOLKATA),
                WakaDurationsTest.D10,
                WakaDurationsTest.D11,
                WakaDurationsTest.KOLKATA);
        assertEquals(
                1800.0,
                o.get("data").get(0).get("grand_total").get("total_seconds").asDouble());
        assertEquals(
                1200.0,
                o.get("data").get(1).get("grand_total").get("total_seconds").asDouble());
        assertEquals(
                50.0, o.get("data").get(1).get("projects").get(0).get("percent").asDouble());
        assertEquals("2026-03-10T00:00:00+05:30", o.get("start").asText());
        assertEquals("2026-03-11T23:59:59+05:30", o.get("end").asText());
    }

    @Test
    void statsWithBestDayAndHolidays() {
        Timing s = new Timing(WakaDurationsTest.KOLKATA, 15, 0);
        List<DayRollup> rollups = List.of(
                TimeAccounting.day(WakaDurationsTest.TIMELINE, WakaDurationsTest.D10, s),
                TimeAccounting.day(WakaDurationsTest.TIMELINE, WakaDurationsTest.D11, s));
        WakaRange range = WakaRange.of("2026-03", WakaDurationsTest.D11, () -> null);
        Stats stats = Stats.of(range.start(), range.end(), rollups, Map.of());
        JsonNode d = WakaTimeJson.stats(stats, range, WakaDurationsTest.KOLKATA, 15, WakaDurationsTest.D11)
                .get("data");
        assertEquals(3000.0, d.get("total_seconds").asDouble());
        assertEquals("50 mins", d.get("human_readable_total").asText());
        assertEquals("2026-03-10", d.get("best_day").get("date").asText());
        assertEquals(1800.0, d.get("best_day").get("total_seconds").asDouble());
        assertEquals(29, d.get("holidays").asInt());
        assertEquals(1500.0, d.get("daily_average").asDouble());
        assertEquals("2026-03", d.get("range").asText());
        assertEquals(15, d.get("timeout").asInt());
        assertEquals(true, d.get("is_including_today").asBoolean());
    }

    @Test
    void durationsCarryTheSliceKey() {
        List<WakaDurations.Span> spans = WakaDurations.of(
                WakaDurationsTest.TIMELINE,
                WakaDurationsTest.D10,
                new Timing(WakaDurationsTest.UTC, 15, 0),
                WakaDurations.SliceBy.LANGUAGE);
        JsonNode d = WakaTimeJson.duration(spans.get(1), WakaDurations.SliceBy.LANGUAGE);
        assertEquals("Go", d.get("language").asText());
        assertEquals("beta", d.get("project").asText());
        assertEquals(1773168000.0, d.get("time").asDouble());
        assertEquals(600.0, d.get("duration").asDouble());
        JsonNode o = WakaTimeJson.durationsEnvelope(
                spans, WakaDurations.SliceBy.LANGUAGE, WakaDurationsTest.D10, WakaDurationsTest.UTC);
        assertEquals(WakaDurationsTest.UTC.getId(), o.get("timezone").asText());
        assertEquals(0, o.get("branches").size());
        assertEquals(null, o.get("data"), "the list is paged by the API, not put here");
    }

    /** A heartbeat as heartbeats?date= lists it: WakaTime's keys in WakaTime's order, absent values as null. */
    @Test
    void heartbeatInWakaTimesShape() {
        Heartbeat full = Heartbeat.builder(1_700_000_000_123L)
                .entity("/r/a.py")
                .type("file")
                .category("coding")
                .project("r")
                .branch("main")
                .language("Python")
                .isWrite(true)
                .lines(40)
                .lineno(7)
                .cursorpos(3)
                .machine("box")
                .plugin("vscode/1.0 devtime/0.1")
                .editor("vscode")
                .os("linux")
                .build();
        JsonNode o = WakaTimeJson.heartbeat(full, WakaDurationsTest.UTC);
        assertEquals(
                List.of(
                        "id",
                        "entity",
                        "type",
                        "category",
                        "time",
                        "project",
                        "branch",
                        "language",
                        "dependencies",
                        "is_write",
                        "lines",
                        "lineno",
                        "cursorpos",
                        "machine_name_id",
                        "user_agent_id",
                        "editor",
                        "operating_system",
                        "created_at"),
                names(o));
        assertEquals("1700000000.123", o.get("time").toString());
        assertEquals("/r/a.py", o.get("entity").asText());
        assertEquals("Python", o.get("language").asText());
        assertTrue(o.get("is_write").booleanValue());
        assertEquals(40, o.get("lines").intValue());
        assertEquals(7, o.get("lineno").intValue());
        assertEquals(3, o.get("cursorpos").intValue());
        assertEquals("box", o.get("machine_name_id").asText());
        assertEquals("vscode/1.0 devtime/0.1", o.get("user_agent_id").asText());
        assertEquals("linux", o.get("operating_system").asText());
        assertEquals("2023-11-14T22:13:20Z", o.get("created_at").asText());

        JsonNode bare =
                WakaTimeJson.heartbeat(Heartbeat.builder(1_700_000_000_000L).build(), WakaDurationsTest.UTC);
        for (String k : List.of("entity", "project", "branch", "is_write", "lines", "lineno", "cursorpos", "editor")) {
            assertTrue(bare.get(k).isNull(), k);
        }
    }

    private static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
