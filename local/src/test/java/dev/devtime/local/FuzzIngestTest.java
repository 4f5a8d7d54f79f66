package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.http.HttpHandlers;
import dev.devtime.functions.http.Routes;
import dev.devtime.functions.ingest.IngestService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Property-based fuzzing of ingest: generated requests, valid, broken and in between, against the real
 * {@link IngestService} endpoints, answered by {@link HttpHandlers#answer} (which lets any failure but a refusal
 * escape to the test, unlike the handler's guard that turns them into 500s) and, for raw bytes, through the local HTTP gateway. Sized for CI by the number
 * of tries (junit-platform.properties); {@code local/load.sh --fuzz-tests N} runs N tries each.
 *
 * <p>Properties: no 5xx and no exception, ever; every request answered 202 or 4xx with a message; every
 * item generated valid is accepted (201) wherever it sits in the batch, every item broken on purpose is
 * refused with a message, and the answers line up with the items.
 */
class FuzzIngestTest {

    static LocalDeployment stack;
    static Routes ingest;
    /** A new user for every try: the per-user rate limit must not turn later tries into 429s. */
    static String auth;

    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final com.fasterxml.jackson.databind.ObjectMapper ESCAPING =
            com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
                    .build();
    static final long NOW_S = System.currentTimeMillis() / 1000;
    static final String[] PATHS = {
        "/api/v1/users/current/heartbeats.bulk",
        "/api/v1/users/current/heartbeats",
        "/api/compat/wakatime/v1/users/current/heartbeats.bulk",
        "/api/heartbeat",
        "/api/heartbeat/batch"
    };

    @BeforeContainer
    static void start() throws Exception {
        stack = LocalDeployment.start(DeploymentExtension.options(null).withBatching(100, Duration.ofMillis(200), 1));
        ingest = stack.wiring.ingestRoutes();
    }

    @BeforeTry
    void newUser() {
        String key = ApiKeys.generate();
        auth = ApiClient.basic(key);
        stack.seedKey("fuzz-" + java.util.UUID.randomUUID(), key, "fuzz");
    }

    @AfterContainer
    static void stop() throws Exception {
        stack.close();
    }

    enum Kind {
        VALID,
        BROKEN,
        ANY
    }

    record Item(Kind kind, JsonNode json) {}

    // --- properties ---

    @Property
    void mixedBatchesKeepEveryValidItem(@ForAll("batches") List<Item> items, @ForAll boolean nativeRoute)
            throws Exception {
        String path = nativeRoute ? "/api/heartbeat/batch" : "/api/v1/users/current/heartbeats.bulk";
        var array = F.arrayNode();
        items.forEach(i -> array.add(nativeRoute ? toNative(i.json()) : i.json()));
        // Escaped as JSON.stringify does: a lone surrogate can only reach the server as a \\uD800 escape.
        String body = ESCAPING.writeValueAsString(nativeRoute ? F.objectNode().set("heartbeats", array) : array);
        APIGatewayV2HTTPResponse r =
                HttpHandlers.answer(new dev.devtime.functions.http.HttpRequest(event(path, body)), ingest);
        JsonNode out = ApiClient.JSON.readTree(r.getBody());
        long valid = items.stream().filter(i -> i.kind() == Kind.VALID).count();
        if (!nativeRoute) {
            assertEquals(202, r.getStatusCode(), r.getBody());
            JsonNode responses = out.get("responses");
            assertEquals(items.size(), responses.size());
            for (int i = 0; i < items.size(); i++) {
                int status = responses.get(i).get(1).asInt();
                String what = items.get(i).kind() + " " + items.get(i).json() + " -> " + responses.get(i);
                switch (items.get(i).kind()) {
                    case VALID -> assertEquals(201, status, what);
                    case BROKEN -> assertEquals(400, status, what);
                    case ANY -> assertTrue(status == 201 || status == 400, what);
                }
                if (status == 400) {
                    assertFalse(responses.get(i).get(0).get("error").asText().isBlank(), what);
                }
            }
        } else {
            assertTrue(r.getStatusCode() == 202 || r.getStatusCode() == 400, r.getBody());
            assertTrue(out.get("accepted").asLong() >= valid, r.getBody());
            assertEquals(
                    items.size(),
                    out.get("accepted").asInt() + out.get("rejected").asInt());
            out.get("errors")
                    .forEach(e -> assertTrue(items.get(e.get("index").asInt()).kind() != Kind.VALID, e.toString()));
        }
    }

    @Property
    void anyBodyOnAnyRouteIsAnsweredWithoutA5xx(@ForAll("bodies") String body, @ForAll("paths") String path)
            throws Exception {
        APIGatewayV2HTTPResponse r =
                HttpHandlers.answer(new dev.devtime.functions.http.HttpRequest(event(path, body)), ingest);
        int s = r.getStatusCode();
        assertTrue(s == 202 || s == 400 || s == 413, s + " " + r.getBody());
        JsonNode out = ApiClient.JSON.readTree(r.getBody());
        assertTrue(out.has("error") || out.has("responses") || out.has("ok") || out.has("data"), r.getBody());
    }

    @Property
    void rawBytesOverHttpAreAnsweredWithoutA5xx(@ForAll("rawBodies") byte[] body, @ForAll("paths") String path)
            throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.baseUrl() + path))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() < 500, r.statusCode() + " " + r.body());
        assertTrue(
                r.statusCode() == 202 || r.statusCode() == 400 || r.statusCode() == 413,
                r.statusCode() + " " + r.body());
    }

    // --- generators ---

    static APIGatewayV2HTTPEvent event(String path, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey("POST " + path)
                .withRawPath(path)
                .withHeaders(Map.of(
                        "authorization",
                        auth,
                        "content-type",
                        "application/json",
                        "user-agent",
                        ApiClient.VSCODE_UA,
                        "x-machine-name",
                        "fuzz-box"))
                .withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("POST")
                                .withPath(path)
                                .build())
                        .withRequestId("fuzz")
                        .build())
                .build();
    }

    /** The native shape of a WakaTime item, for the native batch route (fields it lacks stay absent). */
    static JsonNode toNative(JsonNode waka) {
        if (!waka.isObject()) {
            return waka;
        }
        ObjectNode n = ((ObjectNode) waka).deepCopy();
        JsonNode t = n.remove("time");
        if (t != null) {
            n.set("timestamp", t.isNumber() ? F.numberNode(Math.round(t.asDouble() * 1000)) : t);
        }
        JsonNode e = n.remove("entity");
        if (e != null) {
            n.set("file", e);
        }
        n.remove("type");
        if (!n.has("tool")) {
            n.put("tool", "vscode");
        }
        JsonNode c = n.remove("category");
        n.set("activity_type", c == null ? F.textNode("coding") : c);
        return n;
    }

    /** Names as editors produce them: letters of several scripts, digits, separators, an emoji. */
    static Arbitrary<String> names() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withCharRange('0', '9')
                .withChars("/._- ÄéЖ中ß")
                .ofMinLength(0)
                .ofMaxLength(40)
                .map(s -> "n" + (s.contains("ß") ? s + "😀" : s));
    }

    static Arbitrary<ObjectNode> valid() {
        Arbitrary<Long> time = Arbitraries.longs().between(NOW_S - 300L * 86_400, NOW_S - 60);
        Arbitrary<Integer> millis = Arbitraries.integers().between(0, 999);
        Arbitrary<String> category = Arbitraries.of("coding", "debugging", "building", "ai coding", "idle", "browsing");
        Arbitrary<String> tool = Arbitraries.of("vscode", "claude-code", "codex", "zed", "Vim", "x-tool");
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 100_000);
        return Combinators.combine(time, millis, names(), names(), category, tool, small, Arbitraries.of(true, false))
                .as((t, ms, entity, project, cat, tl, n, w) -> {
                    ObjectNode o = F.objectNode();
                    o.put("entity", "/" + entity)
                            .put("type", "file")
                            .put("category", cat)
                            .put("time", t + ms / 1000.0)
                            .put("project", project)
                            .put("language", "Java")
                            .put("is_write", w)
                            .put("lines", n)
                            .put("lineno", n / 2)
                            .put("tool", tl)
                            .put("ai_input_tokens", n)
                            .put("ai_prompts", n % 3);
                    return o;
                });
    }

    /** Values of every JSON type, including the ones ingest must refuse. */
    static Arbitrary<JsonNode> anyValue() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30).map(F::textNode),
                Arbitraries.strings()
                        .withCharRange('\u0000', '\u001f')
                        .withCharRange('\ud800', '\udfff')
                        .ofMinLength(1)
                        .ofMaxLength(5)
                        .map(F::textNode),
                Arbitraries.of(
                                "NaN",
                                "Infinity",
                                "-Infinity",
                                "1e400",
                                "-0",
                                "0x10",
                                " 12 ",
                                "1e-400",
                                "<<LAST_PROJECT>>",
                                "<<LAST_LANGUAGE>>",
                                "<<LAST_BRANCH>>")
                        .map(F::textNode),
                Arbitraries.doubles().map(F::numberNode),
                Arbitraries.longs().map(F::numberNode),
                Arbitraries.of(Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 1e15, 1e16, 4294967297.0)
                        .map(F::numberNode),
                Arbitraries.bigIntegers()
                        .between(java.math.BigInteger.TEN.pow(30).negate(), java.math.BigInteger.TEN.pow(30))
                        .map(F::numberNode),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.just(F.nullNode()),
                Arbitraries.just(F.arrayNode().add(1).add("a")),
                Arbitraries.just(F.objectNode().put("k", "v")),
                Arbitraries.strings().withCharRange('a', 'b').ofLength(3000).map(F::textNode));
    }

    static final List<String> FIELDS = List.of(
            "entity",
            "time",
            "type",
            "category",
            "project",
            "branch",
            "language",
            "is_write",
            "lines",
            "lineno",
            "cursorpos",
            "tool",
            "machine",
            "user_agent",
            "ai_session",
            "ai_input_tokens",
            "ai_output_tokens",
            "ai_cache_read_tokens",
            "ai_model",
            "ai_prompts",
            "ai_line_changes",
            "human_line_changes",
            "zz");

    /** A valid item with one field replaced by any value: may or may not be valid. */
    static Arbitrary<JsonNode> mutated() {
        return Combinators.combine(valid(), Arbitraries.of(FIELDS), anyValue()).as((o, f, v) -> {
            o.set(f, v);
            return (JsonNode) o;
        });
    }

    /** A valid item broken on purpose, each way a refusal the parser promises. */
    static Arbitrary<JsonNode> broken() {
        return Combinators.combine(
                        valid(),
                        Arbitraries.integers().between(0, 9),
                        Arbitraries.strings().ofMaxLength(8))
                .as((o, how, s) -> {
                    switch (how) {
                        case 0 -> o.remove("time");
                        case 1 -> o.put("time", "t" + s);
                        case 2 -> o.put("time", -1 - Math.abs(s.hashCode()));
                        case 3 -> o.put("time", NOW_S + 7200 + s.length());
                        case 4 -> o.put("entity", "/a\u0000" + s);
                        case 5 -> o.put("project", "p\ud800" + s);
                        case 6 -> o.put("entity", "e".repeat(2049) + s);
                        case 7 -> o.set("entity", F.arrayNode().add(s));
                        case 8 -> o.put("lines", -1 - s.length());
                        default -> o.put("time", NOW_S - 400L * 86_400);
                    }
                    return (JsonNode) o;
                });
    }

    @Provide
    Arbitrary<List<Item>> batches() {
        Arbitrary<Item> item = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, valid().map(o -> new Item(Kind.VALID, o))),
                net.jqwik.api.Tuple.of(3, broken().map(o -> new Item(Kind.BROKEN, o))),
                net.jqwik.api.Tuple.of(3, mutated().map(o -> new Item(Kind.ANY, o))),
                net.jqwik.api.Tuple.of(1, anyValue().map(v -> new Item(v.isObject() ? Kind.ANY : Kind.BROKEN, v))));
        return item.list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(PATHS);
    }

    /** Bodies near JSON: valid ones cut short, with characters inserted, or not JSON at all. */
    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> json = batches().map(items -> {
            var a = F.arrayNode();
            items.forEach(i -> a.add(i.json()));
            try {
                return ESCAPING.writeValueAsString(a);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
        Arbitrary<String> cut = Combinators.combine(json, Arbitraries.doubles().between(0, 1))
                .as((s, f) -> s.substring(0, (int) (s.length() * f)));
        Arbitrary<String> spliced = Combinators.combine(
                        json,
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.strings()
                                .withChars("{}[]\",:\\0-eE.tfn \u0000\ud800")
                                .ofMinLength(1)
                                .ofMaxLength(4))
                .as((s, f, ins) -> {
                    int at = (int) (s.length() * f);
                    return s.substring(0, at) + ins + s.substring(at);
                });
        Arbitrary<String> nested = Arbitraries.integers().between(1, 200).map(d -> "[".repeat(d) + "]".repeat(d));
        Arbitrary<String> doubleEncoded = json.map(s -> F.textNode(s).toString());
        return Arbitraries.oneOf(
                json,
                cut,
                spliced,
                nested,
                doubleEncoded,
                anyValue().map(JsonNode::toString),
                Arbitraries.strings().ofMaxLength(200));
    }

    @Provide
    Arbitrary<byte[]> rawBodies() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> flipped = Combinators.combine(
                        bodies(), Arbitraries.integers().between(0, 10_000), Arbitraries.bytes())
                .as((s, at, b) -> {
                    byte[] x = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    if (x.length > 0) {
                        x[at % x.length] = b;
                    }
                    return x;
                });
        return Arbitraries.oneOf(random, flipped);
    }
}
