package dev.devtime.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Talks to a running DevTime over real HTTP, as a plugin or the dashboard would. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String VSCODE_UA =
            "wakatime/v1.73.0 (linux-5.15.0-76-generic-x86_64) go1.20.5 vscode/1.80.0 vscode-wakatime/24.2.0";

    record Response(int status, JsonNode json, String body) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    ApiClient(String base) {
        this.base = base;
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    Response post(String path, String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("User-Agent", VSCODE_UA)
                .header("X-Machine-Name", "test-box")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    Response get(String path, String authorization) {
        return request("GET", path, authorization, null);
    }

    /** Any method; {@code body} null sends none. */
    Response request(String method, String path, String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b.build());
    }

    private Response send(HttpRequest r) {
        try {
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = resp.body().isEmpty() ? null : JSON.readTree(resp.body());
            } catch (Exception notJson) {
                // leave json null
            }
            return new Response(resp.statusCode(), json, resp.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A WakaTime heartbeat as wakatime-cli sends it. */
    static String waka(long timeMs, String project, String language, String entity) {
        return "{\"entity\":\"" + entity + "\",\"type\":\"file\",\"category\":\"coding\",\"time\":" + (timeMs / 1000.0)
                + ",\"project\":\"" + project + "\",\"language\":\"" + language
                + "\",\"branch\":\"main\",\"is_write\":false"
                + ",\"lines\":100,\"lineno\":1,\"cursorpos\":1,\"user_agent\":\"" + VSCODE_UA + "\"}";
    }
}
