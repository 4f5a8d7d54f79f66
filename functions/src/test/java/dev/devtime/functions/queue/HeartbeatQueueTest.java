package dev.devtime.functions.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.model.Heartbeat;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeartbeatQueueTest {

    static Heartbeat big(int i) {
        return Heartbeat.builder(1_700_000_000_000L + i)
                .tool("vscode")
                .entity("/" + "x".repeat(2000) + i)
                .project("p")
                .build();
    }

    @Test
    void aRequestThatFitsIsOneMessage() {
        assertEquals(1, HeartbeatQueue.split("u", List.of(big(1), big(2)), 5).size());
    }

    @Test
    void aLargeRequestIsSplitUnderTheMessageLimitWithNothingLostOrRepeated() {
        List<Heartbeat> hbs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            hbs.add(big(i));
        }
        List<String> bodies = HeartbeatQueue.split("u", hbs, 5);
        assertTrue(bodies.size() > 1);
        List<Heartbeat> back = new ArrayList<>();
        for (String b : bodies) {
            assertTrue(b.getBytes(StandardCharsets.UTF_8).length <= HeartbeatQueue.MAX_MESSAGE_BYTES);
            QueueMessage m = QueueMessage.decode(b);
            assertEquals("u", m.userId());
            assertEquals(5, m.sentAtMs());
            back.addAll(m.heartbeats());
        }
        assertEquals(hbs, back);
    }

    @Test
    void recomputeMessagesRoundTrip() {
        QueueMessage m =
                new QueueMessage("u", List.of(), List.of(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 2)), 9);
        assertEquals(m, QueueMessage.decode(m.encode()));
    }

    @Test
    void somethingElseOnTheQueueIsRefused() {
        for (String body : List.of("", "{}", "[1]", "{\"u\":\"x\"}", "{\"u\":1,\"h\":[]}", "not json")) {
            try {
                QueueMessage.decode(body);
                throw new AssertionError("accepted " + body);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().startsWith("not a DevTime heartbeat message"));
            }
        }
    }
}
