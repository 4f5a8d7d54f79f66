package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devtime.functions.auth.ApiKeys;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local} killed with SIGKILL while heartbeats are queued, then started again on the same data
 * directory: every heartbeat that was answered 202 must be counted, exactly once.
 */
class CrashRecoveryTest {

    @TempDir
    Path dataDir;

    @Test
    void everyHeartbeatAnswered202SurvivesASigkill() throws Exception {
        int port = LocalProcess.freePort();
        String key = ApiKeys.generate();
        String auth = ApiClient.basic(key);
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        long noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

        Process first = startLocal(port, key);
        int accepted = 0;
        try {
            LocalProcess.awaitHealthy(api);
            for (int request = 0; request < 40; request++) {
                List<String> items = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    items.add(ApiClient.waka(noon + (request * 5L + i) * 10_000L, "p", "Java", "/a"));
                }
                ApiClient.Response r =
                        api.post("/api/v1/users/current/heartbeats.bulk", auth, "[" + String.join(",", items) + "]");
                if (r.status() != 202) {
                    throw new AssertionError("not accepted: " + r.status() + " " + r.body());
                }
                accepted += items.size();
            }
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(200, accepted);

        Process second = startLocal(port, key);
        try {
            LocalProcess.awaitHealthy(api);
            double expected = (accepted - 1) * 10.0;
            PipelineContract.await(() -> total(api, auth, day) == expected, Duration.ofSeconds(90));
            Thread.sleep(3000);
            assertEquals(expected, total(api, auth, day), "nothing counted twice after redelivery");
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
            if (second.isAlive()) {
                second.destroyForcibly();
            }
        }
    }

    private static double total(ApiClient api, String auth, LocalDate day) {
        ApiClient.Response r = api.get("/api/stats?start=" + day + "&end=" + day, auth);
        return r.status() == 200 ? r.json().get("total_seconds").asDouble() : -1;
    }

    private Process startLocal(int port, String key) throws Exception {
        File log = dataDir.resolve("local-" + System.nanoTime() + ".log").toFile();
        Files.createDirectories(dataDir);
        return LocalProcess.command(
                        "--port",
                        Integer.toString(port),
                        "--data-dir",
                        dataDir.resolve("data").toString(),
                        "--api-key",
                        key,
                        "--quiet")
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
    }
}
