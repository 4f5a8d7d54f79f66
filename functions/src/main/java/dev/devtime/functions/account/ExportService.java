package dev.devtime.functions.account;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.store.UserDataStore;
import dev.devtime.functions.store.UserDataStore.Section;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.rollup.AiRow;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.rollup.Session;
import dev.devtime.model.wakatime.HeartbeatId;
import dev.devtime.model.wire.HeartbeatField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code GET /api/export}: all of a user's data, a page at a time. A Lambda behind API Gateway answers at
 * most 6 MB and cannot stream, so each page holds about {@link HttpResponses#PAGE_BUDGET_BYTES} and a cursor to the
 * next; only one page is ever in memory. The user's partition is walked in sort-key order: the raw
 * heartbeat buckets ({@code B#}) first, then the day rollups ({@code D#}). The cursor says which item to
 * resume at and how many of its records were already sent, so even one huge bucket splits across pages.
 */
public final class ExportService {

    /** Items per DynamoDB query call: a page rarely needs more, and a small read wastes little when it stops early. */
    static final int QUERY_LIMIT = 50;

    private static final JsonFactory JSON = HttpResponses.JSON.getFactory();

    /** What a CSV export lists: one table per request, since its rows have different columns. */
    enum CsvTable {
        HEARTBEATS,
        DAYS,
        DURATIONS,
        SESSIONS
    }

    /** The heartbeat's id, then its stored fields by their wire names. */
    static final List<String> HEARTBEAT_COLUMNS = Stream.concat(
                    Stream.of("id"), HeartbeatField.stored().stream().map(HeartbeatField::wireName))
            .toList();

    private final UserDataStore data;
    private final int budgetBytes;

    public ExportService(UserDataStore data) {
        this(data, HttpResponses.PAGE_BUDGET_BYTES);
    }

    /** @param budgetBytes the page size; tests use a small one to exercise paging */
    ExportService(UserDataStore data, int budgetBytes) {
        this.data = data;
        this.budgetBytes = budgetBytes;
    }

    /** Where a page starts: at item {@code sk}, skipping its first {@code skip} records. */
    record Cursor(String sk, int skip) {

        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((sk + "|" + skip).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String s) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
                int bar = raw.lastIndexOf('|');
                String sk = raw.substring(0, bar);
                int skip = Integer.parseInt(raw.substring(bar + 1));
                if (!UserDataStore.isItemKey(sk) || skip < 0) {
                    throw new IllegalArgumentException(raw);
                }
                return new Cursor(sk, skip);
            } catch (RuntimeException e) {
                throw new HttpException(400, "cursor is not one this server gave out; start again without it");
            }
        }
    }

    public APIGatewayV2HTTPResponse export(HttpRequest request, String userId) {
        String format = request.query("format") == null ? "json" : request.query("format");
        Cursor from = request.query("cursor") == null || request.query("cursor").isEmpty()
                ? null
                : Cursor.decode(request.query("cursor"));
        return switch (format) {
            case "json" -> json(userId, from);
            case "csv" -> csv(userId, from, csvTable(request.query("table")));
            default -> throw new HttpException(400, "format must be json or csv");
        };
    }

    private static CsvTable csvTable(String t) {
        if (t == null || t.isEmpty()) {
            return CsvTable.HEARTBEATS;
        }
        try {
            return CsvTable.valueOf(t.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HttpException(400, "table must be heartbeats, days, durations or sessions");
        }
    }

    // ---- JSON

    private APIGatewayV2HTTPResponse json(String userId, Cursor from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        Cursor next;
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("heartbeats");
            boolean[] inDays = {false};
            next = walk(
                    userId,
                    from,
                    Section.HEARTBEATS,
                    Section.DAYS,
                    out,
                    (item, records, i) -> {
                        if (item.day() != null && !inDays[0]) {
                            g.writeEndArray();
                            g.writeArrayFieldStart("days");
                            inDays[0] = true;
                        }
                        if (records.get(i) instanceof Heartbeat h) {
                            writeHeartbeat(g, h);
                        } else {
                            writeDay(g, (DayRollup) records.get(i));
                        }
                        g.flush();
                    },
                    item -> item.day() == null ? new ArrayList<Object>(heartbeats(item)) : List.<Object>of(item.day()));
            g.writeEndArray();
            if (!inDays[0]) {
                g.writeArrayFieldStart("days");
                g.writeEndArray();
            }
            if (next == null) {
                g.writeNullField("next");
            } else {
                g.writeStringField("next", next.encode());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResponses.raw(200, out.toString(StandardCharsets.UTF_8), "application/json", Map.of());
    }

    /**
     * WakaTime's heartbeat plus what DevTime needs to import its own export unchanged: every stored field
     * (HeartbeatField) under its wire name.
     */
    private static void writeHeartbeat(JsonGenerator g, Heartbeat h) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", HeartbeatId.of(h));
        for (HeartbeatField f : HeartbeatField.stored()) {
            Object v = f.of(h);
            switch (f.kind()) {
                case TIME -> g.writeNumberField(f.wireName(), BigDecimal.valueOf((Long) v, 3));
                case TEXT -> g.writeStringField(f.wireName(), (String) v);
                case FLAG, NUMBER -> writeNullable(g, f.wireName(), v);
                case OPTIONAL_TEXT -> {
                    if (v != null) {
                        g.writeStringField(f.wireName(), (String) v);
                    }
                }
                case COUNT -> writeCount(g, f.wireName(), ((Number) v).longValue());
                case NOT_STORED -> {}
            }
        }
        g.writeEndObject();
    }

    private static void writeNullable(JsonGenerator g, String field, Object v) throws IOException {
        if (v == null) {
            g.writeNullField(field);
        } else if (v instanceof Boolean b) {
            g.writeBooleanField(field, b);
        } else {
            g.writeNumberField(field, ((Number) v).longValue());
        }
    }

    private static void writeCount(JsonGenerator g, String field, long v) throws IOException {
        if (v != 0) {
            g.writeNumberField(field, v);
        }
    }

    private static void writeDay(JsonGenerator g, DayRollup d) throws IOException {
        g.writeStartObject();
        g.writeStringField("date", d.date().toString());
        g.writeNumberField("total_seconds", seconds(d.totalMs()));
        g.writeNumberField("heartbeat_count", d.heartbeats());
        g.writeArrayFieldStart("durations");
        for (DurationRow r : d.rows()) {
            g.writeStartObject();
            g.writeStringField("tool", r.tool());
            g.writeStringField("project", r.project());
            g.writeStringField("language", r.language());
            g.writeStringField("category", r.category());
            g.writeStringField("editor", r.editor());
            g.writeStringField("machine", r.machine());
            g.writeStringField("branch", r.branch());
            g.writeStringField("operating_system", r.os());
            g.writeNumberField("seconds", seconds(r.ms()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("ai");
        for (AiRow a : d.ai()) {
            g.writeStartObject();
            g.writeStringField("tool", a.tool());
            g.writeStringField("project", a.project());
            g.writeStringField("model", a.model());
            g.writeNumberField("tokens_in", a.tokensIn());
            g.writeNumberField("tokens_out", a.tokensOut());
            g.writeNumberField("cache_creation_tokens", a.cacheCreationTokens());
            g.writeNumberField("cache_read_tokens", a.cacheReadTokens());
            g.writeNumberField("prompts", a.prompts());
            g.writeNumberField("ai_line_changes", a.aiLineChanges());
            g.writeNumberField("human_line_changes", a.humanLineChanges());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("sessions");
        for (Session s : d.sessions()) {
            g.writeStartObject();
            g.writeStringField("id", s.id());
            g.writeStringField("tool", s.tool());
            g.writeStringField("project", s.project());
            g.writeNumberField("start_time", s.startMs());
            g.writeNumberField("end_time", s.endMs());
            g.writeNumberField("duration", seconds(s.durationMs()));
            g.writeNumberField("heartbeat_count", s.heartbeats());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    // ---- CSV

    private APIGatewayV2HTTPResponse csv(String userId, Cursor from, CsvTable t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        if (from == null) {
            line(
                    out,
                    switch (t) {
                        case HEARTBEATS -> HEARTBEAT_COLUMNS;
                        case DAYS ->
                            List.of(
                                    "date",
                                    "total_seconds",
                                    "heartbeat_count",
                                    "tokens_in",
                                    "tokens_out",
                                    "cache_creation_tokens",
                                    "cache_read_tokens",
                                    "prompts",
                                    "ai_line_changes",
                                    "human_line_changes");
                        case DURATIONS ->
                            List.of(
                                    "date",
                                    "tool",
                                    "project",
                                    "language",
                                    "category",
                                    "editor",
                                    "machine",
                                    "branch",
                                    "operating_system",
                                    "seconds");
                        case SESSIONS ->
                            List.of(
                                    "id",
                                    "date",
                                    "tool",
                                    "project",
                                    "start_time",
                                    "end_time",
                                    "duration",
                                    "heartbeat_count");
                    });
        }
        boolean beats = t == CsvTable.HEARTBEATS;
        Section section = beats ? Section.HEARTBEATS : Section.DAYS;
        Cursor next = walk(
                userId,
                from,
                section,
                section,
                out,
                (item, records, i) -> line(out, csvRow(t, item, records.get(i))),
                item -> {
                    if (beats) {
                        return new ArrayList<Object>(heartbeats(item));
                    }
                    DayRollup d = item.day();
                    return switch (t) {
                        case DURATIONS -> new ArrayList<Object>(d.rows());
                        case SESSIONS -> new ArrayList<Object>(d.sessions());
                        default -> List.<Object>of(d);
                    };
                });
        Map<String, String> headers = new HashMap<>();
        if (next != null) {
            headers.put("X-Next-Cursor", next.encode());
        }
        headers.put(
                "Content-Disposition",
                "attachment; filename=\"devtime-" + t.name().toLowerCase(java.util.Locale.ROOT) + ".csv\"");
        return HttpResponses.raw(200, out.toString(StandardCharsets.UTF_8), "text/csv; charset=utf-8", headers);
    }

    private static List<Object> csvRow(CsvTable t, UserDataStore.Item item, Object record) {
        List<Object> row = new ArrayList<>();
        switch (t) {
            case HEARTBEATS -> {
                Heartbeat h = (Heartbeat) record;
                row.add(HeartbeatId.of(h));
                for (HeartbeatField f : HeartbeatField.stored()) {
                    row.add(f.kind() == HeartbeatField.Kind.TIME ? BigDecimal.valueOf(h.timeMs(), 3) : f.of(h));
                }
            }
            case DAYS -> {
                DayRollup d = (DayRollup) record;
                long[] ai = new long[7];
                for (AiRow a : d.ai()) {
                    ai[0] += a.tokensIn();
                    ai[1] += a.tokensOut();
                    ai[2] += a.cacheCreationTokens();
                    ai[3] += a.cacheReadTokens();
                    ai[4] += a.prompts();
                    ai[5] += a.aiLineChanges();
                    ai[6] += a.humanLineChanges();
                }
                row.addAll(List.of(d.date(), seconds(d.totalMs()), d.heartbeats()));
                for (long v : ai) {
                    row.add(v);
                }
            }
            case DURATIONS -> {
                DurationRow r = (DurationRow) record;
                row.add(item.day().date().toString());
                row.add(r.tool());
                row.add(r.project());
                row.add(r.language());
                row.add(r.category());
                row.add(r.editor());
                row.add(r.machine());
                row.add(r.branch());
                row.add(r.os());
                row.add(seconds(r.ms()));
            }
            case SESSIONS -> {
                Session s = (Session) record;
                row.addAll(List.of(s.id(), item.day().date().toString()));
                row.add(s.tool());
                row.add(s.project());
                row.addAll(List.of(s.startMs(), s.endMs(), seconds(s.durationMs()), s.heartbeats()));
            }
        }
        return row;
    }

    /**
     * RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; null is an empty field. Text
     * that a spreadsheet would run as a formula (starting with {@code = + - @}, tab or carriage return: a project
     * or file name is whatever a client sent) gets a leading {@code '} and quotes, as OWASP's CSV injection
     * advice says; numbers are written as they are.
     */
    static String csvField(Object v) {
        if (v == null) {
            return "";
        }
        String s = v instanceof BigDecimal b ? b.toPlainString() : v.toString();
        if (v instanceof CharSequence && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
            return "\"'" + s.replace("\"", "\"\"") + '"';
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private static void line(ByteArrayOutputStream out, List<?> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(csvField(fields.get(i)));
        }
        b.append("\r\n");
        out.writeBytes(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    // ---- the walk over the partition

    @FunctionalInterface
    interface RecordWriter {
        void write(UserDataStore.Item item, List<Object> records, int index) throws IOException;
    }

    @FunctionalInterface
    interface Decoder {
        List<Object> records(UserDataStore.Item item);
    }

    /**
     * Writes records of the items of sections [{@code first}, {@code last}] from the cursor on until the page is
     * full; returns where the next page starts, or null when everything was written.
     */
    private Cursor walk(
            String userId,
            Cursor from,
            Section first,
            Section last,
            ByteArrayOutputStream out,
            RecordWriter writer,
            Decoder decoder) {
        for (UserDataStore.Item item : data.items(userId, first, last, from == null ? null : from.sk(), QUERY_LIMIT)) {
            String sk = item.sortKey();
            List<Object> records = decoder.records(item);
            // Only the item the cursor points at was partly sent; if it is gone (retention), start afresh.
            int start = from != null && sk.equals(from.sk()) ? Math.min(from.skip(), records.size()) : 0;
            for (int i = start; i < records.size(); i++) {
                try {
                    writer.write(item, records, i);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (out.size() >= budgetBytes) {
                    // At the end of an item, skipping "all" of it makes the next page start at the one after.
                    return new Cursor(sk, i + 1 < records.size() ? i + 1 : Integer.MAX_VALUE);
                }
            }
        }
        return null;
    }

    /** A bucket item's heartbeats in a stable order, so a cursor's skip count means the same on the next page. */
    private static List<Heartbeat> heartbeats(UserDataStore.Item item) {
        List<Heartbeat> hbs = new ArrayList<>(item.heartbeats());
        hbs.sort(Comparator.comparingLong(Heartbeat::timeMs).thenComparing(Heartbeat::identity));
        return hbs;
    }

    private static double seconds(long ms) {
        return ms / 1000.0;
    }
}
