package dev.devtime.local.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.model.api.ApiRoutes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * API Gateway's and Lambda's limits as the local gateway enforces them, with handlers made to cross each
 * one (a huge response, a slow handler) on the real route table, and the read timeouts with raw sockets.
 * The times are shortened; {@link GatewayLimits#AWS} holds the real ones.
 */
class GatewayLimitsTest {

    static final GatewayLimits FAST = GatewayLimits.AWS
            .withIntegrationTimeout(Duration.ofMillis(500))
            .withReadTimeouts(Duration.ofMillis(700), Duration.ofMillis(700));

    LocalGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    int start(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> query) {
        return start(query, FAST);
    }

    int start(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> query, GatewayLimits limits) {
        gateway = new LocalGateway(
                        "127.0.0.1",
                        0,
                        Map.of(ApiRoutes.Function.QUERY, query, ApiRoutes.Function.INGEST, query),
                        null,
                        new StaticSite(() -> "{}", "http://127.0.0.1:1"),
                        limits)
                .start();
        return gateway.port();
    }

    static APIGatewayV2HTTPResponse ok(String body) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body)
                .build();
    }

    /** Runs {@code action} with stdout captured (the gateway's log lines) and returns what was printed. */
    static String capture(IORunnable action) throws IOException {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    interface IORunnable {
        void run() throws IOException;
    }

    @Test
    void aResponseOverLambdasSixMegabytesFailsAsTheHttpApiAnswersAFailedIntegration() throws Exception {
        // The limit applies to the invocation result, where the body is a JSON string: 3.2 M quotes, escaped,
        // are 6.4 MB there.
        // The real read timeout: writing 6 MB to a client on a loaded machine may pause longer than FAST's.
        int port = start(
                e -> ok(e.getRawQueryString().contains("big") ? "\"".repeat(3_200_000) : "x".repeat(6_291_000)),
                GatewayLimits.AWS);
        AtomicReference<RawHttp.Answer> answer = new AtomicReference<>();
        String log = capture(() ->
                answer.set(RawHttp.exchange(port, RawHttp.request("GET", "/api/health?big", "127.0.0.1", "", null))));
        assertEquals(500, answer.get().status());
        assertEquals("{\"message\":\"Internal Server Error\"}", answer.get().body());
        assertTrue(
                log.contains("\"level\":\"ERROR\"")
                        && log.contains("GET /api/health")
                        && log.contains("\"limit\":6291556"),
                log);
        assertTrue(log.matches("(?s).*\"bytes\":64\\d{5},.*"), log);

        // Just under the limit once serialized: answered whole.
        RawHttp.Answer under = RawHttp.exchange(port, RawHttp.request("GET", "/api/health", "127.0.0.1", "", null));
        assertEquals(200, under.status());
        assertEquals(6_291_000, under.body().length());
    }

    @Test
    void aHandlerPastTheIntegrationTimeoutGets503WhileItRunsOn() throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        int port = start(e -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finished.countDown();
            return ok("{}");
        });
        AtomicReference<RawHttp.Answer> answer = new AtomicReference<>();
        long t0 = System.nanoTime();
        String log = capture(
                () -> answer.set(RawHttp.exchange(port, RawHttp.request("GET", "/api/health", "127.0.0.1", "", null))));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, answer.get().status());
        assertEquals("{\"message\":\"Service Unavailable\"}", answer.get().body());
        assertTrue(ms < 1400, "answered after " + ms + " ms, before the handler ended");
        assertTrue(log.contains("integration timeout") && log.contains("GET /api/health"), log);
        assertEquals(1, finished.getCount(), "the handler was still running when the client had its answer");
        assertTrue(finished.await(5, TimeUnit.SECONDS), "the handler ran to its end");
    }

    @Test
    void aHandlerSlowerThanTheReadTimeoutStillAnswersWithinTheIntegrationTimeout() throws Exception {
        // The read timeout is for clients that stop sending; a slow handler is the integration timeout's business.
        gateway = new LocalGateway(
                        "127.0.0.1",
                        0,
                        Map.of(ApiRoutes.Function.QUERY, e -> {
                            try {
                                Thread.sleep(1500);
                            } catch (InterruptedException ex) {
                                Thread.currentThread().interrupt();
                            }
                            return ok("{\"slow\":true}");
                        }),
                        null,
                        new StaticSite(() -> "{}", "http://127.0.0.1:1"),
                        FAST.withIntegrationTimeout(Duration.ofSeconds(5))
                                .withReadTimeouts(Duration.ofMillis(300), Duration.ofMillis(300)))
                .start();
        RawHttp.Answer a =
                RawHttp.exchange(gateway.port(), RawHttp.request("GET", "/api/health", "127.0.0.1", "", null));
        assertEquals(200, a.status());
        assertEquals("{\"slow\":true}", a.body());
    }

    @Test
    void aBodyOverTenMegabytesIs413WithOrWithoutContentLength() throws Exception {
        int port = start(e -> ok("{}"));
        String big = "[" + "1,".repeat(5_300_000) + "1]";
        RawHttp.Answer declared =
                RawHttp.exchange(port, RawHttp.request("POST", "/api/heartbeat", "127.0.0.1", "", big));
        assertEquals(413, declared.status());
        assertEquals("{\"message\":\"Request Entity Too Large\"}", declared.body());
        // Chunked: no length up front, refused once the body passes the limit.
        StringBuilder chunked =
                new StringBuilder("POST /api/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        String piece = "1,".repeat(512 * 1024);
        for (int i = 0; i < 11; i++) {
            chunked.append(Integer.toHexString(piece.length()))
                    .append("\r\n")
                    .append(piece)
                    .append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        assertEquals(413, RawHttp.exchange(port, chunked.toString()).status());
    }

    @Test
    void aBodyShorterThanItsContentLengthIs408AfterTheReadTimeout() throws Exception {
        int port = start(e -> ok("{}"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("POST /api/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: 100\r\n\r\n{\"entity\":")
                            .getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            RawHttp.Answer a = RawHttp.parse(RawHttp.readAll(s.getInputStream()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(408, a.status());
            assertEquals("{\"message\":\"Request Timeout\"}", a.body());
            assertTrue(ms >= 600 && ms < 5000, "after " + ms + " ms");
        }
    }

    @Test
    void aHeaderTrickledByteByByteIsDroppedAtTheHeaderDeadline() throws Exception {
        int port = start(e -> ok("{}"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.getOutputStream()
                    .write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                            .getBytes(StandardCharsets.US_ASCII));
            // One byte every 200 ms never lets the read timeout (700 ms) pass, but the header never ends.
            long t0 = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 50 && !closed; i++) {
                try {
                    s.getOutputStream().write('a');
                    s.getOutputStream().flush();
                    Thread.sleep(200);
                    s.setSoTimeout(1);
                    closed = s.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // nothing to read yet
                } catch (SocketException reset) {
                    closed = true;
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(closed, "still open after " + ms + " ms");
            assertTrue(ms < 3000, "closed after " + ms + " ms");
        }
    }

    @Test
    void headAnswersLikeGetWithoutTheBody() throws Exception {
        int port = start(e -> ok("{\"status\":\"ok\",\"method\":\""
                + e.getRequestContext().getHttp().getMethod() + "\"}"));
        RawHttp.Answer get = RawHttp.exchange(port, RawHttp.request("GET", "/api/health", "127.0.0.1", "", null));
        RawHttp.Answer head = RawHttp.exchange(port, RawHttp.request("HEAD", "/api/health", "127.0.0.1", "", null));
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertEquals(String.valueOf(get.body().length()), head.headers().get("content-length"));
        assertEquals("application/json", head.headers().get("content-type"));
        assertTrue(get.body().contains("\"method\":\"GET\""), get.body());
        // HEAD of a route that has no GET is still refused.
        assertEquals(
                405,
                RawHttp.exchange(port, RawHttp.request("HEAD", "/api/heartbeat", "127.0.0.1", "", null))
                        .status());
    }

    @Test
    void headersOverApiGatewaysTenKilobytesAre431Json() throws Exception {
        int port = start(e -> ok("{}"));
        RawHttp.Answer a = RawHttp.exchange(
                port,
                RawHttp.request(
                        "GET",
                        "/api/health",
                        "127.0.0.1",
                        "X-Big: " + "b".repeat(GatewayLimits.MAX_HEADER_BYTES) + "\r\n",
                        null));
        assertEquals(431, a.status());
        assertTrue(
                a.headers().get("content-type").startsWith("application/json"),
                a.headers().toString());
        assertTrue(a.body().contains("\"message\""), a.body());
        assertEquals(
                200,
                RawHttp.exchange(
                                port,
                                RawHttp.request(
                                        "GET",
                                        "/api/health",
                                        "127.0.0.1",
                                        "X-Big: " + "b".repeat(GatewayLimits.MAX_HEADER_BYTES - 200) + "\r\n",
                                        null))
                        .status());
    }

    @Test
    void theLimitsAreApiGatewaysAndLambdas() {
        assertEquals(10_485_760, GatewayLimits.AWS.maxRequestBytes());
        assertEquals(6_291_556, GatewayLimits.AWS.maxResponseBytes());
        assertEquals(Duration.ofSeconds(29), GatewayLimits.AWS.integrationTimeout());
    }
}
