package dev.devtime.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.rollup.AiRow;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.rollup.Session;
import dev.devtime.model.wire.HeartbeatCodec;
import dev.devtime.model.wire.ParseResult;
import dev.devtime.model.wire.RequestJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The benchmark's inputs are what it claims: a real day that the real parser and aggregator code accept whole. */
class DeveloperDayTest {

    private final DeveloperDay day = DeveloperDay.generate(42);

    private List<Heartbeat> parsedDay() {
        List<Heartbeat> out = new ArrayList<>();
        for (DeveloperDay.Request r : day.requests()) {
            for (ParseResult p : PurePipeline.parse(r)) {
                assertTrue(p.isOk(), () -> "refused: " + p.error());
                out.add(p.heartbeat());
            }
        }
        return out;
    }

    @Test
    void everyRequestIsABulkBodyOfAtMost25ItemsAndTheDayHasTheDeclaredCount() throws Exception {
        int items = 0;
        for (DeveloperDay.Request r : day.requests()) {
            JsonNode body = RequestJson.PARSER.readTree(r.body());
            assertTrue(body.isArray() && body.size() >= 1 && body.size() <= DeveloperDay.BATCH);
            assertEquals(r.items(), body.size());
            items += body.size();
        }
        assertEquals(DeveloperDay.HEARTBEATS, items);
        assertEquals(DeveloperDay.HEARTBEATS, parsedDay().size());
        assertEquals(DeveloperDay.HEARTBEATS, PurePipeline.run(day.requests()).heartbeats());
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        List<DeveloperDay.Request> again = DeveloperDay.generate(42).requests();
        assertEquals(day.requests().size(), again.size());
        for (int i = 0; i < again.size(); i++) {
            assertArrayEquals(day.requests().get(i).body(), again.get(i).body());
        }
    }

    @Test
    void theParserSeesTheToolsEditorsAndAiFieldsTheClientsSent() {
        List<Heartbeat> hbs = parsedDay();
        Map<String, Long> byTool = hbs.stream().collect(Collectors.groupingBy(Heartbeat::tool, Collectors.counting()));
        assertEquals(
                Map.of("vscode", (long) DeveloperDay.EDITOR_HEARTBEATS, "claude-code", 150L, "codex", 50L), byTool);
        assertEquals(
                Set.of("VS Code", "Claude Code", "Codex"),
                hbs.stream().map(Heartbeat::editor).collect(Collectors.toSet()));
        assertEquals(Set.of("Linux"), hbs.stream().map(Heartbeat::os).collect(Collectors.toSet()));
        assertEquals(
                Set.of(DeveloperDay.MACHINE),
                hbs.stream().map(Heartbeat::machine).collect(Collectors.toSet()));
        assertTrue(hbs.stream().anyMatch(h -> h.tokensIn() > 0 && h.model() != null));
        assertTrue(hbs.stream().anyMatch(h -> h.prompts() == 1));
        assertTrue(hbs.stream().anyMatch(h -> h.aiLineChanges() > 0));
    }

    @Test
    void theCodecRoundTripsTheDay() {
        List<Heartbeat> hbs = parsedDay();
        assertEquals(hbs, HeartbeatCodec.decode(HeartbeatCodec.encode(hbs)));
    }

    @Test
    void theDayRollsUpIntoAWorkingDayWithSessionsRowsAndAiUsage() {
        List<Heartbeat> hbs = parsedDay();
        DayRollup d = PurePipeline.rollup(hbs, DeveloperDay.DATE);
        assertEquals(DeveloperDay.HEARTBEATS, d.heartbeats());
        // About seven hours of editor time plus the AI tools; lunch and the meeting are gaps over the timeout.
        long hours = d.totalMs() / 3_600_000;
        assertTrue(hours >= 6 && hours <= 10, "total " + d.totalMs() + " ms");
        assertTrue(d.rows().size() >= 20, "rows " + d.rows().size());
        Set<String> sessionTools = d.sessions().stream().map(Session::tool).collect(Collectors.toSet());
        assertEquals(Set.of("vscode", "claude-code", "codex"), sessionTools);
        assertTrue(d.sessions().size() >= 6, "sessions " + d.sessions().size());
        long tokensIn = d.ai().stream().mapToLong(AiRow::tokensIn).sum();
        long sent = hbs.stream().mapToLong(Heartbeat::tokensIn).sum();
        assertEquals(sent, tokensIn);
        assertEquals(
                Set.of("shop-web", "shop-api"),
                d.rows().stream().map(DurationRow::project).collect(Collectors.toSet()));
    }

    @Test
    void theWholePathGivesTheSameDayAsRollingUpTheParsedHeartbeatsDirectly() {
        PurePipeline.Result r = PurePipeline.run(day.requests());
        assertEquals(Set.of(DeveloperDay.DATE), r.days().keySet());
        assertEquals(
                PurePipeline.rollup(parsedDay(), DeveloperDay.DATE), r.days().get(DeveloperDay.DATE));
        assertTrue(r.queueBytes() > 0 && r.bucketBytes() > 0 && r.rollupBytes() > 0);
    }

    @Test
    void arrivingRequestByRequestEndsWithTheSameDay() {
        List<DeveloperDay.Request> inOrder = day.inTimeOrder();
        assertEquals(day.requests().size(), inOrder.size());
        PurePipeline.Result r = PurePipeline.runAsArriving(inOrder);
        assertEquals(DeveloperDay.HEARTBEATS, r.heartbeats());
        assertEquals(
                PurePipeline.rollup(parsedDay(), DeveloperDay.DATE), r.days().get(DeveloperDay.DATE));
        // Each request rewrote its buckets and its day: far more bytes than the day once.
        assertTrue(r.bucketBytes() > PurePipeline.run(day.requests()).bucketBytes());
    }
}
