package dev.devtime.model.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.Heartbeat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact JSON form of canonical heartbeats, used on the queue and in stored buckets. Short keys and
 * omitted defaults keep queue messages and DynamoDB items small, which is what they are billed by.
 */
public final class HeartbeatCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HeartbeatCodec() {
    }

    public static ObjectNode toJson(Heartbeat h) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("t", h.timeMs());
        put(o, "tl", h.tool());
        put(o, "ed", h.editor());
        put(o, "pl", h.plugin());
        put(o, "os", h.os());
        put(o, "m", h.machine());
        put(o, "e", h.entity());
        if (!"file".equals(h.type())) {
            put(o, "ty", h.type());
        }
        if (!"coding".equals(h.category())) {
            put(o, "c", h.category());
        }
        put(o, "p", h.project());
        put(o, "b", h.branch());
        put(o, "l", h.language());
        if (h.isWrite() != null) {
            o.put("w", h.isWrite());
        }
        putInt(o, "ln", h.lines());
        putInt(o, "no", h.lineno());
        putInt(o, "cp", h.cursorpos());
        put(o, "s", h.sessionId());
        putLong(o, "ti", h.tokensIn());
        putLong(o, "to", h.tokensOut());
        putLong(o, "cc", h.cacheCreationTokens());
        putLong(o, "cr", h.cacheReadTokens());
        put(o, "md", h.model());
        putLong(o, "pr", h.prompts());
        putLong(o, "al", h.aiLineChanges());
        putLong(o, "hl", h.humanLineChanges());
        return o;
    }

    public static Heartbeat fromJson(JsonNode o) {
        return Heartbeat.builder(o.get("t").asLong())
                .tool(text(o, "tl"))
                .editor(text(o, "ed"))
                .plugin(text(o, "pl"))
                .os(text(o, "os"))
                .machine(text(o, "m"))
                .entity(text(o, "e"))
                .type(o.has("ty") ? o.get("ty").asText() : "file")
                .category(o.has("c") ? o.get("c").asText() : "coding")
                .project(text(o, "p"))
                .branch(text(o, "b"))
                .language(text(o, "l"))
                .isWrite(o.has("w") ? o.get("w").asBoolean() : null)
                .lines(o.has("ln") ? o.get("ln").asInt() : null)
                .lineno(o.has("no") ? o.get("no").asInt() : null)
                .cursorpos(o.has("cp") ? o.get("cp").asInt() : null)
                .sessionId(text(o, "s"))
                .tokensIn(o.path("ti").asLong())
                .tokensOut(o.path("to").asLong())
                .cacheCreationTokens(o.path("cc").asLong())
                .cacheReadTokens(o.path("cr").asLong())
                .model(text(o, "md"))
                .prompts(o.path("pr").asInt())
                .aiLineChanges(o.path("al").asInt())
                .humanLineChanges(o.path("hl").asInt())
                .build();
    }

    public static ArrayNode toJsonArray(List<Heartbeat> heartbeats) {
        ArrayNode a = MAPPER.createArrayNode();
        heartbeats.forEach(h -> a.add(toJson(h)));
        return a;
    }

    public static List<Heartbeat> fromJsonArray(JsonNode array) {
        List<Heartbeat> out = new ArrayList<>(array.size());
        array.forEach(n -> out.add(fromJson(n)));
        return out;
    }

    public static byte[] encode(List<Heartbeat> heartbeats) {
        try {
            return MAPPER.writeValueAsBytes(toJsonArray(heartbeats));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Heartbeat> decode(byte[] json) {
        try {
            return fromJsonArray(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(ObjectNode o, String k, String v) {
        if (v != null) {
            o.put(k, v);
        }
    }

    private static void putInt(ObjectNode o, String k, Integer v) {
        if (v != null) {
            o.put(k, v);
        }
    }

    private static void putLong(ObjectNode o, String k, long v) {
        if (v != 0) {
            o.put(k, v);
        }
    }

    private static String text(JsonNode o, String k) {
        JsonNode v = o.get(k);
        return v == null || v.isNull() ? null : v.asText();
    }
}
