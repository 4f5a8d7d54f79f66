package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.functions.account.ImportService;
import dev.devtime.functions.auth.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One user's import cannot crowd out another's live heartbeats: imports have a per-user budget of their own (a
 * request's worth at once, then {@link ImportService#IMPORT_PER_MINUTE} a minute), and while user A's 20,000
 * imported heartbeats go through the queue, user B's live heartbeat is counted within a generous bound. The
 * measured delay is printed ({@code import-fairness:} line) for the README's figure.
 */
class ImportFairnessTest {

    /** The local command's event source settings. */
    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension();

    @Test
    void anImportOf20000LeavesRoomForOthersLiveHeartbeats() throws Exception {
        String a = "importer-" + UUID.randomUUID();
        String bearerA = "Bearer " + STACK.deployment().issuer.tokenFor(a);
        String keyB = ApiKeys.generate();
        STACK.deployment().seedKey("live-" + UUID.randomUUID(), keyB, "live");

        LocalDate history = LocalDate.now(ZoneOffset.UTC).minusDays(200);
        long start = history.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        StringBuilder dump = new StringBuilder("[");
        for (int i = 0; i < ImportService.MAX_HEARTBEATS; i++) {
            // 20,000 heartbeats 30 s apart: about a week of history, one project per day.
            long t = start + i * 30_000L;
            dump.append(i == 0 ? "" : ",")
                    .append("{\"entity\":\"/src/F")
                    .append(i % 50)
                    .append(".java\",\"type\":\"file\",\"time\":")
                    .append(t / 1000)
                    .append(",\"project\":\"history-")
                    .append(i / 2880)
                    .append("\",\"language\":\"Java\"}");
        }
        String body = dump.append("]").toString();
        ApiClient.Response first = STACK.api().request("POST", "/api/import", bearerA, body);
        assertEquals(202, first.status(), first.body());
        assertEquals(ImportService.MAX_HEARTBEATS, first.json().get("accepted").asInt());

        // B works live while A's history is in the queue.
        long now = System.currentTimeMillis();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String live = "[" + ApiClient.waka(now - 60_000, "live", "Go", "/a.go") + ","
                + ApiClient.waka(now - 30_000, "live", "Go", "/a.go") + "]";
        long sent = System.nanoTime();
        ApiClient.Response b = STACK.api().post("/api/v1/users/current/heartbeats.bulk", ApiClient.basic(keyB), live);
        assertEquals(202, b.status(), b.body());

        // The budget is per account container, as on Lambda: each other instance takes A's history once more.
        for (int i = 1; i < LocalDeployment.INSTANCES; i++) {
            ApiClient.Response again = STACK.api().request("POST", "/api/import", bearerA, body);
            assertEquals(202, again.status(), again.body());
        }
        // A's next 20,000 at once exceed the import budget: refused whole, with the wait.
        HttpResponse<String> second = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(STACK.deployment().baseUrl() + "/api/import"))
                                .header("Authorization", bearerA)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(429, second.statusCode(), second.body());
        assertTrue(Long.parseLong(second.headers().firstValue("Retry-After").orElse("0")) > 0, second.body());
        assertTrue(ApiClient.JSON
                .readTree(second.body())
                .get("error")
                .asText()
                .contains("nothing of this request was queued"));

        String statsB = "/api/stats?start=" + today.minusDays(1) + "&end=" + today.plusDays(1);
        PipelineContract.await(
                () -> STACK.api()
                                .get(statsB, ApiClient.basic(keyB))
                                .json()
                                .path("total_seconds")
                                .asDouble()
                        >= 30.0,
                Duration.ofSeconds(60));
        long visibleMs = (System.nanoTime() - sent) / 1_000_000;
        System.out.println("import-fairness: user B's live heartbeats visible after " + visibleMs
                + " ms while user A's import of " + ImportService.MAX_HEARTBEATS + " heartbeats was queued");
    }
}
