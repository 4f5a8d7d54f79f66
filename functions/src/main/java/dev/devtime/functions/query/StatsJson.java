package dev.devtime.functions.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.model.rollup.AiRow;
import dev.devtime.model.rollup.Dimension;
import dev.devtime.model.rollup.Session;
import dev.devtime.model.rollup.Stats;

/** The JSON shapes of the read API (see docs/api.md). */
final class StatsJson {

    private StatsJson() {}

    static double seconds(long ms) {
        return ms / 1000.0;
    }

    static ObjectNode stats(Stats s, String timezone) {
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.putObject("range")
                .put("start", s.start().toString())
                .put("end", s.end().toString())
                .put("timezone", timezone);
        o.put("total_seconds", seconds(s.totalMs()));
        for (Dimension d : Dimension.values()) {
            ObjectNode by = o.putObject("by_" + d.key());
            s.byDimension().get(d).forEach((k, v) -> by.put(k, seconds(v)));
        }
        ArrayNode byDay = o.putArray("by_day");
        for (Stats.DayTotal d : s.byDay()) {
            byDay.addObject().put("date", d.date().toString()).put("seconds", seconds(d.ms()));
        }
        ObjectNode ai = o.putObject("ai");
        aiFields(ai, s.ai().total());
        ai.put("ai_line_changes", s.ai().total().aiLineChanges());
        ai.put("human_line_changes", s.ai().total().humanLineChanges());
        ObjectNode byTool = ai.putObject("by_tool");
        s.ai().byTool().forEach((k, v) -> aiFields(byTool.putObject(k), v));
        ObjectNode byModel = ai.putObject("by_model");
        s.ai().byModel().forEach((k, v) -> aiFields(byModel.putObject(k), v));
        ArrayNode aiByDay = ai.putArray("by_day");
        for (Stats.DayTotal d : s.byDay()) {
            aiFields(aiByDay.addObject().put("date", d.date().toString()), d.ai());
        }
        return o;
    }

    private static void aiFields(ObjectNode o, AiRow a) {
        o.put("tokens_in", a.tokensIn());
        o.put("tokens_out", a.tokensOut());
        o.put("cache_creation_tokens", a.cacheCreationTokens());
        o.put("cache_read_tokens", a.cacheReadTokens());
        o.put("prompts", a.prompts());
    }

    /** One item of {@code /api/sessions}' list. */
    static ObjectNode session(Session s, java.time.ZoneId zone) {
        return HttpResponses.JSON
                .createObjectNode()
                .put("id", s.id())
                .put(
                        "date",
                        java.time.Instant.ofEpochMilli(s.startMs())
                                .atZone(zone)
                                .toLocalDate()
                                .toString())
                .put("tool", s.tool())
                .put("project", s.project())
                .put("start_time", s.startMs())
                .put("end_time", s.endMs())
                .put("duration", seconds(s.durationMs()))
                .put("heartbeat_count", s.heartbeats());
    }
}
