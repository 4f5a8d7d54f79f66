package dev.devtime.functions.account;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.Log;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.JsonBody;
import dev.devtime.functions.ingest.RateLimiter;
import dev.devtime.functions.queue.HeartbeatQueue;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.api.ImportLimits;
import dev.devtime.model.wire.HeartbeatParser;
import dev.devtime.model.wire.ParseResult;
import dev.devtime.model.wire.RequestJson;
import dev.devtime.model.wire.RequestMeta;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/import}: history from a WakaTime data dump ({@code {"user", "range", "days": [{"date",
 * "heartbeats": [...]}]}}) or a DevTime export page ({@code {"heartbeats": [...], "days": [...], "next"}}),
 * or a bare array of heartbeats. Each heartbeat goes through the same parser as ingest and onto the same
 * queue, so the aggregator's identity merge makes a repeated import a no-op. Large files are sent as
 * several requests of at most {@link #MAX_BODY_BYTES} / {@link #MAX_HEARTBEATS}; each answer counts what
 * was accepted and refused, which is the client's progress.
 */
public final class ImportService {

    /** One request's limits, shared with the dashboard, which splits files by them. */
    public static final int MAX_BODY_BYTES = ImportLimits.MAX_BODY_BYTES;

    public static final int MAX_HEARTBEATS = ImportLimits.MAX_HEARTBEATS;
    /**
     * Heartbeats a user may import a minute on average, beyond one request's worth at once: history waits its
     * turn, so that one user's import cannot fill the queue ahead of everybody's live heartbeats.
     */
    public static final long IMPORT_PER_MINUTE = 10_000;
    /** A dump is history: ingest's age limit does not apply, only a sanity bound. */
    static final long MAX_AGE_MS = 20L * 366 * 86_400_000L;

    static final int MAX_REPORTED_ERRORS = 20;

    private static final ObjectMapper PARSER = RequestJson.PARSER;

    private final HeartbeatQueue queue;
    private final Clock clock;
    private final RateLimiter limiter;

    /** @param limiter imported heartbeats per user, shared by the container's services */
    public ImportService(HeartbeatQueue queue, Clock clock, RateLimiter limiter) {
        this.queue = queue;
        this.clock = clock;
        this.limiter = limiter;
    }

    public APIGatewayV2HTTPResponse importBody(HttpRequest request, String userId) {
        byte[] body = request.body();
        if (body.length == 0) {
            throw new HttpException(400, "send a WakaTime data dump or a DevTime export page as JSON");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new HttpException(
                    413,
                    "an import request holds at most " + MAX_BODY_BYTES / 1_000_000
                            + " MB; split the file (a dump's days, an export's pages) into several requests");
        }
        RequestMeta meta = new RequestMeta(null, null, clock.millis(), MAX_AGE_MS);
        List<Heartbeat> accepted = new ArrayList<>();
        ArrayNode errors = HttpResponses.JSON.createArrayNode();
        int[] refused = {0};
        int[] index = {0};
        boolean recognised = readItems(body, item -> {
            int i = index[0]++;
            if (i >= MAX_HEARTBEATS) {
                throw new HttpException(
                        413,
                        "an import request holds at most " + MAX_HEARTBEATS
                                + " heartbeats; split it into several requests");
            }
            ParseResult r = parse(item, meta);
            if (r.isOk()) {
                accepted.add(r.heartbeat());
            } else {
                refused[0]++;
                if (errors.size() < MAX_REPORTED_ERRORS) {
                    errors.addObject().put("index", i).put("error", r.error());
                }
            }
        });
        if (!recognised) {
            throw new HttpException(
                    400,
                    "no heartbeats found: send a WakaTime data dump ({\"days\": [{\"heartbeats\": [...]}]}),"
                            + " a DevTime export page ({\"heartbeats\": [...]}) or an array of heartbeats");
        }
        RateLimiter.Decision d = limiter.tryAcquire(userId, accepted.size());
        if (!d.allowed()) {
            throw new HttpException(
                    429,
                    "imports are limited to " + limiter.perMinute() + " heartbeats a minute (" + limiter.burst()
                            + " at once), so that they do not hold up live heartbeats; nothing of this request was queued, send it again in "
                            + d.retryAfterSeconds() + " s",
                    Map.of("Retry-After", Long.toString(d.retryAfterSeconds())));
        }
        try {
            queue.send(userId, accepted, clock.millis());
        } catch (HeartbeatQueue.QueueUnavailable | software.amazon.awssdk.core.exception.SdkException e) {
            Log.error("could not queue imported heartbeats", e);
            return HttpResponses.error(
                    503, "the import could not be queued right now; send this part again", Map.of("Retry-After", "5"));
        }
        Log.info("import queued", "user", userId, "accepted", accepted.size(), "refused", refused[0]);
        ObjectNode out = HttpResponses.JSON.createObjectNode();
        out.put("accepted", accepted.size());
        out.put("refused", refused[0]);
        out.set("errors", errors);
        out.put("aggregating", !accepted.isEmpty());
        if (accepted.isEmpty() && refused[0] > 0) {
            out.put("error", "none of the " + refused[0] + " heartbeats could be imported; see errors");
            return HttpResponses.json(400, out);
        }
        out.put(
                "message",
                accepted.size() + " heartbeats are queued; stats include them once they are aggregated,"
                        + " usually within a minute. Heartbeats already stored are counted once.");
        return HttpResponses.json(202, out);
    }

    @FunctionalInterface
    private interface ItemSink {
        void accept(JsonNode item);
    }

    /**
     * Streams through the body and hands over each heartbeat object, so only the parsed heartbeats are
     * held, never a tree of the whole file. Returns false when the body has no place heartbeats can be.
     */
    private static boolean readItems(byte[] body, ItemSink sink) {
        try (JsonParser p = PARSER.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                readArray(p, sink);
                RequestJson.expectEnd(p);
                return true;
            }
            if (t != JsonToken.START_OBJECT) {
                return false;
            }
            boolean recognised = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("heartbeats") && v == JsonToken.START_ARRAY) {
                    readArray(p, sink);
                    recognised = true;
                } else if (field.equals("days") && v == JsonToken.START_ARRAY) {
                    // A WakaTime dump's days hold heartbeats; a DevTime export's days are rollups (derived, skipped).
                    for (JsonToken d = p.nextToken(); d != JsonToken.END_ARRAY; d = p.nextToken()) {
                        if (d != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            continue;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String dayField = p.currentName();
                            JsonToken dv = p.nextToken();
                            if (dayField.equals("heartbeats") && dv == JsonToken.START_ARRAY) {
                                readArray(p, sink);
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    recognised = true;
                } else {
                    p.skipChildren();
                }
            }
            RequestJson.expectEnd(p);
            return recognised;
        } catch (JsonProcessingException e) {
            throw new HttpException(400, "the file is not valid JSON: " + JsonBody.firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new HttpException(400, "the file could not be read");
        }
    }

    private static void readArray(JsonParser p, ItemSink sink) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            sink.accept(RequestJson.STREAMED.readTree(p));
        }
    }

    /**
     * The ingest parser, with what a file differs in: no request headers stand for the tool or the machine
     * (WakaTime's {@code machine_name_id} names the machine when nothing else does), and a DevTime export
     * item, recognised by its {@code tool} and {@code editor}, keeps its editor, plugin and operating
     * system as exported and may lack an entity, so that an export imports to the very same heartbeats.
     */
    static ParseResult parse(JsonNode item, RequestMeta meta) {
        if (item == null || !item.isObject()) {
            return ParseResult.error("a heartbeat must be a JSON object");
        }
        ObjectNode o = ((ObjectNode) item).deepCopy();
        if (!o.hasNonNull("machine") && o.path("machine_name_id").isTextual()) {
            o.put("machine", o.get("machine_name_id").asText());
        }
        boolean devtime = o.has("tool") && o.has("editor");
        boolean noEntity =
                devtime && (o.get("entity") == null || o.get("entity").isNull());
        if (noEntity) {
            o.put("entity", "-");
        }
        ParseResult r = HeartbeatParser.parse(o, meta);
        if (!r.isOk() || !devtime) {
            return r;
        }
        try {
            Heartbeat h = r.heartbeat();
            return ParseResult.ok(h.toBuilder()
                    .editor(text(o, "editor"))
                    .plugin(text(o, "plugin"))
                    .os(text(o, "operating_system"))
                    .entity(noEntity ? null : h.entity())
                    .build());
        } catch (IllegalArgumentException e) {
            return ParseResult.error(e.getMessage());
        }
    }

    /** The limits the parser puts on names: at most 512 characters, no control characters. */
    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        String s = v.asText().trim();
        if (s.length() > HeartbeatParser.MAX_FIELD_LENGTH) {
            throw new IllegalArgumentException(
                    field + " is longer than " + HeartbeatParser.MAX_FIELD_LENGTH + " characters");
        }
        if (s.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE)) {
            throw new IllegalArgumentException(field + " contains a control character or a lone surrogate");
        }
        return s.isEmpty() ? null : s;
    }
}
