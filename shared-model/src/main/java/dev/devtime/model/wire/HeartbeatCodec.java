package dev.devtime.model.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.devtime.model.Heartbeat;
import java.io.ByteArrayOutputStream;
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
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private HeartbeatCodec() {}

    /** One heartbeat of the compact form held as a tree node; absent keys take their defaults. */
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

    /**
     * The heartbeats as one compact JSON array. Streamed rather than built as a tree first: the tree cost more
     * than the writing, and buckets are encoded on every aggregator write.
     */
    public static byte[] encode(List<Heartbeat> heartbeats) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + heartbeats.size() * 256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeArray(g, heartbeats);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The heartbeats as one JSON array written into a document being generated, such as a queue message. */
    public static void writeArray(JsonGenerator g, List<Heartbeat> heartbeats) throws IOException {
        g.writeStartArray();
        for (Heartbeat h : heartbeats) {
            write(g, h);
        }
        g.writeEndArray();
    }

    /**
     * The heartbeats of compact JSON, read straight off the parser. An element or value of an unexpected JSON
     * type (never written by {@link #encode}) is read as a tree node and converted exactly as {@link #fromJson}
     * converts it, and a root that is not an array takes the tree path whole.
     */
    public static List<Heartbeat> decode(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new ArrayList<>();
            }
            if (first != JsonToken.START_ARRAY) {
                // What the tree form always did: each value of the root, none for a scalar.
                List<Heartbeat> out = new ArrayList<>();
                MAPPER.readTree(json).forEach(n -> out.add(fromJson(n)));
                return out;
            }
            return readArray(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The heartbeats of the array the parser is on (at its START_ARRAY), as {@link #decode} reads them; leaves
     * the parser on the array's END_ARRAY.
     */
    public static List<Heartbeat> readArray(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("the parser is not at the start of an array but at " + p.currentToken());
        }
        List<Heartbeat> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                // Jackson reports an unclosed array itself; this only guards the loop.
                throw new IOException("heartbeats end before their array closes");
            }
            out.add(t == JsonToken.START_OBJECT ? read(p) : fromJson(tree(p)));
        }
        return out;
    }

    /** Short keys; defaults (absent, "file", "coding", zero counts) are left out and {@link #fromJson} restores them. */
    private static void write(JsonGenerator g, Heartbeat h) throws IOException {
        g.writeStartObject();
        g.writeNumberField("t", h.timeMs());
        write(g, "tl", h.tool());
        write(g, "ed", h.editor());
        write(g, "pl", h.plugin());
        write(g, "os", h.os());
        write(g, "m", h.machine());
        write(g, "e", h.entity());
        if (!"file".equals(h.type())) {
            write(g, "ty", h.type());
        }
        if (!"coding".equals(h.category())) {
            write(g, "c", h.category());
        }
        write(g, "p", h.project());
        write(g, "b", h.branch());
        write(g, "l", h.language());
        if (h.isWrite() != null) {
            g.writeBooleanField("w", h.isWrite());
        }
        write(g, "ln", h.lines());
        write(g, "no", h.lineno());
        write(g, "cp", h.cursorpos());
        write(g, "s", h.sessionId());
        write(g, "ti", h.tokensIn());
        write(g, "to", h.tokensOut());
        write(g, "cc", h.cacheCreationTokens());
        write(g, "cr", h.cacheReadTokens());
        write(g, "md", h.model());
        write(g, "pr", h.prompts());
        write(g, "al", h.aiLineChanges());
        write(g, "hl", h.humanLineChanges());
        g.writeEndObject();
    }

    private static void write(JsonGenerator g, String k, String v) throws IOException {
        if (v != null) {
            g.writeStringField(k, v);
        }
    }

    private static void write(JsonGenerator g, String k, Integer v) throws IOException {
        if (v != null) {
            g.writeNumberField(k, v.intValue());
        }
    }

    private static void write(JsonGenerator g, String k, long v) throws IOException {
        if (v != 0) {
            g.writeNumberField(k, v);
        }
    }

    /** One object, the parser on its START_OBJECT; {@link #fromJson}'s defaults for absent keys. */
    private static Heartbeat read(JsonParser p) throws IOException {
        Heartbeat.Builder b = Heartbeat.builder(0);
        boolean hasTime = false;
        for (String k = p.nextFieldName(); k != null; k = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            switch (k) {
                case "t" -> {
                    b.timeMs(isLong(p, v) ? p.getLongValue() : tree(p).asLong());
                    hasTime = true;
                }
                case "tl" -> b.tool(text(p, v));
                case "ed" -> b.editor(text(p, v));
                case "pl" -> b.plugin(text(p, v));
                case "os" -> b.os(text(p, v));
                case "m" -> b.machine(text(p, v));
                case "e" -> b.entity(text(p, v));
                case "ty" -> b.type(v == JsonToken.VALUE_STRING ? p.getText() : tree(p).asText());
                case "c" -> b.category(v == JsonToken.VALUE_STRING ? p.getText() : tree(p).asText());
                case "p" -> b.project(text(p, v));
                case "b" -> b.branch(text(p, v));
                case "l" -> b.language(text(p, v));
                case "w" ->
                    b.isWrite(
                            v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE
                                    ? v == JsonToken.VALUE_TRUE
                                    : tree(p).asBoolean());
                case "ln" -> b.lines(integer(p, v));
                case "no" -> b.lineno(integer(p, v));
                case "cp" -> b.cursorpos(integer(p, v));
                case "s" -> b.sessionId(text(p, v));
                case "ti" -> b.tokensIn(isLong(p, v) ? p.getLongValue() : tree(p).asLong());
                case "to" -> b.tokensOut(isLong(p, v) ? p.getLongValue() : tree(p).asLong());
                case "cc" -> b.cacheCreationTokens(isLong(p, v) ? p.getLongValue() : tree(p).asLong());
                case "cr" -> b.cacheReadTokens(isLong(p, v) ? p.getLongValue() : tree(p).asLong());
                case "md" -> b.model(text(p, v));
                case "pr" -> b.prompts(integer(p, v));
                case "al" -> b.aiLineChanges(integer(p, v));
                case "hl" -> b.humanLineChanges(integer(p, v));
                default -> p.skipChildren();
            }
        }
        if (!hasTime) {
            // fromJson fails the same way: o.get("t") is null.
            throw new NullPointerException("heartbeat without \"t\"");
        }
        return b.build();
    }

    /** The value the parser is on, as the node the tree form would hold for it. */
    private static JsonNode tree(JsonParser p) throws IOException {
        JsonNode n = MAPPER.readTree(p);
        return n == null ? NullNode.getInstance() : n;
    }

    private static boolean isLong(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        return text(tree(p));
    }

    private static int integer(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue();
        }
        return tree(p).asInt();
    }

    private static String text(JsonNode o, String k) {
        return text(o.get(k));
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() ? null : v.asText();
    }
}
