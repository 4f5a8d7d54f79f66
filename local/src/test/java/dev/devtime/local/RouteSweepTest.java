package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.model.api.ApiRoutes;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every route in {@link ApiRoutes}, called through the real gateway with generated path parameters, query
 * values and bodies, authenticated as the route expects (API key, dashboard token or nothing): the answer is
 * 2xx, 3xx or 4xx with a JSON message, never 5xx. The generated values lean on what broke handlers before:
 * identifiers longer than DynamoDB's key limits, dates at the ends of {@code LocalDate}, numbers past
 * {@code int}, malformed percent-encoding.
 */
class RouteSweepTest {

    static LocalDeployment stack;
    /** A user who shares stats publicly, so that the public routes run past their opt-in check. */
    static final String PUBLIC_USER = "public-" + UUID.randomUUID();

    static final List<String> QUERY_NAMES = List.of(
            "start",
            "end",
            "date",
            "range",
            "cursor",
            "format",
            "table",
            "timezone",
            "project",
            "branches",
            "slice_by",
            "timeout",
            "label",
            "q",
            "api_key",
            "language",
            "editor");

    @BeforeContainer
    static void start() throws Exception {
        stack = LocalDeployment.start(DeploymentExtension.options(null).withBatching(100, Duration.ofMillis(100), 1));
        String bearer = "Bearer " + stack.issuer.tokenFor(PUBLIC_USER);
        Reply r = send("PUT", "/api/settings", bearer, "{\"public\":true}");
        assertEquals(200, r.statusCode(), r.body());
    }

    @AfterContainer
    static void stop() throws Exception {
        stack.close();
    }

    record Call(
            ApiRoutes.Route route, List<String> pathValues, Map<String, String> query, String body, boolean useKey) {}

    @Property(tries = 200)
    void everyRouteAnswersWithoutA5xx(@ForAll("calls") Call call) throws Exception {
        String user = "sweep-" + UUID.randomUUID();
        String auth = null;
        if (call.route().auth() == ApiRoutes.Auth.JWT
                || call.route().auth() == ApiRoutes.Auth.HANDLER && !call.useKey()) {
            auth = "Bearer " + stack.issuer.tokenFor(user);
        } else if (call.route().auth() == ApiRoutes.Auth.HANDLER) {
            String key = ApiKeys.generate();
            stack.seedKey(user, key, "sweep");
            auth = ApiClient.basic(key);
        }
        String target = target(call);
        Reply r = send(call.route().method(), target, auth, call.body());
        String what = call.route().method() + " " + target + " -> " + r.statusCode() + " " + r.body();
        assertTrue(r.statusCode() < 500, what);
        if (r.statusCode() >= 400) {
            assertMessage(r, target, what);
        }
    }

    /**
     * Path parameters longer than a key, dates past LocalDate's range and a malformed cursor, each on its own:
     * a 4xx with a JSON message, not a 500.
     */
    @Example
    void theKnownFiveHundredsAreFourHundreds() throws Exception {
        String bearer = "Bearer " + stack.issuer.tokenFor("sweep-" + UUID.randomUUID());
        String longId = "a".repeat(3000);
        List<String[]> calls = List.of(
                new String[] {"GET", "/api/badge/" + longId, null},
                new String[] {"GET", "/api/badge/" + longId + "/svg", null},
                new String[] {"GET", "/api/v1/users/" + longId + "/stats", null},
                new String[] {"PATCH", "/api/keys/" + "k".repeat(2000), "{\"label\":\"x\"}"},
                new String[] {"DELETE", "/api/keys/" + "k".repeat(2000), null},
                new String[] {"GET", "/api/stats?start=%2B999999999-12-31&end=%2B999999999-12-31", null},
                new String[] {"GET", "/api/stats?start=-999999999-01-01&end=-999999999-01-02", null},
                new String[] {"GET", "/api/sessions?date=%2B999999999-12-31", null},
                new String[] {"GET", "/api/sessions?date=-999999999-01-01", null},
                new String[] {"GET", "/api/v1/users/current/summaries?start=-999999999-01-01&end=-999999999-01-01", null
                },
                new String[] {"GET", "/api/v1/users/current/durations?date=-999999999-01-01", null},
                new String[] {"GET", "/api/v1/users/current/heartbeats?date=-999999999-01-01", null},
                new String[] {"GET", "/api/export?cursor=%%%", null});
        for (String[] c : calls) {
            Reply r = send(c[0], c[1], c[1].startsWith("/api/badge") || c[1].contains(longId) ? null : bearer, c[2]);
            String what = c[0] + " " + c[1].substring(0, Math.min(80, c[1].length())) + " -> " + r.statusCode() + " "
                    + r.body();
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, what);
            assertMessage(r, c[1], what);
        }
    }

    /**
     * A refusal is JSON with a message: {@code error} from a handler (per item for a batch), {@code message} from the
     * gateway, as in AWS.
     * A target that is not a URI at all ({@code %%%}) may be refused with a plain 400 by the HTTP server before
     * any route is looked at.
     */
    static void assertMessage(Reply r, String target, String what) {
        if (!isUri(target) && r.statusCode() == 400 && !r.body().trim().startsWith("{")) {
            return;
        }
        JsonNode json;
        try {
            json = ApiClient.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + what, e);
        }
        if (json.path("errors").isArray() && !json.has("error") && !json.has("message")) {
            // A batch refused item by item: each item's message.
            json = json.get("errors").get(0);
        }
        JsonNode message = json.has("error") ? json.get("error") : json.get("message");
        assertNotNull(message, what);
        assertTrue(message.isTextual() && !message.asText().isBlank(), what);
    }

    static boolean isUri(String target) {
        try {
            new java.net.URI(target);
            return true;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    static String target(Call call) {
        String[] segments = call.route().path().split("/");
        int next = 0;
        StringBuilder path = new StringBuilder();
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            path.append('/')
                    .append(
                            s.startsWith("{")
                                    ? encode(call.pathValues()
                                            .get(next++ % call.pathValues().size()))
                                    : s);
        }
        StringBuilder q = new StringBuilder();
        call.query()
                .forEach((k, v) ->
                        q.append(q.isEmpty() ? "?" : "&").append(k).append('=').append(v));
        return path + q.toString();
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters, as a client building a path would. */
    static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if (c < 128 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                b.append(c);
            } else {
                b.append('%').append(String.format("%02X", x & 0xff));
            }
        }
        return b.toString();
    }

    record Reply(int statusCode, String body) {}

    /**
     * One request over a plain socket: java.net.http refuses to send a malformed target such as
     * {@code ?cursor=%%%}, which a client on the network can send all the same.
     */
    static Reply send(String method, String target, String auth, String body) throws Exception {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head =
                new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ")
                    .append(payload.length)
                    .append("\r\n");
        }
        if (auth != null) {
            head.append("Authorization: ").append(auth).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", stack.gateway.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(payload);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            String headers = response.substring(0, split).toLowerCase(java.util.Locale.ROOT);
            String rest = response.substring(split + 4);
            return new Reply(status, headers.contains("transfer-encoding: chunked") ? unchunk(rest) : rest);
        }
    }

    private static String unchunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = s.indexOf("\r\n", i);
            int size = Integer.parseInt(s.substring(i, eol).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            // Sizes count bytes; the bodies here are JSON, so count through UTF-8.
            byte[] rest = s.substring(eol + 2).getBytes(StandardCharsets.UTF_8);
            String chunk = new String(rest, 0, size, StandardCharsets.UTF_8);
            out.append(chunk);
            i = eol + 2 + chunk.length() + 2;
        }
    }

    // --- generators ---

    @Provide
    Arbitrary<Call> calls() {
        Arbitrary<ApiRoutes.Route> route = Arbitraries.of(ApiRoutes.all());
        Arbitrary<List<String>> pathValues = identifiers().list().ofMinSize(1).ofMaxSize(2);
        Arbitrary<Map<String, String>> query =
                Arbitraries.maps(Arbitraries.of(QUERY_NAMES), queryValues()).ofMaxSize(4);
        return Combinators.combine(route, pathValues, query, bodies(), Arbitraries.of(true, false))
                .as(Call::new);
    }

    static Arbitrary<String> identifiers() {
        return Arbitraries.oneOf(
                Arbitraries.just(PUBLIC_USER),
                Arbitraries.of("current", "last_7_days", "all_time", "svg", "x", "0"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(40),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40),
                Arbitraries.integers().between(500, 4000).map("a"::repeat),
                Arbitraries.integers().between(200, 1200).map("é"::repeat));
    }

    static Arbitrary<String> queryValues() {
        Arbitrary<String> dates = Arbitraries.of(
                "2026-01-31",
                "1970-01-01",
                "0000-01-01",
                "9999-12-31",
                "+10000-01-01",
                "+999999999-12-31",
                "-999999999-01-01",
                "2026-02-30",
                "2026-01-31T10:00:00Z",
                "");
        Arbitrary<String> words = Arbitraries.of(
                "today",
                "week",
                "month",
                "year",
                "all",
                "all_time",
                "last_7_days",
                "last_year",
                "Last 7 Days",
                "json",
                "csv",
                "heartbeats",
                "days",
                "sessions",
                "durations",
                "project",
                "entity",
                "UTC",
                "Europe/Berlin",
                "Etc/GMT+14",
                "nope/zone",
                "-1",
                "0",
                "15",
                "4294967297",
                "99999999999999999999",
                "1e400",
                "NaN");
        Arbitrary<String> raw = Arbitraries.of("%%%", "%", "%zz", "%C0%AF", "%00", "%FF%FE", "a%20b", "%2B1");
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(30).map(RouteSweepTest::encode);
        Arbitrary<String> longs = Arbitraries.integers().between(100, 3000).map("z"::repeat);
        return Arbitraries.oneOf(dates.map(RouteSweepTest::encode), words.map(RouteSweepTest::encode), raw, any, longs);
    }

    static Arbitrary<String> bodies() {
        Arbitrary<String> settings = Arbitraries.of(
                        "timezone",
                        "timeout_minutes",
                        "hide_file_names",
                        "excluded_projects",
                        "public",
                        "retention_days",
                        "label",
                        "read_only")
                .flatMap(field -> Arbitraries.of(
                                "1",
                                "-1",
                                "0",
                                "4294967297",
                                "9223372036854775808",
                                "1.5",
                                "1e400",
                                "true",
                                "null",
                                "\"x\"",
                                "\"Europe/Berlin\"",
                                "[]",
                                "[\"p\"]",
                                "{}")
                        .map(v -> "{\"" + field + "\":" + v + "}"));
        Arbitrary<String> other = Arbitraries.of(
                "",
                "{}",
                "[]",
                "null",
                "{\"label\":\"k\"} trailing",
                "{",
                "[{}]",
                "{\"heartbeats\":[{}]}",
                "{\"days\":[{\"heartbeats\":[{\"entity\":\"a\",\"time\":1}]}]}",
                "\"x\"",
                "1");
        return Arbitraries.oneOf(settings, other).injectNull(0.3);
    }
}
