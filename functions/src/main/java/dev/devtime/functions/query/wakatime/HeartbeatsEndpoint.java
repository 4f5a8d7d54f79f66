package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.aggregate.Aggregator;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.auth.Principal;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.JsonBody;
import dev.devtime.functions.http.Pages;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.store.BucketWriter;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.time.TimeAccounting;
import dev.devtime.model.time.Timeline;
import dev.devtime.model.wakatime.HeartbeatId;
import dev.devtime.model.wakatime.WakaTimeJson;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@code GET /users/current/heartbeats?date=} and {@code DELETE /users/current/heartbeats.bulk}: the raw heartbeats. */
public final class HeartbeatsEndpoint {

    /** Heartbeat ids one delete may name. */
    static final int MAX_DELETE_IDS = 1000;

    private final Authenticator auth;
    private final SettingsStore settings;
    private final BucketStore buckets;
    private final BucketWriter bucketWriter;
    private final Aggregator aggregator;

    public HeartbeatsEndpoint(
            Authenticator auth,
            SettingsStore settings,
            BucketStore buckets,
            BucketWriter bucketWriter,
            Aggregator aggregator) {
        this.auth = auth;
        this.settings = settings;
        this.buckets = buckets;
        this.bucketWriter = bucketWriter;
        this.aggregator = aggregator;
    }

    /**
     * {@code GET heartbeats?date=}: the day's heartbeats in time order, a page at a time ({@link Pages}); WakaTime
     * answers the whole day at once, which for a busy day is more than Lambda may answer.
     */
    public APIGatewayV2HTTPResponse list(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        Timing s = settings.timing(user);
        LocalDate day = WakaParams.requiredDate(request, "date");
        ZoneId zone = WakaParams.zone(request, s);
        Pages.Cursor cursor = Pages.Cursor.of(request);
        long from = TimeAccounting.dayStartMs(day, zone);
        long to = TimeAccounting.dayStartMs(day.plusDays(1), zone);
        // Later pages read from the cursor's bucket on: every heartbeat of the cursor's time is in it.
        long readFrom = Math.max(from, BucketStore.bucketStart(Math.max(from, cursor.timeMs())));
        List<Heartbeat> all = new ArrayList<>();
        for (BucketStore.Bucket b : buckets.query(user, readFrom, to)) {
            for (Heartbeat h : b.heartbeats()) {
                if (h.timeMs() >= from && h.timeMs() < to) {
                    all.add(h);
                }
            }
        }
        Pages.Page page = Pages.page(Timeline.of(all), Heartbeat::timeMs, h -> WakaTimeJson.heartbeat(h, zone), cursor);
        ObjectNode rest = HttpResponses.JSON.createObjectNode();
        rest.put("start", WakaTimeJson.iso(Instant.ofEpochMilli(from), zone));
        rest.put("end", WakaTimeJson.iso(Instant.ofEpochMilli(to - 1000), zone));
        rest.put("timezone", zone.getId());
        return HttpResponses.raw(200, Pages.body("data", page, rest), "application/json", Map.of());
    }

    /**
     * {@code DELETE heartbeats.bulk} with {@code {"date": "...", "ids": [...]}}: removes those heartbeats from their
     * buckets (through {@link BucketWriter}, as the aggregator writes them) and recomputes the days they touched.
     * An emptied bucket is kept (empty, with a higher version) so the recomputed day's source counter still grows
     * and the rewrite lands.
     */
    public APIGatewayV2HTTPResponse delete(HttpRequest request) {
        Principal principal = auth.authenticateOwner(request);
        if (principal.readOnly()) {
            throw new HttpException(403, "this API key is read-only; it cannot delete heartbeats");
        }
        JsonNode body = JsonBody.parse(request.body());
        JsonNode ids = body.get("ids");
        if (ids == null || !ids.isArray()) {
            throw new HttpException(400, "send {\"date\": \"YYYY-MM-DD\", \"ids\": [\"...\"]}");
        }
        if (ids.size() > MAX_DELETE_IDS) {
            throw new HttpException(400, "at most " + MAX_DELETE_IDS + " ids per request");
        }
        Map<Long, Set<String>> byBucket = new TreeMap<>();
        for (JsonNode id : ids) {
            long t = HeartbeatId.timeOf(id.asText());
            if (t < 0) {
                throw new HttpException(400, "'" + id.asText() + "' is not a heartbeat id");
            }
            byBucket.computeIfAbsent(BucketStore.bucketStart(t), k -> new HashSet<>())
                    .add(id.asText());
        }
        String user = principal.userId();
        SettingsStore.Settings all = settings.get(user);
        Timing s = all.timing();
        Set<LocalDate> affected = new TreeSet<>();
        int deleted = 0;
        for (Map.Entry<Long, Set<String>> e : byBucket.entrySet()) {
            List<Heartbeat> gone;
            try {
                // A stale read could miss the heartbeats and delete nothing: read consistently.
                gone = bucketWriter.rewrite(user, e.getKey(), all, false, stored -> {
                    List<Heartbeat> keep = new ArrayList<>();
                    List<Heartbeat> removed = new ArrayList<>();
                    for (Heartbeat h : stored) {
                        (e.getValue().contains(HeartbeatId.of(h)) ? removed : keep).add(h);
                    }
                    return removed.isEmpty() ? null : new BucketWriter.Change<>(keep, removed);
                });
            } catch (BucketWriter.Conflict c) {
                throw new HttpException(409, "those heartbeats kept changing; please retry");
            }
            if (gone != null) {
                deleted += gone.size();
                gone.forEach(h -> affected.addAll(TimeAccounting.affectedDays(h.timeMs(), s)));
            }
        }
        for (LocalDate d : affected) {
            aggregator.recompute(user, d, all);
        }
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.putObject("data").put("deleted", deleted);
        return HttpResponses.json(200, o);
    }
}
