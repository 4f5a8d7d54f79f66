package dev.devtime.model.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.Heartbeat;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The field table against its JSON copy for the clients, the compact codec and the parser. */
class HeartbeatFieldTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What heartbeat-fields.json must hold: each field's wire name, kind and whether clients pass it through. */
    static ArrayNode expectedJson() {
        ArrayNode out = JSON.createArrayNode();
        for (HeartbeatField f : HeartbeatField.values()) {
            out.addObject()
                    .put("name", f.wireName())
                    .put("kind", f.kind().name().toLowerCase(Locale.ROOT))
                    .put("passedThrough", f.passedThrough());
        }
        return out;
    }

    @Test
    void theClientsJsonCopyIsTheTable() throws Exception {
        try (InputStream in = HeartbeatField.class.getResourceAsStream("heartbeat-fields.json")) {
            assertNotNull(in, "heartbeat-fields.json beside HeartbeatField");
            ArrayNode expected = expectedJson();
            assertEquals(
                    expected,
                    JSON.readTree(in),
                    "shared-model/src/main/resources/dev/devtime/model/wire/" + "heartbeat-fields.json must be:\n"
                            + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected));
        }
    }

    /** Each stored field alone, under its compact key, decodes into that field and encodes back under the key. */
    @Test
    void theCodecUsesEachFieldsKey() throws Exception {
        Heartbeat defaults = HeartbeatCodec.fromJson(JSON.readTree("{\"t\":5}"));
        Set<String> keys = new HashSet<>();
        for (HeartbeatField f : HeartbeatField.stored()) {
            assertTrue(keys.add(f.key()), "two fields share the key " + f.key());
            if (f == HeartbeatField.TIME) {
                continue;
            }
            ObjectNode o = JSON.createObjectNode().put("t", 5);
            o.set(f.key(), sample(f));
            Heartbeat h = HeartbeatCodec.fromJson(o);
            assertEquals(JSON.convertValue(sample(f), Object.class), normalized(f.of(h)), f.name());
            for (HeartbeatField other : HeartbeatField.stored()) {
                if (other != f) {
                    assertEquals(other.of(defaults), other.of(h), f + " set " + other);
                }
            }
            JsonNode encoded = JSON.readTree(HeartbeatCodec.encode(List.of(h))).get(0);
            assertEquals(Set.of("t", f.key()), names(encoded), f.name());
        }
    }

    /** Each field clients pass through, sent in WakaTime's shape under its wire name, is read into that field. */
    @Test
    void theParserReadsEachPassedThroughFieldByItsWireName() {
        for (HeartbeatField f : HeartbeatField.stored()) {
            if (!f.passedThrough()
                    && f != HeartbeatField.PROJECT
                    && f != HeartbeatField.BRANCH
                    && f != HeartbeatField.LANGUAGE) {
                continue;
            }
            ObjectNode o = JSON.createObjectNode().put("time", 1_700_000_000.5).put("entity", "/r/a.py");
            o.set(f.wireName(), sample(f));
            ParseResult r = HeartbeatParser.parse(o, RequestMeta.of(null, null, 1_700_000_100_000L));
            assertTrue(r.error() == null, f + ": " + r.error());
            assertEquals(JSON.convertValue(sample(f), Object.class), normalized(f.of(r.heartbeat())), f.name());
        }
    }

    private static JsonNode sample(HeartbeatField f) {
        return switch (f.kind()) {
            case FLAG -> JSON.getNodeFactory().booleanNode(true);
            case NUMBER, COUNT -> JSON.getNodeFactory().numberNode(7);
            default -> JSON.getNodeFactory().textNode("x");
        };
    }

    /** Counts are longs or ints by field; compared as the JSON number they travel as. */
    private static Object normalized(Object v) {
        return v instanceof Long l && l == l.intValue() ? Integer.valueOf(l.intValue()) : v;
    }

    private static Set<String> names(JsonNode o) {
        Set<String> out = new HashSet<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
