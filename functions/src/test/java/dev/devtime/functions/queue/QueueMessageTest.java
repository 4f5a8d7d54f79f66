package dev.devtime.functions.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.wire.HeartbeatCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Messages were written and read as Jackson trees before they were streamed, and such messages may still be
 * queued: the streamed form must write the same characters and read old messages to the same heartbeats.
 * The tree form is kept here, as it was, as the reference.
 */
class QueueMessageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Heartbeat> varied() {
        List<Heartbeat> out = new ArrayList<>();
        out.add(Heartbeat.builder(1_700_000_000_000L)
                .tool("vscode")
                .entity("/src/app.ts")
                .project("app")
                .language("TypeScript")
                .build());
        out.add(Heartbeat.builder(0).build());
        out.add(Heartbeat.builder(-5).type(null).category(null).build());
        out.add(new Heartbeat(
                1_772_999_000_123L,
                "claude-code",
                "Claude Code",
                "devtime-claude-code/0.1.0",
                "Linux",
                "box",
                "/r/\"quoted\"\\path\u00e9\ud83d\ude00\u0000\u001f\u2028.py",
                "domain",
                "ai coding",
                "app",
                "feature/ü",
                "Python",
                false,
                0,
                Integer.MAX_VALUE,
                Integer.MIN_VALUE,
                "sess-1",
                Long.MAX_VALUE,
                Long.MIN_VALUE,
                -1,
                3,
                "claude-opus-4",
                Integer.MIN_VALUE,
                5,
                -2));
        out.add(new Heartbeat(
                Long.MIN_VALUE,
                null,
                null,
                null,
                null,
                null,
                null,
                "file",
                "coding",
                null,
                null,
                null,
                true,
                null,
                null,
                null,
                null,
                0,
                0,
                0,
                0,
                null,
                0,
                0,
                0));
        out.add(new Heartbeat(
                Long.MAX_VALUE,
                "",
                "",
                "",
                "",
                "",
                "lone \ud800 surrogate",
                "",
                "",
                "",
                "",
                "",
                null,
                -1,
                0,
                1,
                "",
                1,
                2,
                3,
                4,
                "",
                1,
                1,
                1));
        out.add(Heartbeat.builder(1_700_000_060_000L)
                .tool("codex")
                .category(Heartbeat.IDLE)
                .sessionId("s")
                .tokensIn(1200)
                .tokensOut(340)
                .cacheReadTokens(90_000)
                .model("gpt-5")
                .prompts(1)
                .build());
        return out;
    }

    private static List<QueueMessage> messages() {
        List<LocalDate> days = List.of(LocalDate.of(2026, 1, 1), LocalDate.of(1999, 12, 31));
        return List.of(
                QueueMessage.heartbeats("user-1", varied(), 1_772_999_000_000L),
                QueueMessage.heartbeats("u\"ser\u00e9", varied().subList(0, 1), 0),
                new QueueMessage("u", List.of(), days, -1),
                new QueueMessage("u", varied(), days, Long.MAX_VALUE),
                new QueueMessage("u", List.of(), List.of(), 7),
                new QueueMessage(null, varied(), List.of(), 7));
    }

    @Test
    void encodeWritesWhatTheTreeWrote() {
        for (QueueMessage m : messages()) {
            String tree = treeEncode(m);
            assertEquals(tree, m.encode());
            assertArrayEquals(tree.getBytes(StandardCharsets.UTF_8), m.encode().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void messagesWrittenByTheTreeDecodeAsTheTreeDecodedThem() {
        for (QueueMessage m : messages()) {
            if (m.userId() == null || m.heartbeats().isEmpty() && m.recompute().isEmpty()) {
                continue;
            }
            String old = treeEncode(m);
            assertEquals(treeDecode(old), QueueMessage.decode(old));
            assertEquals(QueueMessage.decode(old), QueueMessage.decode(m.encode()));
        }
    }

    @Test
    void heartbeatsTheFormCanHoldRoundTrip() {
        // A null type or category is written as its default, and a lone surrogate does not survive JSON.
        List<Heartbeat> hbs = varied();
        hbs.remove(5);
        hbs.remove(2);
        QueueMessage m = new QueueMessage("u", hbs, List.of(LocalDate.of(2026, 1, 1)), 9);
        assertEquals(m, QueueMessage.decode(m.encode()));
        assertEquals(m, QueueMessage.decode(treeEncode(m)));
    }

    @Test
    void anAccountDeletionNamesItsKindAndRoundTrips() {
        QueueMessage m = QueueMessage.deleteAccount("u\"1", 42);
        assertEquals("{\"v\":1,\"u\":\"u\\\"1\",\"s\":42,\"k\":\"delete\"}", m.encode());
        assertEquals(m, QueueMessage.decode(m.encode()));
        assertEquals(
                QueueMessage.Kind.AGGREGATE,
                QueueMessage.decode("{\"u\":\"u\",\"r\":[]}").kind());
        // A kind this version does not know is not taken for heartbeats.
        assertThrows(
                IllegalArgumentException.class, () -> QueueMessage.decode("{\"u\":\"u\",\"k\":\"purge\",\"h\":[]}"));
        assertThrows(IllegalArgumentException.class, () -> QueueMessage.decode("{\"k\":\"delete\"}"));
    }

    @Test
    void oddEnvelopesDecodeOrFailAsTheTreeDid() {
        String hb = "[{\"t\":5,\"e\":\"/a\"}]";
        List<String> bodies = List.of(
                "{\"r\":[\"2026-01-02\"],\"h\":" + hb + ",\"s\":3,\"u\":\"x\",\"v\":1}",
                "{\"u\":\"x\",\"h\":" + hb + ",\"extra\":{\"h\":[1],\"u\":2},\"more\":[[{}]]}",
                "{\"u\":\"a\",\"u\":\"b\",\"s\":1,\"s\":2,\"h\":[],\"h\":" + hb + "}",
                "{\"u\":\"x\",\"h\":" + hb + ",\"h\":{\"t\":1}}",
                "{\"u\":\"x\",\"h\":" + hb + ",\"h\":{\"t\":1},\"r\":[]}",
                "{\"u\":\"x\",\"h\":5,\"r\":[\"2026-01-02\"]}",
                "{\"u\":\"x\",\"h\":null,\"r\":{\"a\":\"2026-01-02\"}}",
                "{\"u\":\"x\",\"h\":[],\"r\":{\"a\":\"2026-01-02\"}}",
                "{\"u\":\"x\",\"h\":[],\"s\":\"12\"}",
                "{\"u\":\"x\",\"h\":[],\"s\":\"soon\"}",
                "{\"u\":\"x\",\"h\":[],\"s\":1.9}",
                "{\"u\":\"x\",\"h\":[],\"s\":null}",
                "{\"u\":\"x\",\"h\":[],\"s\":true}",
                "{\"u\":\"x\",\"h\":[],\"s\":123456789012345678901234567890}",
                "{\"u\":\"x\",\"h\":[{\"t\":\"17\",\"w\":\"true\",\"ln\":\"2\",\"ti\":1.5e3,\"x\":[1]}, {\"t\":1}]}",
                "{\"u\":\"x\",\"h\":[]} trailing",
                "{\"u\":\"x\",\"r\":[5]}",
                "{\"u\":\"x\",\"r\":[null]}",
                "{\"u\":\"x\",\"r\":[\"2026-13-01\"]}",
                "{\"u\":\"x\",\"h\":[{\"e\":\"/no-time\"}]}",
                "{\"u\":\"x\",\"h\":[5]}",
                "{\"u\":\"x\",\"h\":[{\"t\":1}]",
                "{\"u\":\"x\",\"h\":[{\"t\":1},]}",
                "{\"u\":null,\"h\":[]}",
                "{\"u\":[\"x\"],\"h\":[]}",
                "{\"h\":[]}",
                "{\"u\":\"x\"}",
                "{\"u\":\"x\",\"h\":{}}",
                "[{\"u\":\"x\",\"h\":[]}]",
                "\"{\\\"u\\\":\\\"x\\\",\\\"h\\\":[]}\"",
                "null",
                "",
                "   ");
        for (String body : bodies) {
            QueueMessage tree;
            try {
                tree = treeDecode(body);
            } catch (IllegalArgumentException e) {
                assertThrows(IllegalArgumentException.class, () -> QueueMessage.decode(body), body);
                continue;
            }
            assertEquals(tree, QueueMessage.decode(body), body);
        }
    }

    /** QueueMessage.encode as it was: the envelope and the heartbeats built as one tree. */
    private static String treeEncode(QueueMessage m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", 1);
        o.put("u", m.userId());
        o.put("s", m.sentAtMs());
        if (!m.heartbeats().isEmpty()) {
            ArrayNode a = JSON.createArrayNode();
            m.heartbeats().forEach(h -> a.add(treeOf(h)));
            o.set("h", a);
        }
        if (!m.recompute().isEmpty()) {
            ArrayNode r = o.putArray("r");
            m.recompute().forEach(d -> r.add(d.toString()));
        }
        return o.toString();
    }

    /** QueueMessage.decode as it was: the whole body read as one tree. */
    private static QueueMessage treeDecode(String body) {
        try {
            JsonNode o = JSON.readTree(body);
            if (o == null
                    || !o.path("u").isTextual()
                    || !(o.path("h").isArray() || o.path("r").isArray())) {
                throw new IllegalArgumentException("not a DevTime heartbeat message");
            }
            List<LocalDate> days = new ArrayList<>();
            o.path("r").forEach(d -> days.add(LocalDate.parse(d.asText())));
            List<Heartbeat> hbs = new ArrayList<>();
            if (o.path("h").isArray()) {
                o.get("h").forEach(n -> hbs.add(HeartbeatCodec.fromJson(n)));
            }
            return new QueueMessage(o.get("u").asText(), hbs, days, o.path("s").asLong(0));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DevTime heartbeat message: " + e.getMessage(), e);
        }
    }

    /**
     * HeartbeatCodec.toJson as it was, before the codec only streamed: these keys in this order, each left out
     * when null, type and category when at their default, counts when zero.
     */
    private static ObjectNode treeOf(Heartbeat h) {
        Object[] fields = {
            "tl",
            h.tool(),
            "ed",
            h.editor(),
            "pl",
            h.plugin(),
            "os",
            h.os(),
            "m",
            h.machine(),
            "e",
            h.entity(),
            "ty",
            "file".equals(h.type()) ? null : h.type(),
            "c",
            "coding".equals(h.category()) ? null : h.category(),
            "p",
            h.project(),
            "b",
            h.branch(),
            "l",
            h.language(),
            "w",
            h.isWrite(),
            "ln",
            h.lines(),
            "no",
            h.lineno(),
            "cp",
            h.cursorpos(),
            "s",
            h.sessionId(),
            "ti",
            h.tokensIn(),
            "to",
            h.tokensOut(),
            "cc",
            h.cacheCreationTokens(),
            "cr",
            h.cacheReadTokens(),
            "md",
            h.model(),
            "pr",
            (long) h.prompts(),
            "al",
            (long) h.aiLineChanges(),
            "hl",
            (long) h.humanLineChanges()
        };
        ObjectNode o = JSON.createObjectNode().put("t", h.timeMs());
        for (int i = 0; i < fields.length; i += 2) {
            String k = (String) fields[i];
            if (fields[i + 1] instanceof String v) {
                o.put(k, v);
            } else if (fields[i + 1] instanceof Boolean v) {
                o.put(k, v);
            } else if (fields[i + 1] instanceof Integer v) {
                o.put(k, v);
            } else if (fields[i + 1] instanceof Long v && v != 0) {
                o.put(k, v);
            }
        }
        return o;
    }
}
