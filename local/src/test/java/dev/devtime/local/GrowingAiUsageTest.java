package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.functions.auth.ApiKeys;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One Claude Code response read twice: at {@code Stop} the transcript may not yet hold the turn's last
 * lines, so the hook sends the response with the usage written so far, and a later hook or
 * {@code devtime backfill} sends the same heartbeat (same time, tool, entity, category, machine) with the
 * whole usage. The server must keep one record with the larger usage, in whichever order they arrive.
 */
class GrowingAiUsageTest {

    @RegisterExtension
    static final DeploymentExtension STACK =
            new DeploymentExtension(o -> o.withBatching(10, Duration.ofMillis(100), 2));

    /** The heartbeat DevTime's Claude Code hooks and backfill send for one response. */
    static String response(long timeMs, int in, int cacheRead) {
        return "[{\"entity\":\"Claude Code\",\"type\":\"app\",\"category\":\"ai coding\",\"time\":" + (timeMs / 1000.0)
                + ",\"project\":\"shop\",\"tool\":\"claude-code\",\"machine\":\"laptop\",\"ai_session\":\"5d3f8a2e\","
                + "\"ai_model\":\"claude-sonnet-4-5-20250929\",\"ai_input_tokens\":" + in + ",\"ai_output_tokens\":5,"
                + "\"ai_cache_creation_tokens\":0,\"ai_cache_read_tokens\":" + cacheRead
                + ",\"user_agent\":\"devtime/0.1.0 (linux-x64) node/20.20.2 devtime-claude-code/0.1.0\"}]";
    }

    @Test
    void theLargerUsageOfOneResponseWinsInEitherOrder() throws Exception {
        long t = System.currentTimeMillis() / 1000 * 1000 - 600_000;
        check(new long[] {t}, "partial first");
        check(new long[] {t}, "whole first");
    }

    private void check(long[] times, String order) throws Exception {
        String key = ApiKeys.generate();
        String auth = ApiClient.basic(key);
        STACK.deployment().seedKey("user-" + UUID.randomUUID(), key, "test");
        ApiClient api = new ApiClient(STACK.deployment().baseUrl());
        String partial = response(times[0], 20, 2000);
        String whole = response(times[0], 30, 3000);
        for (String body :
                order.startsWith("partial") ? new String[] {partial, whole, partial} : new String[] {whole, partial}) {
            assertEquals(
                    202,
                    api.post("/api/v1/users/current/heartbeats.bulk", auth, body)
                            .status());
        }
        LocalDate to = LocalDate.now(ZoneOffset.UTC);
        String range = "/api/stats?start=" + to.minusDays(1) + "&end=" + to;
        JsonNode[] ai = new JsonNode[1];
        PipelineContract.await(
                () -> {
                    ai[0] = api.get(range, auth).json().get("ai");
                    return ai[0].get("tokens_in").asLong() == 30;
                },
                Duration.ofSeconds(30));
        assertEquals(30, ai[0].get("tokens_in").asLong(), order + ": " + ai[0]);
        assertEquals(3000, ai[0].get("cache_read_tokens").asLong(), order + ": " + ai[0]);
        // Nothing later brings the partial one back.
        Thread.sleep(1500);
        assertEquals(30, api.get(range, auth).json().get("ai").get("tokens_in").asLong(), order);
    }
}
