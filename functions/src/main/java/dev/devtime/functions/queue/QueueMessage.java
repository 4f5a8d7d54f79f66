package dev.devtime.functions.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.wire.HeartbeatCodec;
import java.io.IOException;
import java.util.List;

/** One SQS message: accepted heartbeats of one user, in the compact form. */
public record QueueMessage(String userId, List<Heartbeat> heartbeats) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", 1);
        o.put("u", userId);
        o.set("h", HeartbeatCodec.toJsonArray(heartbeats));
        return o.toString();
    }

    /** @throws IllegalArgumentException for a body that is not a DevTime message (it will go to the DLQ) */
    public static QueueMessage decode(String body) {
        try {
            JsonNode o = JSON.readTree(body);
            if (o == null || !o.path("u").isTextual() || !o.path("h").isArray()) {
                throw new IllegalArgumentException("not a DevTime heartbeat message");
            }
            return new QueueMessage(o.get("u").asText(), HeartbeatCodec.fromJsonArray(o.get("h")));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DevTime heartbeat message: " + e.getMessage(), e);
        }
    }
}
