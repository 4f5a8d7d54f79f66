package dev.devtime.model.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devtime.model.Heartbeat;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeartbeatCodecTest {

    @Test
    void everyFieldSurvivesARoundTrip() {
        Heartbeat full = new Heartbeat(
                1_772_999_000_123L,
                "claude-code",
                "Claude Code",
                "devtime-claude-code/0.1.0",
                "Linux",
                "box",
                "/r/a.py",
                "app",
                "ai coding",
                "r",
                "main",
                "Python",
                true,
                10,
                2,
                3,
                "s",
                1,
                2,
                3,
                4,
                "m",
                1,
                5,
                -2);
        Heartbeat sparse = Heartbeat.builder(5).build();
        assertEquals(List.of(full, sparse), HeartbeatCodec.decode(HeartbeatCodec.encode(List.of(full, sparse))));
    }
}
