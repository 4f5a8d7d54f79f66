package dev.devtime.model.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a {@link DayRollup}: strings go into one table per day and rows refer to them by
 * index, so a day with many rows stays well under the 1 KB that one DynamoDB write unit covers.
 */
public final class DayRollupCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DayRollupCodec() {}

    public static byte[] encode(DayRollup d) {
        Strings strings = new Strings();
        ObjectNode o = MAPPER.createObjectNode();
        fill(o, d, strings, true);
        ArrayNode dict = o.putArray("d");
        strings.list.forEach(dict::add);
        return bytes(o);
    }

    /** A month rollup, with the same string table scheme. */
    public static byte[] encodeMonth(MonthRollup m) {
        Strings strings = new Strings();
        ObjectNode o = MAPPER.createObjectNode();
        fill(o, new DayRollup(m.month().atDay(1), m.rows(), m.ai(), List.of(), m.heartbeats()), strings, false);
        ArrayNode days = o.putArray("t");
        for (Stats.DayTotal d : m.days()) {
            AiRow a = d.ai();
            days.addArray()
                    .add(d.date().getDayOfMonth())
                    .add(d.ms())
                    .add(a.tokensIn())
                    .add(a.tokensOut())
                    .add(a.cacheCreationTokens())
                    .add(a.cacheReadTokens())
                    .add(a.prompts())
                    .add(a.aiLineChanges())
                    .add(a.humanLineChanges());
        }
        ArrayNode dict = o.putArray("d");
        strings.list.forEach(dict::add);
        return bytes(o);
    }

    public static MonthRollup decodeMonth(YearMonth month, byte[] bytes) {
        JsonNode o = tree(bytes);
        DayRollup all = read(month.atDay(1), o, dictionary(o));
        List<Stats.DayTotal> days = new ArrayList<>();
        for (JsonNode a : o.get("t")) {
            days.add(new Stats.DayTotal(
                    month.atDay(a.get(0).asInt()),
                    a.get(1).asLong(),
                    new AiRow(
                            "day",
                            "day",
                            "day",
                            a.get(2).asLong(),
                            a.get(3).asLong(),
                            a.get(4).asLong(),
                            a.get(5).asLong(),
                            a.get(6).asLong(),
                            a.get(7).asLong(),
                            a.get(8).asLong())));
        }
        return new MonthRollup(month, all.rows(), all.ai(), days, all.heartbeats());
    }

    private static void fill(ObjectNode o, DayRollup d, Strings strings, boolean withSessions) {
        o.put("n", d.heartbeats());
        ArrayNode rows = o.putArray("r");
        for (DurationRow r : d.rows()) {
            ArrayNode a = rows.addArray();
            for (Dimension dim : Dimension.values()) {
                a.add(strings.index(r.value(dim)));
            }
            a.add(r.ms());
        }
        ArrayNode ai = o.putArray("a");
        for (AiRow r : d.ai()) {
            ai.addArray()
                    .add(strings.index(r.tool()))
                    .add(strings.index(r.project()))
                    .add(strings.index(r.model()))
                    .add(r.tokensIn())
                    .add(r.tokensOut())
                    .add(r.cacheCreationTokens())
                    .add(r.cacheReadTokens())
                    .add(r.prompts())
                    .add(r.aiLineChanges())
                    .add(r.humanLineChanges());
        }
        if (withSessions) {
            ArrayNode sessions = o.putArray("s");
            for (Session s : d.sessions()) {
                sessions.addArray()
                        .add(strings.index(s.tool()))
                        .add(strings.index(s.project()))
                        .add(s.startMs())
                        .add(s.endMs())
                        .add(s.heartbeats());
            }
            // Months keep no entities: their days have them.
            if (!d.entities().isEmpty()) {
                ArrayNode entities = o.putArray("e");
                for (EntityRow e : d.entities()) {
                    entities.addArray()
                            .add(strings.index(e.project()))
                            .add(strings.index(e.entity()))
                            .add(e.ms());
                }
            }
        }
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> dictionary(JsonNode o) {
        List<String> dict = new ArrayList<>();
        o.get("d").forEach(n -> dict.add(n.asText()));
        return dict;
    }

    public static DayRollup decode(LocalDate date, byte[] bytes) {
        JsonNode o = tree(bytes);
        return read(date, o, dictionary(o));
    }

    private static DayRollup read(LocalDate date, JsonNode o, List<String> dict) {
        List<DurationRow> rows = new ArrayList<>();
        for (JsonNode a : o.get("r")) {
            rows.add(new DurationRow(
                    dict.get(a.get(0).asInt()),
                    dict.get(a.get(1).asInt()),
                    dict.get(a.get(2).asInt()),
                    dict.get(a.get(3).asInt()),
                    dict.get(a.get(4).asInt()),
                    dict.get(a.get(5).asInt()),
                    dict.get(a.get(6).asInt()),
                    dict.get(a.get(7).asInt()),
                    a.get(8).asLong()));
        }
        List<AiRow> ai = new ArrayList<>();
        for (JsonNode a : o.get("a")) {
            ai.add(new AiRow(
                    dict.get(a.get(0).asInt()),
                    dict.get(a.get(1).asInt()),
                    dict.get(a.get(2).asInt()),
                    a.get(3).asLong(),
                    a.get(4).asLong(),
                    a.get(5).asLong(),
                    a.get(6).asLong(),
                    a.get(7).asLong(),
                    a.get(8).asLong(),
                    a.get(9).asLong()));
        }
        List<Session> sessions = new ArrayList<>();
        for (JsonNode a : o.path("s")) {
            sessions.add(new Session(
                    dict.get(a.get(0).asInt()),
                    dict.get(a.get(1).asInt()),
                    a.get(2).asLong(),
                    a.get(3).asLong(),
                    a.get(4).asInt()));
        }
        List<EntityRow> entities = new ArrayList<>();
        for (JsonNode a : o.path("e")) {
            entities.add(new EntityRow(
                    dict.get(a.get(0).asInt()),
                    dict.get(a.get(1).asInt()),
                    a.get(2).asLong()));
        }
        return new DayRollup(date, rows, ai, sessions, o.get("n").asInt(), entities);
    }

    private static final class Strings {
        final List<String> list = new ArrayList<>();
        final Map<String, Integer> index = new LinkedHashMap<>();

        int index(String s) {
            return index.computeIfAbsent(s, k -> {
                list.add(k);
                return list.size() - 1;
            });
        }
    }
}
