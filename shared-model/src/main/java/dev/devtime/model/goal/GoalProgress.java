package dev.devtime.model.goal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.DurationFormat;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.wakatime.WakaTimeJson;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A goal evaluated over the user's day rollups, in the user's zone, in WakaTime's shape: {@code chart_data}
 * for the last {@link #CHART_PERIODS} days or weeks (weeks start on Monday), each with actual and goal
 * seconds and {@code range_status} ({@code success}, {@code fail}, {@code pending} for the running period
 * not met yet, {@code ignored} for a skipped weekday), the goal's {@code status}, and {@code progress}
 * for the dashboard: the running period and the streak of periods met.
 */
public final class GoalProgress {

    public static final int CHART_PERIODS = 7;
    /** Days read for every goal: seven weeks, the week before them (improve_by_percent) and today. */
    public static final int DAYS_READ = (CHART_PERIODS + 1) * 7;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter DAY_TEXT = DateTimeFormatter.ofPattern("EEE MMM d", Locale.ROOT);

    private GoalProgress() {}

    /** The first day a goal evaluation needs, for {@link #json}. */
    public static LocalDate firstDay(LocalDate today) {
        return today.minusDays(DAYS_READ);
    }

    private record Period(LocalDate start, LocalDate end, long actualMs, long goalMs, String status) {}

    /** The goal with its chart and status; {@code rollups} must cover {@link #firstDay} to today. */
    public static ObjectNode json(Goal g, Collection<DayRollup> rollups, LocalDate today, ZoneId zone, String userId) {
        Map<LocalDate, Long> perDay = new HashMap<>();
        for (DayRollup d : rollups) {
            long ms = 0;
            for (DurationRow r : d.rows()) {
                if (g.counts(r)) {
                    ms += r.ms();
                }
            }
            perDay.merge(d.date(), ms, Long::sum);
        }
        List<Period> periods = periods(g, perDay, today);
        List<Period> chart = periods.subList(periods.size() - CHART_PERIODS, periods.size());

        ObjectNode o = F.objectNode();
        ArrayNode data = o.putArray("chart_data");
        for (Period p : chart) {
            data.add(chartItem(g, p, today, zone));
        }
        Period current = chart.get(chart.size() - 1);
        o.put("id", g.id());
        o.put("title", g.title());
        if (g.customTitle() == null) {
            o.putNull("custom_title");
        } else {
            o.put("custom_title", g.customTitle());
        }
        o.put("type", "coding");
        o.put("delta", g.delta().key());
        o.put("seconds", g.seconds());
        ArrayNode ignore = o.putArray("ignore_days");
        g.ignoreDays().forEach(w -> ignore.add(w.name().toLowerCase(Locale.ROOT)));
        o.put("ignore_zero_days", false);
        if (g.improveByPercent() == null) {
            o.putNull("improve_by_percent");
        } else {
            o.put("improve_by_percent", g.improveByPercent());
        }
        o.put("is_enabled", g.enabled());
        o.put("is_inverse", false);
        o.put("is_snoozed", !g.enabled());
        o.putNull("snooze_until");
        o.put("is_tweeting", false);
        o.put("is_current_user_owner", true);
        g.languages().forEach(v -> o.withArray("languages").add(v));
        o.withArray("languages");
        g.projects().forEach(v -> o.withArray("projects").add(v));
        o.withArray("projects");
        g.editors().forEach(v -> o.withArray("editors").add(v));
        o.withArray("editors");
        g.categories().forEach(v -> o.withArray("categories").add(v));
        o.withArray("categories");
        o.put("status", current.status());
        o.put("status_percent_calculated", 100);
        o.put("average_status", average(chart));
        o.put("cumulative_status", cumulative(chart));
        o.put("range_text", "from " + chart.get(0).start() + " until " + current.end());
        o.put("created_at", WakaTimeJson.iso(Instant.ofEpochMilli(g.createdMs()), ZoneId.of("UTC")));
        o.put("modified_at", WakaTimeJson.iso(Instant.ofEpochMilli(g.modifiedMs()), ZoneId.of("UTC")));
        o.putArray("shared_with");
        o.putArray("subscribers");
        o.putObject("owner")
                .put("id", userId)
                .put("username", userId)
                .put("display_name", userId)
                .putNull("full_name")
                .putNull("email")
                .putNull("photo");
        ObjectNode progress = o.putObject("progress");
        progress.put("period_start", current.start().toString());
        progress.put("period_end", current.end().toString());
        progress.put("actual_seconds", WakaTimeJson.seconds(current.actualMs()));
        progress.put("goal_seconds", current.goalMs() / 1000);
        progress.put(
                "percent",
                current.goalMs() == 0 ? 100 : Math.min(100, Math.round(current.actualMs() * 100.0 / current.goalMs())));
        progress.put("streak", streak(periods));
        return o;
    }

    /** Every whole period from the first day read to the running one, oldest first. */
    private static List<Period> periods(Goal g, Map<LocalDate, Long> perDay, LocalDate today) {
        List<LocalDate[]> spans = new ArrayList<>();
        if (g.delta() == Goal.Delta.DAY) {
            for (LocalDate d = firstDay(today); !d.isAfter(today); d = d.plusDays(1)) {
                spans.add(new LocalDate[] {d, d});
            }
        } else {
            LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            for (LocalDate w = monday.minusWeeks(CHART_PERIODS); !w.isAfter(monday); w = w.plusWeeks(1)) {
                spans.add(new LocalDate[] {w, w.plusDays(6)});
            }
        }
        List<Period> out = new ArrayList<>();
        Long previousActual = null;
        for (LocalDate[] span : spans) {
            long actual = 0;
            for (LocalDate d = span[0]; !d.isAfter(span[1]); d = d.plusDays(1)) {
                actual += perDay.getOrDefault(d, 0L);
            }
            long goal = g.seconds() * 1000L;
            if (g.improveByPercent() != null && previousActual != null && previousActual > 0) {
                goal = Math.round(previousActual * (1 + g.improveByPercent() / 100));
            }
            boolean running = !span[1].isBefore(today);
            String status;
            if (g.delta() == Goal.Delta.DAY && g.ignoreDays().contains(span[0].getDayOfWeek())) {
                status = "ignored";
            } else if (actual >= goal) {
                status = "success";
            } else {
                status = running ? "pending" : "fail";
            }
            out.add(new Period(span[0], span[1], actual, goal, status));
            if (!status.equals("ignored")) {
                previousActual = actual;
            }
        }
        return out;
    }

    private static ObjectNode chartItem(Goal g, Period p, LocalDate today, ZoneId zone) {
        ObjectNode c = F.objectNode();
        double actual = WakaTimeJson.seconds(p.actualMs());
        long goal = p.goalMs() / 1000;
        c.put("actual_seconds", actual);
        c.put("actual_seconds_text", DurationFormat.text(actual));
        c.put("goal_seconds", goal);
        c.put("goal_seconds_text", DurationFormat.text(goal));
        String text;
        if (g.delta() == Goal.Delta.DAY) {
            text = p.start().equals(today)
                    ? "Today"
                    : p.start().equals(today.minusDays(1))
                            ? "Yesterday"
                            : p.start().format(DAY_TEXT);
        } else {
            text = p.start().format(DAY_TEXT) + " until " + p.end().format(DAY_TEXT);
        }
        ObjectNode range = c.putObject("range");
        if (g.delta() == Goal.Delta.DAY) {
            range.put("date", p.start().toString());
        }
        range.put("start", WakaTimeJson.iso(p.start().atStartOfDay(zone).toInstant(), zone))
                .put(
                        "end",
                        WakaTimeJson.iso(
                                p.end()
                                        .plusDays(1)
                                        .atStartOfDay(zone)
                                        .toInstant()
                                        .minusSeconds(1),
                                zone))
                .put("text", text)
                .put("timezone", zone.getId());
        c.put("range_status", p.status());
        String period = g.delta() == Goal.Delta.DAY ? "daily" : "weekly";
        String reason;
        String shortReason;
        if (p.status().equals("ignored")) {
            reason = p.start().getDayOfWeek().name().charAt(0)
                    + p.start().getDayOfWeek().name().substring(1).toLowerCase(Locale.ROOT)
                    + "s are ignored by this goal";
            shortReason = "ignored";
        } else {
            double diff = Math.abs(actual - goal);
            boolean more = actual >= goal;
            reason = "coded " + DurationFormat.text(actual) + " which is " + DurationFormat.text(diff)
                    + (more ? " more" : " less") + " than your " + period + " goal";
            shortReason = hm(actual) + " (" + hm(diff) + (more ? " more" : " less") + " than goal)";
        }
        c.put("range_status_reason", reason);
        c.put("range_status_reason_short", shortReason);
        return c;
    }

    /** WakaTime's short form: "4h 38m", "15m", "0m". */
    private static String hm(double seconds) {
        long min = (long) (seconds / 60);
        return min >= 60 ? (min / 60) + "h " + (min % 60) + "m" : min + "m";
    }

    private static String average(List<Period> chart) {
        long actual = 0;
        long goal = 0;
        for (Period p : chart) {
            if (!p.status().equals("ignored")) {
                actual += p.actualMs();
                goal += p.goalMs();
            }
        }
        return actual >= goal ? "success" : "fail";
    }

    private static String cumulative(List<Period> chart) {
        long met = chart.stream().filter(p -> p.status().equals("success")).count();
        long counted = chart.stream()
                .filter(p -> !p.status().equals("ignored") && !p.status().equals("pending"))
                .count();
        return met * 2 >= counted ? "success" : "fail";
    }

    /**
     * Periods met in a row, ending with the running period when it is met already, else with the one
     * before it; skipped weekdays neither count nor break it. At most the periods read.
     */
    private static int streak(List<Period> periods) {
        int streak = 0;
        for (int i = periods.size() - 1; i >= 0; i--) {
            String s = periods.get(i).status();
            if (s.equals("success")) {
                streak++;
            } else if (s.equals("pending") || s.equals("ignored")) {
                continue;
            } else {
                break;
            }
        }
        return streak;
    }
}
