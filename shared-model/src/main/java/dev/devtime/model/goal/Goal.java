package dev.devtime.model.goal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.DurationFormat;
import dev.devtime.model.rollup.DurationRow;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A coding goal as WakaTime defines one: at least {@code seconds} of time a day or a week, optionally only
 * in some languages, projects, editors or categories, optionally skipping some weekdays (daily goals), or
 * growing by a percentage over the previous period. {@code enabled} false is a paused goal.
 */
public record Goal(
        String id,
        String customTitle,
        Delta delta,
        int seconds,
        List<DayOfWeek> ignoreDays,
        Double improveByPercent,
        boolean enabled,
        List<String> languages,
        List<String> projects,
        List<String> editors,
        List<String> categories,
        long createdMs,
        long modifiedMs) {

    /** How long one period of a goal is. */
    public enum Delta {
        DAY,
        WEEK;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int MAX_FILTER_VALUES = 20;
    public static final int MAX_VALUE_LENGTH = 512;
    public static final int MAX_TITLE_LENGTH = 200;

    /** A goal's input did not make sense; the message names the field. */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String message) {
            super(message);
        }
    }

    public Goal {
        ignoreDays = List.copyOf(ignoreDays);
        languages = List.copyOf(languages);
        projects = List.copyOf(projects);
        editors = List.copyOf(editors);
        categories = List.copyOf(categories);
    }

    /**
     * A goal from the dashboard's JSON ({@code delta}, {@code seconds}, and optionally {@code title},
     * {@code ignore_days}, {@code improve_by_percent}, {@code is_enabled}, {@code languages},
     * {@code projects}, {@code editors}, {@code categories}).
     */
    public static Goal parse(JsonNode body, String id, long createdMs, long nowMs) {
        if (body == null || !body.isObject()) {
            throw new Invalid("send the goal as a JSON object");
        }
        String d = text(body, "delta");
        Delta delta;
        if ("day".equals(d) || "daily".equals(d)) {
            delta = Delta.DAY;
        } else if ("week".equals(d) || "weekly".equals(d)) {
            delta = Delta.WEEK;
        } else {
            throw new Invalid("delta must be day or week");
        }
        JsonNode s = body.get("seconds");
        long max = delta == Delta.DAY ? 86_400 : 7 * 86_400;
        if (s == null || !s.isIntegralNumber() || s.asLong() < 60 || s.asLong() > max) {
            throw new Invalid("seconds must be a whole number from 60 to " + max + " for a " + delta.key() + "ly goal");
        }
        String title = text(body, "title");
        if (title != null && (title.isBlank() || title.length() > MAX_TITLE_LENGTH)) {
            throw new Invalid("title must be 1 to " + MAX_TITLE_LENGTH + " characters (or left out)");
        }
        List<DayOfWeek> ignore = new ArrayList<>();
        for (String day : strings(body, "ignore_days")) {
            try {
                DayOfWeek w = DayOfWeek.valueOf(day.trim().toUpperCase(Locale.ROOT));
                if (!ignore.contains(w)) {
                    ignore.add(w);
                }
            } catch (IllegalArgumentException e) {
                throw new Invalid("ignore_days takes weekday names like saturday, not '" + day + "'");
            }
        }
        if (delta == Delta.WEEK && !ignore.isEmpty()) {
            throw new Invalid("ignore_days applies to daily goals only");
        }
        if (ignore.size() == 7) {
            throw new Invalid("ignore_days cannot skip every day of the week");
        }
        Double improve = null;
        JsonNode p = body.get("improve_by_percent");
        if (p != null && !p.isNull()) {
            if (!p.isNumber() || p.asDouble() <= 0 || p.asDouble() > 100) {
                throw new Invalid("improve_by_percent must be a number above 0 and at most 100 (or null)");
            }
            improve = p.asDouble();
        }
        JsonNode enabled = body.get("is_enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw new Invalid("is_enabled must be true or false");
        }
        return new Goal(
                id,
                title,
                delta,
                (int) s.asLong(),
                ignore,
                improve,
                enabled == null || enabled.isNull() || enabled.asBoolean(),
                strings(body, "languages"),
                strings(body, "projects"),
                strings(body, "editors"),
                strings(body, "categories"),
                createdMs,
                nowMs);
    }

    /** The goal as stored (the same field names, plus the times). */
    public ObjectNode toStored() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id).put("title", customTitle).put("delta", delta.key()).put("seconds", seconds);
        ignoreDays.forEach(w -> o.withArray("ignore_days").add(w.name().toLowerCase(Locale.ROOT)));
        o.put("improve_by_percent", improveByPercent).put("is_enabled", enabled);
        languages.forEach(v -> o.withArray("languages").add(v));
        projects.forEach(v -> o.withArray("projects").add(v));
        editors.forEach(v -> o.withArray("editors").add(v));
        categories.forEach(v -> o.withArray("categories").add(v));
        o.put("created_ms", createdMs).put("modified_ms", modifiedMs);
        return o;
    }

    public static Goal fromStored(JsonNode o) {
        return parse(
                o,
                o.get("id").asText(),
                o.get("created_ms").asLong(),
                o.get("modified_ms").asLong());
    }

    /** WakaTime's generated title, e.g. "Code 1 hr per day in Java using VS Code". */
    public String title() {
        if (customTitle != null) {
            return customTitle;
        }
        StringBuilder sb = new StringBuilder("Code ")
                .append(DurationFormat.text(seconds))
                .append(delta == Delta.DAY ? " per day" : " per week");
        if (!languages.isEmpty()) {
            sb.append(" in ").append(String.join(", ", languages));
        }
        if (!projects.isEmpty()) {
            sb.append(" on ").append(String.join(", ", projects));
        }
        if (!editors.isEmpty()) {
            sb.append(" using ").append(String.join(", ", editors));
        }
        if (!categories.isEmpty()) {
            sb.append(" (").append(String.join(", ", categories)).append(')');
        }
        return sb.toString();
    }

    /**
     * Whether a row of time counts toward the goal: every filter that is set must list the row's value.
     * Names compare without case, so "coding" and WakaTime's "Coding" are one category.
     */
    public boolean counts(DurationRow r) {
        return in(languages, r.language())
                && in(projects, r.project())
                && in(editors, r.editor())
                && in(categories, r.category());
    }

    private static boolean in(List<String> filter, String value) {
        return filter.isEmpty() || (value != null && filter.stream().anyMatch(f -> f.equalsIgnoreCase(value)));
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new Invalid(field + " must be a string");
        }
        return n.asText();
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode n = body.get(field);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray() || n.size() > MAX_FILTER_VALUES) {
            throw new Invalid(field + " must be a list of at most " + MAX_FILTER_VALUES + " strings");
        }
        for (JsonNode v : n) {
            if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_VALUE_LENGTH) {
                throw new Invalid(field + " must hold strings of 1 to " + MAX_VALUE_LENGTH + " characters");
            }
            if (!out.contains(v.asText())) {
                out.add(v.asText());
            }
        }
        return out;
    }
}
