package dev.devtime.local.measure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A plugin's HTTP calls to the local gateway: API-key auth, its User-Agent and machine name. */
final class BenchHttp implements AutoCloseable {

    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
    private final String base;

    BenchHttp(String base) {
        this.base = base;
    }

    HttpResponse<String> post(String path, String key, String body, String userAgent, String machine) {
        return send(request(path, key, userAgent, machine)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    HttpResponse<String> get(String path, String key, String userAgent, String machine) {
        return send(request(path, key, userAgent, machine).GET().build());
    }

    private HttpRequest.Builder request(String path, String key, String userAgent, String machine) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))
                .header("User-Agent", userAgent);
        return machine == null ? b : b.header("X-Machine-Name", machine);
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
