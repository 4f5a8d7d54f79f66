package dev.devtime.model.wakatime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.DurationFormat;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.Dimension;
import dev.devtime.model.rollup.EntityRow;
import dev.devtime.model.rollup.Stats;
import dev.devtime.model.wire.HeartbeatField;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The response shapes of WakaTime's read API (wakatime.com/developers), built from DevTime's stats.
 * Seconds are numbers with millisecond precision; every list item has WakaTime's {@code name},
 * {@code total_seconds}, {@code percent}, {@code digital}, {@code decimal}, {@code text}, {@code hours},
 * {@code minutes} and {@code seconds}.
 */
public final class WakaTimeJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** WakaTime's list names for DevTime's dimensions, in the order WakaTime documents them. */
    static final Map<String, Dimension> LISTS = linked(
            "categories",
            Dimension.CATEGORY,
            "projects",
            Dimension.PROJECT,
            "languages",
            Dimension.LANGUAGE,
            "editors",
            Dimension.EDITOR,
            "operating_systems",
            Dimension.OS,
            "machines",
            Dimension.MACHINE,
            "branches",
            Dimension.BRANCH);

    private WakaTimeJson() {}

    public static double seconds(long ms) {
        return ms / 1000.0;
    }

    /** {@code grand_total}: hours, minutes, total_seconds, digital, decimal, text. */
    public static ObjectNode grandTotal(long ms) {
        double s = seconds(ms);
        ObjectNode o = F.objectNode();
        o.put("hours", (long) s / 3600);
        o.put("minutes", ((long) s / 60) % 60);
        o.put("total_seconds", s);
        o.put("digital", DurationFormat.digital(s));
        o.put("decimal", decimal(s));
        o.put("text", DurationFormat.text(s));
        return o;
    }

    static String decimal(double seconds) {
        return String.format(java.util.Locale.ROOT, "%.2f", seconds / 3600);
    }

    /** One list, largest first (as {@link Stats} sorts it). */
    static ArrayNode list(Map<String, Long> values, long totalMs) {
        ArrayNode a = F.arrayNode();
        values.forEach((name, ms) -> {
            double s = seconds(ms);
            a.addObject()
                    .put("name", name)
                    .put("total_seconds", s)
                    .put("percent", totalMs == 0 ? 0 : Math.round(ms * 10000.0 / totalMs) / 100.0)
                    .put("digital", DurationFormat.digital(s))
                    .put("decimal", decimal(s))
                    .put("text", DurationFormat.text(s))
                    .put("hours", (long) s / 3600)
                    .put("minutes", ((long) s / 60) % 60)
                    .put("seconds", (long) s % 60);
        });
        return a;
    }

    private static void lists(ObjectNode o, Stats s) {
        LISTS.forEach((name, dim) -> o.set(
                name,
                list(
                        dim == Dimension.CATEGORY
                                ? displayCategories(s.byDimension().get(dim))
                                : s.byDimension().get(dim),
                        s.totalMs())));
        // WakaTime identifies machines by an id beside the name; DevTime's machine name is its id.
        o.get("machines")
                .forEach(m ->
                        ((ObjectNode) m).put("machine_name_id", m.get("name").asText()));
        // Entities only for one project's summaries (putEntities); DevTime keeps no dependencies. Empty lists
        // keep clients' parsers happy.
        o.putArray("entities");
        o.putArray("dependencies");
    }

    /** Categories under WakaTime's names, largest first; names that meet ("coding", "Coding") are summed. */
    static Map<String, Long> displayCategories(Map<String, Long> byCategory) {
        Map<String, Long> merged = new java.util.HashMap<>();
        byCategory.forEach((k, v) -> merged.merge(CategoryNames.display(k), v, Long::sum));
        Map<String, Long> sorted = new java.util.LinkedHashMap<>();
        merged.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * {@code statusbar/today} as WakaTime answers it: one day's {@code grand_total}, every list
     * ({@code categories}, {@code dependencies}, {@code editors}, {@code languages}, {@code machines},
     * {@code operating_systems}, {@code projects}), its {@code range}, {@code cached_at} and
     * {@code has_team_features}.
     */
    public static ObjectNode statusbar(Stats today, ZoneId zone, Instant cachedAt) {
        ObjectNode o = F.objectNode();
        o.put("cached_at", iso(cachedAt, ZoneId.of("UTC")));
        o.set("data", summaryDay(today, zone));
        o.put("has_team_features", false);
        return o;
    }

    /** One {@code data[]} item of {@code summaries}: a single local day. */
    public static ObjectNode summaryDay(Stats day, ZoneId zone) {
        ObjectNode o = F.objectNode();
        o.set("grand_total", grandTotal(day.totalMs()));
        lists(o, day);
        LocalDate d = day.start();
        o.putObject("range")
                .put("date", d.toString())
                .put("start", iso(d.atStartOfDay(zone).toInstant(), zone))
                .put("end", iso(d.plusDays(1).atStartOfDay(zone).toInstant().minusSeconds(1), zone))
                .put("text", d.format(DateTimeFormatter.ofPattern("EEE MMM d yyyy", java.util.Locale.ROOT)))
                .put("timezone", zone.getId());
        return o;
    }

    /**
     * Fills each day's {@code entities} of a {@code summaries} answer (WakaTime lists a project's files
     * only when asked for one project): the time of the project's entities in that day's rollup, largest
     * first. Hidden file names are listed as stored, hashed; days stored before entities were kept list none.
     */
    public static void putEntities(
            ObjectNode summaries, List<Stats> days, java.util.Collection<DayRollup> rollups, String project) {
        Map<LocalDate, DayRollup> byDate = new java.util.HashMap<>();
        rollups.forEach(d -> byDate.put(d.date(), d));
        ArrayNode data = (ArrayNode) summaries.get("data");
        for (int i = 0; i < days.size(); i++) {
            DayRollup d = byDate.get(days.get(i).start());
            Map<String, Long> entities = d == null ? Map.of() : EntityRow.ofProject(d.entities(), project);
            ((ObjectNode) data.get(i))
                    .set("entities", list(entities, days.get(i).totalMs()));
        }
    }

    /** The whole {@code summaries} answer: {@code data}, {@code cumulative_total}, {@code daily_average}. */
    public static ObjectNode summaries(List<Stats> days, LocalDate start, LocalDate end, ZoneId zone) {
        ObjectNode o = F.objectNode();
        ArrayNode data = o.putArray("data");
        long total = 0;
        int active = 0;
        for (Stats d : days) {
            data.add(summaryDay(d, zone));
            total += d.totalMs();
            if (d.totalMs() > 0) {
                active++;
            }
        }
        double s = seconds(total);
        o.putObject("cumulative_total")
                .put("seconds", s)
                .put("text", DurationFormat.text(s))
                .put("decimal", decimal(s))
                .put("digital", DurationFormat.digital(s));
        double avg = active == 0 ? 0 : Math.round(s * 1000 / active) / 1000.0;
        o.putObject("daily_average")
                .put("holidays", days.size() - active)
                .put("days_including_holidays", days.size())
                .put("days_minus_holidays", active)
                .put("seconds", avg)
                .put("text", DurationFormat.text(avg))
                .put("seconds_including_other_language", avg)
                .put("text_including_other_language", DurationFormat.text(avg));
        o.put("start", iso(start.atStartOfDay(zone).toInstant(), zone));
        o.put("end", iso(end.plusDays(1).atStartOfDay(zone).toInstant().minusSeconds(1), zone));
        o.put("timezone", zone.getId());
        return o;
    }

    /** {@code stats/{range}}: totals, lists and the best day over a range; {@code today} in the user's zone. */
    public static ObjectNode stats(Stats s, WakaRange range, ZoneId zone, int timeoutMinutes, LocalDate today) {
        ObjectNode data = F.objectNode();
        double total = seconds(s.totalMs());
        int active = 0;
        Stats.DayTotal best = null;
        for (Stats.DayTotal d : s.byDay()) {
            if (d.ms() > 0) {
                active++;
                if (best == null || d.ms() > best.ms()) {
                    best = d;
                }
            }
        }
        double avg = active == 0 ? 0 : Math.round(total * 1000 / active) / 1000.0;
        data.put("total_seconds", total);
        data.put("total_seconds_including_other_language", total);
        data.put("human_readable_total", DurationFormat.text(total));
        data.put("human_readable_total_including_other_language", DurationFormat.text(total));
        data.put("daily_average", avg);
        data.put("daily_average_including_other_language", avg);
        data.put("human_readable_daily_average", DurationFormat.text(avg));
        data.put("human_readable_daily_average_including_other_language", DurationFormat.text(avg));
        lists(data, s);
        if (best != null) {
            double b = seconds(best.ms());
            data.putObject("best_day")
                    .put("date", best.date().toString())
                    .put("total_seconds", b)
                    .put("text", DurationFormat.text(b));
        } else {
            data.putNull("best_day");
        }
        data.put("range", range.key());
        data.put("human_readable_range", range.text());
        data.put("holidays", s.byDay().size() - active);
        data.put("days_including_holidays", s.byDay().size());
        data.put("days_minus_holidays", active);
        data.put("status", "ok");
        data.put("percent_calculated", 100);
        data.put("is_already_updating", false);
        data.put("is_up_to_date", true);
        data.put("is_up_to_date_pending_future", false);
        data.put("is_stuck", false);
        data.put("is_including_today", !s.end().isBefore(today) && !s.start().isAfter(today));
        data.put("start", iso(s.start().atStartOfDay(zone).toInstant(), zone));
        data.put("end", iso(s.end().plusDays(1).atStartOfDay(zone).toInstant().minusSeconds(1), zone));
        data.put("timezone", zone.getId());
        data.put("timeout", timeoutMinutes);
        data.put("writes_only", false);
        ObjectNode o = F.objectNode();
        o.set("data", data);
        return o;
    }

    /** {@code all_time_since_today}. */
    public static ObjectNode allTime(Stats s, ZoneId zone, int timeoutMinutes) {
        double total = seconds(s.totalMs());
        ObjectNode data = F.objectNode();
        data.put("total_seconds", total);
        data.put("text", DurationFormat.text(total));
        data.put("decimal", decimal(total));
        data.put("digital", DurationFormat.digital(total));
        data.put(
                "daily_average",
                s.byDay().isEmpty() ? 0 : Math.round(total * 1000 / s.byDay().size()) / 1000.0);
        data.put("is_up_to_date", true);
        data.put("percent_calculated", 100);
        data.put("timeout", timeoutMinutes);
        data.putObject("range")
                .put("start", iso(s.start().atStartOfDay(zone).toInstant(), zone))
                .put("start_date", s.start().toString())
                .put(
                        "start_text",
                        s.start().format(DateTimeFormatter.ofPattern("EEE MMM d yyyy", java.util.Locale.ROOT)))
                .put(
                        "end",
                        iso(s.end().plusDays(1).atStartOfDay(zone).toInstant().minusSeconds(1), zone))
                .put("end_date", s.end().toString())
                .put("end_text", "Today")
                .put("timezone", zone.getId());
        ObjectNode o = F.objectNode();
        o.set("data", data);
        return o;
    }

    /**
     * {@code durations?date=} without its {@code data} list, which is paged: the day's bounds and, for
     * {@code slice_by=branch}, every branch of the day.
     */
    public static ObjectNode durationsEnvelope(
            List<WakaDurations.Span> spans, WakaDurations.SliceBy sliceBy, LocalDate day, ZoneId zone) {
        ObjectNode o = F.objectNode();
        java.util.Set<String> branches = new java.util.TreeSet<>();
        if (sliceBy == WakaDurations.SliceBy.BRANCH) {
            spans.forEach(s -> branches.add(s.slice()));
        }
        ArrayNode b = o.putArray("branches");
        branches.forEach(b::add);
        o.put("start", iso(day.atStartOfDay(zone).toInstant(), zone));
        o.put("end", iso(day.plusDays(1).atStartOfDay(zone).toInstant().minusSeconds(1), zone));
        o.put("timezone", zone.getId());
        return o;
    }

    /** One {@code data[]} item of {@code durations}: a stretch, with the slice value under its own key. */
    public static ObjectNode duration(WakaDurations.Span s, WakaDurations.SliceBy sliceBy) {
        ObjectNode d = F.objectNode();
        d.put("project", s.project());
        if (sliceBy != WakaDurations.SliceBy.PROJECT) {
            d.put(sliceBy.key(), s.slice());
        }
        d.put("time", new BigDecimal(s.startMs()).movePointLeft(3));
        d.put("duration", seconds(s.ms()));
        d.putNull("color");
        return d;
    }

    /** One heartbeat as {@code heartbeats?date=} lists it. */
    public static ObjectNode heartbeat(Heartbeat h, ZoneId zone) {
        ObjectNode d = F.objectNode();
        d.put("id", HeartbeatId.of(h));
        put(d, h, HeartbeatField.ENTITY, HeartbeatField.TYPE, HeartbeatField.CATEGORY, HeartbeatField.TIME);
        put(d, h, HeartbeatField.PROJECT, HeartbeatField.BRANCH, HeartbeatField.LANGUAGE);
        d.putArray("dependencies");
        put(d, h, HeartbeatField.IS_WRITE, HeartbeatField.LINES, HeartbeatField.LINENO, HeartbeatField.CURSORPOS);
        // WakaTime names the machine and the plugin by their ids; DevTime's names are their ids.
        d.put("machine_name_id", h.machine());
        d.put("user_agent_id", h.plugin());
        put(d, h, HeartbeatField.EDITOR, HeartbeatField.OPERATING_SYSTEM);
        d.put("created_at", iso(Instant.ofEpochMilli(h.timeMs()), ZoneId.of("UTC")));
        return d;
    }

    /** Fields whose wire name is WakaTime's, under that name: time in seconds, absent values as null. */
    private static void put(ObjectNode d, Heartbeat h, HeartbeatField... fields) {
        for (HeartbeatField f : fields) {
            Object v = f.of(h);
            if (f.kind() == HeartbeatField.Kind.TIME) {
                d.put(f.wireName(), new BigDecimal((Long) v).movePointLeft(3));
            } else if (v == null) {
                d.putNull(f.wireName());
            } else if (v instanceof Boolean b) {
                d.put(f.wireName(), b);
            } else if (v instanceof Integer i) {
                d.put(f.wireName(), i);
            } else {
                d.put(f.wireName(), v.toString());
            }
        }
    }

    /** ISO-8601 with the zone's offset, as WakaTime writes range bounds. */
    public static String iso(Instant t, ZoneId zone) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone).withNano(0));
    }

    private static Map<String, Dimension> linked(Object... kv) {
        Map<String, Dimension> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Dimension) kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
