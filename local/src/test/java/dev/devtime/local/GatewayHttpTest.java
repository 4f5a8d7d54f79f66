package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.local.gateway.RawHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway of the running stack as a client on the network sees it: which Host headers it answers,
 * HEAD on GET routes, 404s that point to the right prefix, and service while slow clients hold sockets.
 */
class GatewayHttpTest {

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension();

    static int port;

    @BeforeAll
    static void start() throws Exception {
        port = STACK.deployment().gateway.port();
    }

    static RawHttp.Answer get(String path, String host) throws IOException {
        return RawHttp.exchange(port, RawHttp.request("GET", path, host, "", null));
    }

    @Test
    void loopbackHostsAreAnsweredAndARebindingHostIsRefused() throws Exception {
        for (String host :
                List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "localhost", "127.0.0.2")) {
            assertEquals(200, get("/api/health", host).status(), host);
        }
        // A page at attacker.example whose DNS answer was switched to 127.0.0.1: same socket, its own Host.
        for (String host :
                List.of("attacker.example:" + port, "127.0.0.1.nip.io:" + port, "localhost.attacker.example")) {
            RawHttp.Answer a = get("/api/health", host);
            assertEquals(403, a.status(), host);
            assertEquals("application/json", a.headers().get("content-type"));
            assertTrue(a.body().startsWith("{\"message\":\"Forbidden"), a.body());
            // The dashboard (and its runtime configuration) is refused too.
            assertEquals(403, get("/config.json", host).status(), host);
        }
        STACK.deployment().gateway.allowHost("devbox.lan");
        assertEquals(200, get("/api/health", "devbox.lan:" + port).status());
        assertEquals(403, get("/api/health", "other.lan:" + port).status());
    }

    @Test
    void headOnGetRoutesAnswersLikeGetWithoutABody() throws Exception {
        String key = ApiKeys.generate();
        STACK.deployment().seedKey("head-" + UUID.randomUUID(), key, "test");
        String auth = "Authorization: Basic "
                + java.util.Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "\r\n";
        for (String path : List.of("/api/health", "/api/v1/users/current/statusbar/today", "/api/stats?range=today")) {
            RawHttp.Answer get = RawHttp.exchange(port, RawHttp.request("GET", path, "127.0.0.1", auth, null));
            RawHttp.Answer head = RawHttp.exchange(port, RawHttp.request("HEAD", path, "127.0.0.1", auth, null));
            assertEquals(200, get.status(), path + " " + get.body());
            assertEquals(200, head.status(), path);
            assertEquals("", head.body(), path);
            assertEquals(
                    String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length),
                    head.headers().get("content-length"),
                    path);
        }
    }

    @Test
    void unknownApiPathsAre404JsonAndWakaTimePathsWithoutTheirPrefixSayWhichPrefix() throws Exception {
        RawHttp.Answer unknown = get("/api/nothing/here", "127.0.0.1");
        assertEquals(404, unknown.status());
        assertEquals("{\"message\":\"Not Found\"}", unknown.body());
        for (String path : List.of("/users/current/heartbeats.bulk", "/api/users/current/heartbeats.bulk")) {
            RawHttp.Answer a = RawHttp.exchange(port, RawHttp.request("POST", path, "127.0.0.1", "", "[]"));
            assertEquals(404, a.status(), path);
            assertEquals("application/json", a.headers().get("content-type"));
            assertTrue(a.body().contains("/api/v1/users/current/heartbeats.bulk"), a.body());
        }
        // The dashboard's own paths are still the dashboard's.
        assertEquals(200, get("/", "127.0.0.1").status());
        assertEquals(200, get("/settings", "127.0.0.1").status());
    }

    @Test
    void sixtyFourSlowClientsDoNotStallTheApi() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                // Half stop inside the header, half inside a body shorter than its Content-Length.
                String start = i % 2 == 0
                        ? "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                        : "POST /api/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 100000\r\n\r\n[{";
                s.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            for (int round = 0; round < 4; round++) {
                // Each slow client sends another byte, so none of them is silent long enough to be dropped.
                for (Socket s : slow) {
                    s.getOutputStream().write('a');
                }
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(STACK.deployment().baseUrl() + "/api/health"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(200, r.statusCode());
                // Generous: a loaded 2-core machine, not a latency benchmark.
                assertTrue(ms < 5000, "health took " + ms + " ms with 64 slow clients");
                Thread.sleep(500);
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
