package dev.devtime.functions.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.Log;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.auth.Principal;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.JsonBody;
import dev.devtime.functions.queue.HeartbeatQueue;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.wakatime.HeartbeatId;
import dev.devtime.model.wire.HeartbeatParser;
import dev.devtime.model.wire.ParseResult;
import dev.devtime.model.wire.Placeholders;
import dev.devtime.model.wire.RequestMeta;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Accepts heartbeats: authenticates, validates each item on its own, queues the valid ones and answers
 * per item, so one bad item never costs the good ones beside it.
 */
public final class IngestService {

    public static final int MAX_ITEMS = 1000;

    private final Authenticator auth;
    private final HeartbeatQueue queue;
    private final Clock clock;
    private final long maxAgeMs;
    private final BucketStore buckets;
    private final RateLimiter limiter;

    /**
     * @param buckets read (never written) to resolve {@code <<LAST_PROJECT>>} and its kin
     * @param limiter heartbeats per user and minute, checked before anything is queued
     */
    public IngestService(
            Authenticator auth,
            HeartbeatQueue queue,
            Clock clock,
            long maxAgeMs,
            BucketStore buckets,
            RateLimiter limiter) {
        this.buckets = buckets;
        this.limiter = limiter;
        this.auth = auth;
        this.queue = queue;
        this.clock = clock;
        this.maxAgeMs = maxAgeMs;
    }

    /** WakaTime's {@code POST /users/{user}/heartbeats}: one heartbeat (or, from some clients, a list). */
    public APIGatewayV2HTTPResponse wakatimeSingle(HttpRequest request) {
        Principal principal = writer(request);
        return wakatime(request, principal, JsonBody.parse(request.body()), false);
    }

    /** WakaTime's {@code POST /users/{user}/heartbeats.bulk}. */
    public APIGatewayV2HTTPResponse wakatimeBulk(HttpRequest request) {
        Principal principal = writer(request);
        return wakatime(request, principal, JsonBody.parse(request.body()), true);
    }

    /** {@code POST /api/heartbeat}: one heartbeat in DevTime's own shape. */
    public APIGatewayV2HTTPResponse nativeSingle(HttpRequest request) {
        Principal principal = writer(request);
        return nativeSingle(request, principal, JsonBody.parse(request.body()));
    }

    /** {@code POST /api/heartbeat/batch}. */
    public APIGatewayV2HTTPResponse nativeBatch(HttpRequest request) {
        Principal principal = writer(request);
        return nativeBatch(request, principal, JsonBody.parse(request.body()));
    }

    /** The caller, who must be the path's user and may send heartbeats. */
    private Principal writer(HttpRequest request) {
        Principal principal = auth.authenticateOwner(request);
        if (principal.readOnly()) {
            throw new HttpException(403, "this API key is read-only; it cannot send heartbeats");
        }
        return principal;
    }

    private APIGatewayV2HTTPResponse wakatime(HttpRequest request, Principal principal, JsonNode body, boolean bulk) {
        // VS Code's web build double-encodes: the body is a JSON string holding the JSON.
        if (body.isTextual()) {
            body = JsonBody.parse(body.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        boolean single = body.isObject();
        List<JsonNode> items = itemsOf(body);
        List<ParseResult> results = resolvePlaceholders(principal, parseAll(request, items));
        enqueue(principal, results);
        if (single && !bulk) {
            ParseResult r = results.get(0);
            // WakaTime answers a single heartbeat 201 {"data": {...}}; its bulk route 202 with tuples.
            return r.isOk() ? HttpResponses.json(201, dataOf(r.heartbeat())) : HttpResponses.error(400, r.error());
        }
        ObjectNode out = HttpResponses.JSON.createObjectNode();
        ArrayNode responses = out.putArray("responses");
        for (ParseResult r : results) {
            ArrayNode tuple = responses.addArray();
            if (r.isOk()) {
                tuple.add(dataOf(r.heartbeat())).add(201);
            } else {
                tuple.add(HttpResponses.JSON.createObjectNode().put("error", r.error()))
                        .add(400);
            }
        }
        return HttpResponses.json(202, out);
    }

    private APIGatewayV2HTTPResponse nativeSingle(HttpRequest request, Principal principal, JsonNode body) {
        if (!body.isObject()) {
            throw new HttpException(400, "send one heartbeat as a JSON object (use /api/heartbeat/batch for several)");
        }
        List<ParseResult> results = parseAll(request, List.of(body));
        enqueue(principal, results);
        ParseResult r = results.get(0);
        ObjectNode out = HttpResponses.JSON.createObjectNode().put("ok", r.isOk());
        if (!r.isOk()) {
            out.put("error", r.error());
            return HttpResponses.json(400, out);
        }
        return HttpResponses.json(202, out);
    }

    private APIGatewayV2HTTPResponse nativeBatch(HttpRequest request, Principal principal, JsonNode body) {
        JsonNode list = body.isObject() ? body.get("heartbeats") : body;
        if (list == null || !list.isArray()) {
            throw new HttpException(400, "send {\"heartbeats\": [...]}");
        }
        List<ParseResult> results = parseAll(request, itemsOf(list));
        enqueue(principal, results);
        ObjectNode out = HttpResponses.JSON.createObjectNode();
        ArrayNode errors = HttpResponses.JSON.createArrayNode();
        int accepted = 0;
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).isOk()) {
                accepted++;
            } else {
                errors.addObject().put("index", i).put("error", results.get(i).error());
            }
        }
        out.put("ok", accepted > 0 || results.isEmpty());
        out.put("accepted", accepted);
        out.put("rejected", errors.size());
        out.set("errors", errors);
        return HttpResponses.json(accepted == 0 && !results.isEmpty() ? 400 : 202, out);
    }

    /** wakatime-cli's {@code POST /plugins/errors}: a read-only key may report too. */
    public APIGatewayV2HTTPResponse pluginError(HttpRequest request) {
        Principal principal = auth.authenticate(request);
        // Plugin error reports can hold paths and code; log only that one arrived and how big it was.
        Log.info(
                "plugin error reported",
                "user",
                principal.userId(),
                "bytes",
                request.body().length,
                "userAgent",
                request.header("user-agent"));
        // wakatime-cli counts any status but 201 as a failed report.
        return HttpResponses.json(201, HttpResponses.JSON.createObjectNode().put("ok", true));
    }

    private static List<JsonNode> itemsOf(JsonNode body) {
        List<JsonNode> items = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(items::add);
        } else if (body.isObject()) {
            items.add(body);
        } else {
            throw new HttpException(400, "send a heartbeat object or an array of them");
        }
        if (items.isEmpty()) {
            throw new HttpException(400, "no heartbeats in the request");
        }
        if (items.size() > MAX_ITEMS) {
            throw new HttpException(
                    400, "too many heartbeats in one request: " + items.size() + " (at most " + MAX_ITEMS + ")");
        }
        return items;
    }

    private List<ParseResult> parseAll(HttpRequest request, List<JsonNode> items) {
        RequestMeta meta = new RequestMeta(
                request.header("user-agent"), request.header("x-machine-name"), clock.millis(), maxAgeMs);
        List<ParseResult> out = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            out.add(HeartbeatParser.parse(item, meta));
        }
        return out;
    }

    /**
     * {@code <<LAST_PROJECT>>} and its kin, from the request itself and the user's stored heartbeats of the
     * two hours before (one Query of at most 8 small bucket items, only for a request that has a
     * placeholder; the day before if those are empty, at most 96). No write: the buckets already hold
     * the latest values. Heartbeats still in the queue are not seen, a lag of seconds.
     */
    private List<ParseResult> resolvePlaceholders(Principal principal, List<ParseResult> results) {
        long earliest = Placeholders.earliest(results);
        if (earliest < 0) {
            return results;
        }
        List<Heartbeat> stored = new ArrayList<>();
        for (long window : new long[] {2 * 3_600_000L, 24 * 3_600_000L}) {
            buckets.query(principal.userId(), earliest - window, earliest + 1)
                    .forEach(b -> stored.addAll(b.heartbeats()));
            if (!stored.isEmpty()) {
                break;
            }
        }
        return Placeholders.resolve(results, stored);
    }

    private void enqueue(Principal principal, List<ParseResult> results) {
        List<Heartbeat> accepted = new ArrayList<>();
        for (ParseResult r : results) {
            if (r.isOk()) {
                accepted.add(r.heartbeat());
            }
        }
        // Refused whole, before queuing: nothing of a 429 was accepted, so the client's retry loses nothing.
        RateLimiter.Decision d = limiter.tryAcquire(principal.userId(), accepted.size());
        if (!d.allowed()) {
            Log.warn(
                    "rate limited",
                    "user",
                    principal.userId(),
                    "heartbeats",
                    accepted.size(),
                    "retryAfterSeconds",
                    d.retryAfterSeconds());
            throw new HttpException(
                    429,
                    "too many heartbeats: at most " + limiter.perMinute() + " a minute (bursts of "
                            + limiter.burst() + "); nothing of this request was stored, send it again in "
                            + d.retryAfterSeconds()
                            + " s",
                    java.util.Map.of("Retry-After", Long.toString(d.retryAfterSeconds())));
        }
        queue.send(principal.userId(), accepted, clock.millis());
    }

    private static ObjectNode dataOf(Heartbeat h) {
        ObjectNode data = HttpResponses.JSON.createObjectNode();
        ObjectNode d = data.putObject("data");
        d.put("id", HeartbeatId.of(h));
        d.put("entity", h.entity());
        d.put("type", h.type());
        d.put("category", h.category());
        d.put("time", java.math.BigDecimal.valueOf(h.timeMs(), 3));
        d.put("project", h.project());
        return data;
    }
}
