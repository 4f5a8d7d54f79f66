package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.functions.auth.ApiKeys;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client offline for an hour, then back: the server side of it. The real client core
 * ({@code extensions/core}, TypeScript) flushes its queue oldest first, 25 per request, and resends a batch
 * whose answer it did not get; its own tests cover that side. Here the hour's backlog arrives as such a
 * client (and a crashed one whose queue another process took over) would send it: in batches of 25,
 * some twice, the second time out of order, while the user's other editor sends live heartbeats. The
 * totals must be those of the hour, each heartbeat counted once, AI usage too.
 */
class OfflineBacklogTest {

    @RegisterExtension
    static final DeploymentExtension STACK =
            new DeploymentExtension(o -> o.withBatching(10, Duration.ofMillis(100), 2));

    /** A VS Code heartbeat with AI usage on every tenth, as the DevTime extension sends it. */
    static String heartbeat(long timeMs, int i, String machine) {
        String ai = i % 10 == 0
                ? ",\"ai_input_tokens\":1000,\"ai_output_tokens\":200,\"ai_prompts\":1,\"ai_model\":\"claude-sonnet-4-5\""
                : "";
        return "{\"entity\":\"/work/app/src/Main" + (i % 3)
                + ".java\",\"type\":\"file\",\"category\":\"coding\",\"time\":"
                + (timeMs / 1000.0) + ",\"project\":\"app\",\"language\":\"Java\",\"branch\":\"main\",\"is_write\":"
                + (i % 4 == 0)
                + ",\"tool\":\"vscode\",\"machine\":\"" + machine
                + "\",\"user_agent\":\"devtime/0.1.0 (linux-x64) node/20.20.2 vscode/1.95.0 devtime-vscode/0.1.0\"" + ai
                + "}";
    }

    @Test
    void anHourOfQueuedHeartbeatsIsCountedOnceHoweverItArrives() throws Exception {
        String key = ApiKeys.generate();
        String auth = ApiClient.basic(key);
        STACK.deployment().seedKey("user-" + UUID.randomUUID(), key, "test");
        ApiClient api = new ApiClient(STACK.deployment().baseUrl());

        // The offline hour: one heartbeat every 30 s, ending two minutes ago (it may cross midnight).
        long end = System.currentTimeMillis() / 1000 * 1000 - 120_000;
        long start = end - 3_600_000 + 30_000;
        List<String> backlog = new ArrayList<>();
        for (long t = start, i = 0; t <= end; t += 30_000, i++) {
            backlog.add(heartbeat(t, (int) i, "laptop"));
        }
        assertEquals(120, backlog.size());
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < backlog.size(); i += 25) {
            batches.add(backlog.subList(i, Math.min(i + 25, backlog.size())));
        }

        // Meanwhile, the other machine keeps sending live heartbeats (every 20 s over the last 4 minutes).
        CompletableFuture<Void> live = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 12; i++) {
                long t = end - 120_000 + i * 20_000L;
                assertAllAccepted(
                        api.post("/api/v1/users/current/heartbeats.bulk", auth, "[" + heartbeat(t, 1, "desktop") + "]"),
                        1);
            }
        });

        // Back online: oldest first; the answer to the third batch was lost, so it is sent again.
        for (int i = 0; i < batches.size(); i++) {
            assertAllAccepted(send(api, auth, batches.get(i)), batches.get(i).size());
            if (i == 2) {
                assertAllAccepted(
                        send(api, auth, batches.get(i)), batches.get(i).size());
            }
        }
        // A second process that took over a crashed one's claims sends the whole backlog again, out of order.
        List<List<String>> shuffled = new ArrayList<>(batches);
        Collections.shuffle(shuffled, new Random(7));
        for (List<String> b : shuffled) {
            List<String> items = new ArrayList<>(b);
            Collections.reverse(items);
            assertAllAccepted(send(api, auth, items), items.size());
        }
        live.get();

        // Laptop: 119 gaps of 30 s. Desktop: 11 gaps of 20 s. One timeline per user (WakaTime's rule), so
        // the overlap of the two machines over the last 2 minutes is counted once: the laptop's last
        // heartbeat is at `end`, the desktop's run from end-120 s to end+100 s, every 20 s or less apart.
        double expected = 119 * 30 + 100;
        LocalDate to = LocalDate.now(ZoneOffset.UTC);
        String range = "start=" + to.minusDays(1) + "&end=" + to;
        JsonNode[] stats = new JsonNode[1];
        PipelineContract.await(
                () -> {
                    stats[0] = api.get("/api/stats?" + range, auth).json();
                    return stats[0].get("total_seconds").asDouble() == expected;
                },
                Duration.ofSeconds(60));
        assertEquals(expected, stats[0].get("total_seconds").asDouble(), stats[0].toString());
        assertEquals(12 * 1000, stats[0].get("ai").get("tokens_in").asLong(), "AI usage of the hour counted once");
        assertEquals(12, stats[0].get("ai").get("prompts").asLong());
        assertEquals(2, stats[0].get("by_machine").size());
        // Settles there: redeliveries from the queue add nothing later.
        Thread.sleep(2000);
        assertEquals(
                expected,
                api.get("/api/stats?" + range, auth).json().get("total_seconds").asDouble());
    }

    static ApiClient.Response send(ApiClient api, String auth, List<String> items) {
        return api.post("/api/v1/users/current/heartbeats.bulk", auth, "[" + String.join(",", items) + "]");
    }

    static void assertAllAccepted(ApiClient.Response r, int n) {
        assertEquals(202, r.status(), r.body());
        JsonNode responses = r.json().get("responses");
        assertEquals(n, responses.size());
        responses.forEach(t -> assertEquals(201, t.get(1).asInt(), t.toString()));
    }
}
