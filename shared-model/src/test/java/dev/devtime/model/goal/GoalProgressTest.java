package dev.devtime.model.goal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.model.DurationFormat;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.wakatime.CategoryNames;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Goals evaluated over day rollups: periods, statuses, filters, skipped weekdays, growth and streaks. */
class GoalProgressTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A Friday. */
    static final LocalDate TODAY = LocalDate.of(2026, 12, 4);

    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    static Goal goal(String json) throws Exception {
        return Goal.parse(JSON.readTree(json), "g1", 0, 0);
    }

    static DayRollup day(LocalDate d, String project, String language, String category, long minutes) {
        return new DayRollup(
                d,
                List.of(new DurationRow(
                        "vscode", project, language, category, "VS Code", "box", "main", "Linux", minutes * 60_000)),
                List.of(),
                List.of(),
                10);
    }

    static JsonNode eval(Goal g, List<DayRollup> days) {
        return GoalProgress.json(g, days, TODAY, ZONE, "u1");
    }

    @Test
    void dailyGoalChartStatusesAndStreak() throws Exception {
        Goal g = goal("{\"delta\":\"day\",\"seconds\":3600,\"languages\":[\"Java\"]}");
        List<DayRollup> days = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            days.add(day(TODAY.minusDays(i), "a", "Java", "coding", 70)); // met on the four days before today
        }
        days.add(day(TODAY.minusDays(5), "a", "Java", "coding", 30));
        days.add(day(TODAY, "a", "Java", "coding", 20));
        days.add(day(TODAY, "a", "Go", "coding", 600)); // not Java: does not count
        JsonNode o = eval(g, days);
        JsonNode chart = o.get("chart_data");
        assertEquals(7, chart.size());
        assertEquals(List.of("fail", "fail", "success", "success", "success", "success", "pending"), statuses(chart));
        assertEquals(1200.0, chart.get(6).get("actual_seconds").asDouble());
        assertEquals("Today", chart.get(6).get("range").get("text").asText());
        assertEquals("Yesterday", chart.get(5).get("range").get("text").asText());
        assertEquals(
                "2026-12-04T00:00:00+01:00",
                chart.get(6).get("range").get("start").asText());
        assertEquals(
                "coded 20 mins which is 40 mins less than your daily goal",
                chart.get(6).get("range_status_reason").asText());
        assertEquals(
                "20m (40m less than goal)",
                chart.get(6).get("range_status_reason_short").asText());
        assertEquals("pending", o.get("status").asText());
        // Today is not met yet, so the streak is the four days before it.
        assertEquals(4, o.get("progress").get("streak").asInt());
        assertEquals(33, o.get("progress").get("percent").asInt());
        assertEquals("Code 1 hr per day in Java", o.get("title").asText());
    }

    @Test
    void ignoredWeekdaysNeitherCountNorBreakTheStreak() throws Exception {
        Goal g = goal("{\"delta\":\"day\",\"seconds\":600,\"ignore_days\":[\"Wednesday\"]}");
        List<DayRollup> days = new ArrayList<>();
        for (int i = 0; i <= 3; i++) {
            if (i != 2) { // Wednesday the 2nd: nothing coded, and ignored
                days.add(day(TODAY.minusDays(i), "a", "Java", "coding", 15));
            }
        }
        JsonNode o = eval(g, days);
        assertEquals("ignored", o.get("chart_data").get(4).get("range_status").asText());
        assertEquals(3, o.get("progress").get("streak").asInt());
        assertEquals("success", o.get("status").asText());
        assertEquals("wednesday", o.get("ignore_days").get(0).asText());
    }

    @Test
    void weeklyGoalsStartOnMondayAndCategoriesMatchWakaTimesNames() throws Exception {
        Goal g = goal("{\"delta\":\"week\",\"seconds\":7200,\"categories\":[\"Code Reviewing\"]}");
        List<DayRollup> days = List.of(
                day(LocalDate.of(2026, 11, 30), "a", "Java", "code reviewing", 90),
                day(LocalDate.of(2026, 11, 29), "a", "Java", "code reviewing", 130),
                day(TODAY, "a", "Java", "coding", 300));
        JsonNode o = eval(g, days);
        JsonNode chart = o.get("chart_data");
        assertEquals(7, chart.size());
        JsonNode week = chart.get(6);
        assertEquals("2026-11-30T00:00:00+01:00", week.get("range").get("start").asText());
        assertEquals(5400.0, week.get("actual_seconds").asDouble());
        assertEquals("pending", week.get("range_status").asText());
        assertEquals("success", chart.get(5).get("range_status").asText()); // the week of Sunday the 29th
        assertEquals(1, o.get("progress").get("streak").asInt());
        assertEquals("week", o.get("delta").asText());
    }

    @Test
    void improveByPercentRaisesEachPeriodsGoalOverTheLastOne() throws Exception {
        Goal g = goal("{\"delta\":\"day\",\"seconds\":600,\"improve_by_percent\":10}");
        JsonNode o = eval(
                g,
                List.of(day(TODAY.minusDays(1), "a", "Java", "coding", 100), day(TODAY, "a", "Java", "coding", 105)));
        JsonNode today = o.get("chart_data").get(6);
        assertEquals(6600, today.get("goal_seconds").asInt());
        assertEquals("pending", today.get("range_status").asText());
    }

    @Test
    void badGoalsAreRefusedNamingTheField() {
        for (String[] c : new String[][] {
            {"{\"delta\":\"month\",\"seconds\":600}", "delta"},
            {"{\"delta\":\"day\",\"seconds\":86401}", "seconds"},
            {"{\"delta\":\"day\",\"seconds\":600.5}", "seconds"},
            {"{\"delta\":\"week\",\"seconds\":600,\"ignore_days\":[\"monday\"]}", "ignore_days"},
            {"{\"delta\":\"day\",\"seconds\":600,\"languages\":\"Java\"}", "languages"},
            {"{\"delta\":\"day\",\"seconds\":600,\"improve_by_percent\":-1}", "improve_by_percent"},
            {"{\"delta\":\"day\",\"seconds\":600,\"is_enabled\":\"no\"}", "is_enabled"},
            {"[]", "object"}
        }) {
            Goal.Invalid e = assertThrows(Goal.Invalid.class, () -> goal(c[0]), c[0]);
            assertEquals(true, e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void storedGoalsRoundTrip() throws Exception {
        Goal g = Goal.parse(
                JSON.readTree(
                        "{\"delta\":\"day\",\"seconds\":600,\"title\":\"t\",\"ignore_days\":[\"sunday\"],"
                                + "\"improve_by_percent\":5,\"is_enabled\":false,\"projects\":[\"p\"],\"editors\":[\"VS Code\"]}"),
                "id",
                7,
                9);
        assertEquals(g, Goal.fromStored(g.toStored()));
    }

    @Test
    void wakatimeTextsAndCategoryNames() {
        assertEquals("1 sec", DurationFormat.text(1.4));
        assertEquals("0 secs", DurationFormat.text(0));
        assertEquals("59 secs", DurationFormat.text(59));
        assertEquals("1 hr 1 min", DurationFormat.text(3660));
        assertEquals("Coding", CategoryNames.display("coding"));
        assertEquals("Running Tests", CategoryNames.display("running tests"));
        assertEquals("AI Coding", CategoryNames.display("ai coding"));
    }

    static List<String> statuses(JsonNode chart) {
        List<String> out = new ArrayList<>();
        chart.forEach(c -> out.add(c.get("range_status").asText()));
        return out;
    }
}
