package dev.devtime.functions.queue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.wire.HeartbeatCodec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One SQS message for one user, of one of three kinds: {@link Kind#AGGREGATE}, heartbeats accepted by ingest
 * and/or days to recompute (after a settings change); {@link Kind#DELETE_ACCOUNT}, delete the next part
 * of a deleted account's data; or {@link Kind#DELETE_TEAM}, delete the next part of a deleted team's
 * remaining items ({@code userId} is then the team's id). {@code sentAtMs} lets the aggregator drop messages queued before an account
 * was deleted.
 */
public record QueueMessage(
        String userId, List<Heartbeat> heartbeats, List<LocalDate> recompute, long sentAtMs, Kind kind) {

    /** What the aggregator does with a message. */
    public enum Kind {
        AGGREGATE,
        DELETE_ACCOUNT,
        DELETE_TEAM
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public QueueMessage(String userId, List<Heartbeat> heartbeats, List<LocalDate> recompute, long sentAtMs) {
        this(userId, heartbeats, recompute, sentAtMs, Kind.AGGREGATE);
    }

    public static QueueMessage heartbeats(String userId, List<Heartbeat> heartbeats, long sentAtMs) {
        return new QueueMessage(userId, heartbeats, List.of(), sentAtMs);
    }

    public static QueueMessage deleteAccount(String userId, long sentAtMs) {
        return new QueueMessage(userId, List.of(), List.of(), sentAtMs, Kind.DELETE_ACCOUNT);
    }

    public static QueueMessage deleteTeam(String teamId, long sentAtMs) {
        return new QueueMessage(teamId, List.of(), List.of(), sentAtMs, Kind.DELETE_TEAM);
    }

    /**
     * Streamed, the heartbeats straight into the envelope. Writes the same characters the tree form
     * ({@code ObjectNode.toString()}) did, through a character writer as it did, so queued messages and
     * new ones are one format. Only a deletion names its kind ({@code "k": "delete"} or {@code "team-delete"}).
     */
    public String encode() {
        StringWriter out = new StringWriter(64 + heartbeats.size() * 256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", 1);
            g.writeStringField("u", userId);
            g.writeNumberField("s", sentAtMs);
            if (kind == Kind.DELETE_ACCOUNT) {
                g.writeStringField("k", "delete");
            } else if (kind == Kind.DELETE_TEAM) {
                g.writeStringField("k", "team-delete");
            }
            if (!heartbeats.isEmpty()) {
                g.writeFieldName("h");
                HeartbeatCodec.writeArray(g, heartbeats);
            }
            if (!recompute.isEmpty()) {
                g.writeArrayFieldStart("r");
                for (LocalDate d : recompute) {
                    g.writeString(d.toString());
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Only the heartbeats are streamed; the other members are small and read as tree nodes, so they convert
     * as the whole-tree decoding did (the last of a repeated key wins, odd types are refused or defaulted alike).
     *
     * @throws IllegalArgumentException for a body that is not a DevTime message (it will go to the DLQ)
     */
    public static QueueMessage decode(String body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a DevTime heartbeat message");
            }
            JsonNode user = MissingNode.getInstance();
            JsonNode sent = MissingNode.getInstance();
            JsonNode days = MissingNode.getInstance();
            JsonNode kind = MissingNode.getInstance();
            List<Heartbeat> hbs = null;
            for (String k = p.nextFieldName(); k != null; k = p.nextFieldName()) {
                JsonToken v = p.nextToken();
                switch (k) {
                    case "u" -> user = node(p);
                    case "s" -> sent = node(p);
                    case "r" -> days = node(p);
                    case "k" -> kind = node(p);
                    case "h" -> {
                        if (v == JsonToken.START_ARRAY) {
                            hbs = HeartbeatCodec.readArray(p);
                        } else {
                            hbs = null;
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (kind.isTextual() && kind.asText().equals("delete") && user.isTextual()) {
                return deleteAccount(user.asText(), sent.asLong(0));
            }
            if (kind.isTextual() && kind.asText().equals("team-delete") && user.isTextual()) {
                return deleteTeam(user.asText(), sent.asLong(0));
            }
            if (!user.isTextual() || !kind.isMissingNode() || (hbs == null && !days.isArray())) {
                throw new IllegalArgumentException("not a DevTime heartbeat message");
            }
            List<LocalDate> recompute = new ArrayList<>();
            days.forEach(d -> recompute.add(LocalDate.parse(d.asText())));
            return new QueueMessage(user.asText(), hbs == null ? List.of() : hbs, recompute, sent.asLong(0));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DevTime heartbeat message: " + e.getMessage(), e);
        }
    }

    /** The value the parser is on, as the node the whole tree would hold for it. */
    private static JsonNode node(JsonParser p) throws IOException {
        JsonNode n = JSON.readTree(p);
        return n == null ? NullNode.getInstance() : n;
    }
}
