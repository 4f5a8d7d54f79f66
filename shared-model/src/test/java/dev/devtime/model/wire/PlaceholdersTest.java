package dev.devtime.model.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.model.Heartbeat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The placeholders as the WakaTime browser extension and terminal plugins send them. */
class PlaceholdersTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long NOW = 1_773_165_000_000L;
    static final RequestMeta META = RequestMeta.of(
            "wakatime/v1.102.1 (linux-6.8.0-x86_64) go1.23.2 chrome/131.0 chrome-wakatime/4.0.9", "laptop", NOW);

    static ParseResult parse(String json) throws Exception {
        return HeartbeatParser.parse(JSON.readTree(json), META);
    }

    static Heartbeat stored(long t, String project, String language, String branch) {
        return Heartbeat.builder(t)
                .tool("vscode")
                .entity("/x")
                .project(project)
                .language(language)
                .branch(branch)
                .build();
    }

    @Test
    void resolvedFromTheRequestFirstThenTheStoredHeartbeats() throws Exception {
        List<ParseResult> results = new ArrayList<>();
        results.add(
                parse(
                        "{\"entity\":\"github.com\",\"type\":\"domain\",\"time\":" + (NOW / 1000 - 60)
                                + ",\"project\":\"<<LAST_PROJECT>>\",\"language\":\"<<LAST_LANGUAGE>>\",\"branch\":\"<<LAST_BRANCH>>\"}"));
        results.add(parse("{\"entity\":\"/src/a.rs\",\"time\":" + (NOW / 1000 - 30) + ",\"project\":\"fresh\"}"));
        results.add(parse("{\"entity\":\"docs.rs\",\"type\":\"domain\",\"time\":" + (NOW / 1000)
                + ",\"project\":\"<<LAST_PROJECT>>\",\"language\":\"<<LAST_LANGUAGE>>\"}"));
        results.add(ParseResult.error("time is required"));
        List<Heartbeat> db =
                List.of(stored(NOW - 600_000, "older", "Go", "main"), stored(NOW - 120_000, "stored", null, "dev"));
        assertEquals(NOW - 60_000, Placeholders.earliest(results));

        List<ParseResult> out = Placeholders.resolve(results, db);
        assertEquals("stored", out.get(0).heartbeat().project());
        assertEquals("Go", out.get(0).heartbeat().language()); // the latest heartbeat that has a language
        assertEquals("dev", out.get(0).heartbeat().branch());
        assertEquals("fresh", out.get(2).heartbeat().project()); // the request's own, later heartbeat
        assertEquals("Go", out.get(2).heartbeat().language());
        assertEquals("time is required", out.get(3).error());
        assertEquals(out.get(1), results.get(1));
    }

    @Test
    void nothingToResolveFromLeavesItUnset() throws Exception {
        List<ParseResult> out = Placeholders.resolve(
                List.of(parse("{\"entity\":\"x\",\"time\":" + NOW / 1000 + ",\"project\":\"<<LAST_PROJECT>>\"}")),
                List.of());
        assertNull(out.get(0).heartbeat().project());
        assertEquals(-1, Placeholders.earliest(List.of(parse("{\"entity\":\"x\",\"time\":" + NOW / 1000 + "}"))));
    }
}
