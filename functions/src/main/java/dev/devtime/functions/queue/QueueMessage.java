package dev.devtime.functions.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.wire.HeartbeatCodec;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One SQS message for one user: heartbeats accepted by ingest, and/or days to recompute (after a
 * settings change). {@code sentAtMs} lets the aggregator drop messages queued before an account was
 * deleted.
 */
public record QueueMessage(String userId, List<Heartbeat> heartbeats, List<LocalDate> recompute, long sentAtMs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static QueueMessage heartbeats(String userId, List<Heartbeat> heartbeats, long sentAtMs) {
        return new QueueMessage(userId, heartbeats, List.of(), sentAtMs);
    }

    public String encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", 1);
        o.put("u", userId);
        o.put("s", sentAtMs);
        if (!heartbeats.isEmpty()) {
            o.set("h", HeartbeatCodec.toJsonArray(heartbeats));
        }
        if (!recompute.isEmpty()) {
            ArrayNode r = o.putArray("r");
            recompute.forEach(d -> r.add(d.toString()));
        }
        return o.toString();
    }

    /** @throws IllegalArgumentException for a body that is not a DevTime message (it will go to the DLQ) */
    public static QueueMessage decode(String body) {
        try {
            JsonNode o = JSON.readTree(body);
            if (o == null || !o.path("u").isTextual() || !(o.path("h").isArray() || o.path("r").isArray())) {
                throw new IllegalArgumentException("not a DevTime heartbeat message");
            }
            List<LocalDate> days = new ArrayList<>();
            o.path("r").forEach(d -> days.add(LocalDate.parse(d.asText())));
            List<Heartbeat> hbs = o.path("h").isArray() ? HeartbeatCodec.fromJsonArray(o.get("h")) : List.of();
            return new QueueMessage(o.get("u").asText(), hbs, days, o.path("s").asLong(0));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DevTime heartbeat message: " + e.getMessage(), e);
        }
    }
}
