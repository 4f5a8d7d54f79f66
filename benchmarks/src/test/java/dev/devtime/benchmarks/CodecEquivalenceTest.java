package dev.devtime.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.wire.HeartbeatCodec;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HeartbeatCodec's streamed encode and decode replaced its tree form (kept here, as it was, as the reference),
 * and buckets and queue messages written by the tree form are still stored and queued: both must give the same
 * bytes and the same heartbeats, including for input the encoder never writes.
 */
class CodecEquivalenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Heartbeat> day() {
        List<Heartbeat> out = new ArrayList<>();
        for (DeveloperDay.Request r : DeveloperDay.generate(7).requests()) {
            out.addAll(PurePipeline.accepted(PurePipeline.parse(r)));
        }
        return out;
    }

    /** HeartbeatCodec.fromJsonArray as it was. */
    private static List<Heartbeat> viaTree(byte[] json) throws Exception {
        List<Heartbeat> out = new ArrayList<>();
        JSON.readTree(json).forEach(n -> out.add(HeartbeatCodec.fromJson(n)));
        return out;
    }

    /** HeartbeatCodec.toJsonArray as it was. */
    private static ArrayNode tree(List<Heartbeat> heartbeats) {
        ArrayNode a = JSON.createArrayNode();
        for (Heartbeat h : heartbeats) {
            ObjectNode o = a.addObject();
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
        }
        return a;
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

    @Test
    void encodeWritesTheTreesBytes() throws Exception {
        List<Heartbeat> hbs = new ArrayList<>(day());
        hbs.add(new Heartbeat(
                1_772_999_000_123L,
                "claude-code",
                "Claude Code",
                "devtime-claude-code/0.1.0",
                "Linux",
                "box",
                "/r/\"quoted\"\\path\u00e9\ud83d\ude00.py",
                "app",
                "ai coding",
                "r",
                "main",
                "Python",
                false,
                0,
                Integer.MAX_VALUE,
                3,
                "s",
                Long.MAX_VALUE,
                -1,
                3,
                4,
                "m",
                Integer.MIN_VALUE,
                5,
                -2));
        hbs.add(Heartbeat.builder(-5).type(null).category(null).build());
        assertArrayEquals(JSON.writeValueAsBytes(tree(hbs)), HeartbeatCodec.encode(hbs));
        assertArrayEquals(JSON.writeValueAsBytes(tree(List.of())), HeartbeatCodec.encode(List.of()));
    }

    @Test
    void decodeReadsWhatTheTreeReads() throws Exception {
        byte[] bytes = HeartbeatCodec.encode(day());
        assertEquals(viaTree(bytes), HeartbeatCodec.decode(bytes));
        assertEquals(day(), HeartbeatCodec.decode(bytes));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "[]",
                "  [ ]  trailing",
                "{\"a\": {\"t\": 5}}",
                "[{\"t\": 1, \"tl\": null, \"ed\": null, \"pl\": null, \"os\": null, \"m\": null, \"e\": null, \"ty\": null,"
                        + " \"c\": null, \"p\": null, \"b\": null, \"l\": null, \"w\": null, \"ln\": null, \"no\": null,"
                        + " \"cp\": null, \"s\": null, \"ti\": null, \"to\": null, \"cc\": null, \"cr\": null, \"md\": null,"
                        + " \"pr\": null, \"al\": null, \"hl\": null}]",
                "[{\"t\": \"17\", \"tl\": 5, \"ed\": true, \"pl\": 1.5, \"os\": [1], \"m\": {\"x\": 1}, \"ty\": 3, \"c\": false,"
                        + " \"w\": \"true\", \"ln\": \"12\", \"no\": 3.9, \"cp\": 99999999999, \"ti\": 1.5e3, \"to\": \"7\","
                        + " \"cc\": 123456789012345678901234567890, \"cr\": true, \"pr\": 4294967297, \"al\": \"-3\", \"hl\": 2.5}]",
                "[{\"t\": 1.9, \"w\": 1, \"unknown\": {\"deep\": [1, {\"t\": 9}]}, \"more\": [], \"ln\": -4}, {\"t\": 2, \"t\": 3}]",
                "[{\"t\": 9223372036854775807, \"ti\": -9223372036854775808, \"w\": 0}]",
            })
    void oddInputDecodesAsTheTreeDecodesIt(String json) throws Exception {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(viaTree(bytes), HeartbeatCodec.decode(bytes));
    }

    @Test
    void brokenInputFailsAsTheTreeFails() {
        for (String bad : List.of("[{\"t\": 1}", "[{\"t\": 1},", "[{\"t\": }]", "[{\"t\" 1}]")) {
            byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
            assertThrows(UncheckedIOException.class, () -> HeartbeatCodec.decode(bytes), bad);
        }
        for (String noTime : List.of("[{\"tl\": \"vscode\"}]", "[5]", "[null]", "[[1]]")) {
            byte[] bytes = noTime.getBytes(StandardCharsets.UTF_8);
            Class<? extends Throwable> expected =
                    assertThrows(RuntimeException.class, () -> viaTree(bytes)).getClass();
            assertEquals(
                    expected,
                    assertThrows(RuntimeException.class, () -> HeartbeatCodec.decode(bytes))
                            .getClass(),
                    noTime);
        }
    }
}
