package dev.devtime.local.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RealisticTrafficTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate DAY = LocalDate.of(2026, 11, 9);

    @Test
    void wakaTimesRuleJoinsGapsUpToTheTimeoutAndAddsNothingAfterTheLast() {
        // 09:00, 09:01, 09:16 (15 min: joined), 09:32 (16 min: not), 09:33 -> 60 + 900 + 60 s.
        long t = 0;
        long[] times = {t, t + 60_000, t + 960_000, t + 1_920_000, t + 1_980_000};
        assertEquals((60 + 900 + 60) * 1000L, RealisticTraffic.expectedMillis(times, 15 * 60_000L));
        assertEquals(0, RealisticTraffic.expectedMillis(new long[] {t}, 15 * 60_000L));
    }

    @Test
    void eachToolSendsAHeartbeatAMinuteForEightHoursTwoPerRequest() throws Exception {
        RealisticTraffic.Day day = RealisticTraffic.generate(6, DAY, 2, 1);
        List<RealisticTraffic.Request> requests = day.requests();
        // 6 developers x 2 tools x 480 minutes / 2 per request.
        assertEquals(6 * 2 * 240, requests.size());
        long start = DAY.atTime(9, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        Set<String> identities = new HashSet<>();
        for (RealisticTraffic.Request q : requests) {
            JsonNode items = JSON.readTree(q.body());
            assertEquals(2, items.size());
            assertEquals(2, q.heartbeats());
            for (JsonNode h : items) {
                long ms = Math.round(h.get("time").asDouble() * 1000);
                assertTrue(ms >= start && ms < start + 8 * 3_600_000L, "inside the working day");
                assertTrue(ms <= q.timeMs(), "a request carries heartbeats up to its own moment");
                String ua = h.get("user_agent").asText();
                assertEquals(q.editor() ? RealisticTraffic.EDITOR_UA : RealisticTraffic.CLAUDE_UA, ua);
                if (!q.editor()) {
                    assertEquals("claude-code", h.get("tool").asText());
                    assertEquals("ai coding", h.get("category").asText());
                }
                identities.add(q.dev() + "|" + q.editor() + "|" + ms + "|"
                        + h.get("entity").asText());
            }
        }
        // Every heartbeat distinct: none would be deduplicated away by the server's identity rule.
        assertEquals(6 * 2 * 480, identities.size());
    }

    @Test
    void requestsAreInTimeOrderAndOneDevelopersRequestsAreMinutesApart() {
        RealisticTraffic.Day day = RealisticTraffic.generate(40, DAY, 2, 7);
        Map<String, Long> last = new HashMap<>();
        long previous = Long.MIN_VALUE;
        for (RealisticTraffic.Request q : day.requests()) {
            assertTrue(q.timeMs() >= previous);
            previous = q.timeMs();
            Long before = last.put(q.dev() + "|" + q.editor(), q.timeMs());
            if (before != null) {
                // A tool syncs every two minutes (within the second of jitter).
                assertTrue(q.timeMs() - before >= 119_000, "a tool's syncs are two minutes apart");
            }
        }
    }

    @Test
    void theDayChangesProjectsBranchesAndLanguages() throws Exception {
        RealisticTraffic.Day day = RealisticTraffic.generate(10, DAY, 2, 3);
        Set<String> projects = new HashSet<>();
        Set<String> branches = new HashSet<>();
        Set<String> languages = new HashSet<>();
        Set<String> files = new HashSet<>();
        for (RealisticTraffic.Request q : day.requests()) {
            for (JsonNode h : JSON.readTree(q.body())) {
                projects.add(h.get("project").asText());
                branches.add(h.get("branch").asText());
                if (h.has("language")) {
                    languages.add(h.get("language").asText());
                }
                files.add(h.get("entity").asText());
            }
        }
        assertTrue(projects.size() >= 4, projects.toString());
        assertTrue(branches.size() >= 3, branches.toString());
        assertTrue(languages.size() >= 4, languages.toString());
        assertTrue(files.size() >= 500, "files: " + files.size());
    }

    @Test
    void theSimulatedClockRunsFasterFromItsStartAndStopsWhenFrozen() throws Exception {
        SimClock clock = new SimClock(1_000_000);
        assertEquals(1_000_000, clock.millis());
        clock.run(5_000_000, 1000);
        Thread.sleep(20);
        long after = clock.millis();
        assertTrue(after >= 5_000_000 + 20_000, "20 ms real is at least 20 s simulated: " + after);
        long due = clock.realNanosAt(5_000_000 + 60_000);
        assertEquals(60_000_000, due - clock.realNanosAt(5_000_000), 1);
        clock.freezeAt(9_000_000);
        Thread.sleep(5);
        assertEquals(9_000_000, clock.millis());
        java.time.Clock paris = clock.withZone(java.time.ZoneId.of("Europe/Paris"));
        assertEquals(9_000_000, paris.millis());
        assertEquals("Europe/Paris", paris.getZone().getId());
    }
}
