package dev.devtime.functions.account;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.Log;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.auth.Principal;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.JsonBody;
import dev.devtime.functions.queue.HeartbeatQueue;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.store.KeyStore;
import dev.devtime.functions.store.KeyStore.ApiKey;
import dev.devtime.functions.store.PublicProfiles;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.functions.store.SettingsStore.Settings;
import dev.devtime.functions.store.UserDataStore;
import dev.devtime.functions.team.TeamUpkeep;
import dev.devtime.model.Timing;
import dev.devtime.model.time.TimeAccounting;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The dashboard's account routes: who am I, API keys (create, list, label, revoke), settings (a change of
 * time zone or timeout recomputes every day through the queue), and account deletion (finished through the queue).
 */
public final class AccountService {

    static final int MAX_KEYS = 20;
    static final int MAX_LABEL = 100;
    static final int MAX_RETENTION_DAYS = 3650;

    private final Authenticator auth;
    private final KeyStore keys;
    private final SettingsStore settings;
    private final UserDataStore data;
    private final PublicProfiles profiles;
    private final HeartbeatQueue queue;
    private final Clock clock;
    private final ExportService export;
    private final ImportService importer;
    private final TeamUpkeep teamUpkeep;

    public AccountService(
            Authenticator auth,
            KeyStore keys,
            SettingsStore settings,
            UserDataStore data,
            PublicProfiles profiles,
            HeartbeatQueue queue,
            Clock clock,
            ExportService export,
            ImportService importer,
            TeamUpkeep teamUpkeep) {
        this.teamUpkeep = teamUpkeep;
        this.export = export;
        this.importer = importer;
        this.auth = auth;
        this.keys = keys;
        this.settings = settings;
        this.data = data;
        this.profiles = profiles;
        this.queue = queue;
        this.clock = clock;
    }

    /** {@code GET /api/me}. */
    public APIGatewayV2HTTPResponse me(HttpRequest request) {
        return HttpResponses.json(
                200,
                HttpResponses.JSON
                        .createObjectNode()
                        .put("user_id", signedIn(request).userId()));
    }

    /** {@code POST /api/auth/token}: a new API key, shown this once. */
    public APIGatewayV2HTTPResponse createKey(HttpRequest request) {
        return createKey(request, signedIn(request));
    }

    /** {@code GET /api/keys}. */
    public APIGatewayV2HTTPResponse listKeys(HttpRequest request) {
        return listKeys(signedIn(request));
    }

    /** {@code PATCH /api/keys/{id}}: a new label. */
    public APIGatewayV2HTTPResponse relabel(HttpRequest request) {
        return relabel(request, signedIn(request), request.pathParameter("id"));
    }

    /** {@code DELETE /api/keys/{id}}. */
    public APIGatewayV2HTTPResponse revoke(HttpRequest request) {
        return revoke(signedIn(request), request.pathParameter("id"));
    }

    /** {@code GET /api/settings}. */
    public APIGatewayV2HTTPResponse getSettings(HttpRequest request) {
        Principal p = signedIn(request);
        return HttpResponses.json(
                200, settingsJson(settings.get(p.userId())).put("public", profiles.isPublic(p.userId())));
    }

    /** {@code PUT /api/settings}. */
    public APIGatewayV2HTTPResponse putSettings(HttpRequest request) {
        return updateSettings(request, signedIn(request));
    }

    /** {@code GET /api/export}. */
    public APIGatewayV2HTTPResponse export(HttpRequest request) {
        return export.export(request, signedIn(request).userId());
    }

    /** {@code POST /api/import}. */
    public APIGatewayV2HTTPResponse importHeartbeats(HttpRequest request) {
        Principal p = signedIn(request);
        settings.markReturned(p.userId(), clock.millis());
        return importer.importBody(request, p.userId());
    }

    /** {@code DELETE /api/account}. */
    public APIGatewayV2HTTPResponse deleteAccount(HttpRequest request) {
        return deleteAccount(signedIn(request));
    }

    /** The dashboard's user: account routes refuse API keys, which plugins and scripts hold. */
    private Principal signedIn(HttpRequest request) {
        Principal p = auth.authenticate(request);
        if (p.viaApiKey()) {
            throw new HttpException(403, "account routes need a dashboard sign-in, not an API key");
        }
        return p;
    }

    private APIGatewayV2HTTPResponse createKey(HttpRequest request, Principal p) {
        JsonNode body =
                request.body().length == 0 ? HttpResponses.JSON.createObjectNode() : JsonBody.parse(request.body());
        if (!body.isObject()) {
            throw new HttpException(400, "send {\"label\": \"...\", \"read_only\": false} or no body");
        }
        if (body.has("label") && !body.get("label").isTextual()) {
            throw new HttpException(400, "label must be a string");
        }
        String label = label(body.path("label").asText("API key"));
        boolean readOnly = bool(body, "read_only", false);
        int listed = keys.list(p.userId()).size();
        String key = ApiKeys.generate();
        ApiKey stored = new ApiKey(ApiKeys.newId(), p.userId(), ApiKeys.hash(key), label, readOnly, clock.millis(), 0);
        try {
            keys.create(stored, listed, MAX_KEYS);
        } catch (KeyStore.LimitReached e) {
            throw new HttpException(409, "you have " + MAX_KEYS + " keys already; revoke one first");
        }
        settings.markReturned(p.userId(), clock.millis());
        Log.info("api key created", "user", p.userId(), "keyId", stored.id());
        ObjectNode out = keyJson(stored);
        out.put("key", key);
        return HttpResponses.json(201, out);
    }

    private APIGatewayV2HTTPResponse listKeys(Principal p) {
        ObjectNode out = HttpResponses.JSON.createObjectNode();
        ArrayNode list = out.putArray("keys");
        keys.list(p.userId()).stream()
                .sorted((a, b) -> Long.compare(a.createdMs(), b.createdMs()))
                .forEach(k -> list.add(keyJson(k)));
        return HttpResponses.json(200, out);
    }

    private APIGatewayV2HTTPResponse relabel(HttpRequest request, Principal p, String id) {
        JsonNode body = JsonBody.parse(request.body());
        if (!body.path("label").isTextual()) {
            throw new HttpException(400, "send {\"label\": \"...\"}");
        }
        ApiKey k = keys.relabel(p.userId(), id, label(body.get("label").asText()));
        if (k == null) {
            throw new HttpException(404, "no such key");
        }
        return HttpResponses.json(200, keyJson(k));
    }

    private APIGatewayV2HTTPResponse revoke(Principal p, String id) {
        if (!keys.delete(p.userId(), id)) {
            throw new HttpException(404, "no such key");
        }
        auth.invalidate();
        Log.info("api key revoked", "user", p.userId(), "keyId", id);
        return HttpResponses.raw(204, "", "application/json", Map.of());
    }

    private APIGatewayV2HTTPResponse updateSettings(HttpRequest request, Principal p) {
        JsonNode body = JsonBody.parse(request.body());
        if (!body.isObject()) {
            throw new HttpException(400, "send the settings as a JSON object");
        }
        Settings old = settings.get(p.userId());
        ZoneId zone = old.timing().zone();
        if (body.has("timezone")) {
            try {
                if (!body.get("timezone").isTextual()) {
                    throw new DateTimeException("not a string");
                }
                zone = ZoneId.of(body.get("timezone").asText());
            } catch (DateTimeException e) {
                throw new HttpException(400, "timezone must be an IANA time zone such as Europe/Berlin");
            }
        }
        int timeout = wholeNumber(
                body,
                "timeout_minutes",
                Timing.MIN_TIMEOUT_MINUTES,
                Timing.MAX_TIMEOUT_MINUTES,
                old.timing().timeoutMinutes());
        boolean hide = bool(body, "hide_file_names", old.hideFileNames());
        List<String> excluded = old.excludedProjects();
        if (body.has("excluded_projects")) {
            JsonNode e = body.get("excluded_projects");
            if (!e.isArray() || e.size() > 100) {
                throw new HttpException(400, "excluded_projects must be a list of at most 100 project names");
            }
            List<String> list = new ArrayList<>();
            for (JsonNode n : e) {
                if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > 512) {
                    throw new HttpException(400, "excluded_projects must hold project names");
                }
                list.add(n.asText());
            }
            excluded = List.copyOf(list);
        }
        Boolean makePublic = body.has("public") ? bool(body, "public", false) : null;
        // 0 keeps raw heartbeats forever.
        int retention = wholeNumber(body, "retention_days", 0, MAX_RETENTION_DAYS, old.retentionDays());
        boolean timingChanged =
                !zone.equals(old.timing().zone()) || timeout != old.timing().timeoutMinutes();
        long version = old.timing().version() + (timingChanged ? 1 : 0);
        Settings updated = new Settings(new Timing(zone, timeout, version), hide, excluded, retention);
        settings.put(p.userId(), updated);
        // Public sharing (badges, public stats) changes no time accounting: its own item, no new version.
        if (makePublic != null && makePublic != profiles.isPublic(p.userId())) {
            profiles.setPublic(p.userId(), makePublic, clock.millis());
            // The instance's leaderboard holds copies of public users' recent days only.
            if (makePublic) {
                teamUpkeep.backfill(p.userId(), null, TeamUpkeep.LEADER_DAYS);
            } else {
                teamUpkeep.removeRows(p.userId(), null);
            }
        }
        int recomputing = 0;
        if (timingChanged) {
            List<LocalDate> days = daysToRecompute(p.userId(), updated.timing());
            queue.recompute(p.userId(), days, clock.millis());
            recomputing = days.size();
        }
        ObjectNode out = settingsJson(updated);
        out.put("public", profiles.isPublic(p.userId()));
        out.put("recomputing_days", recomputing);
        return HttpResponses.json(200, out);
    }

    /** Every day that has a rollup now, and every day the raw heartbeats fall on under the new settings. */
    private List<LocalDate> daysToRecompute(String userId, Timing s) {
        TreeSet<LocalDate> days = new TreeSet<>(data.storedDays(userId));
        for (long start : data.bucketStarts(userId)) {
            days.addAll(TimeAccounting.affectedDays(start, s));
            days.addAll(TimeAccounting.affectedDays(start + BucketStore.BUCKET_MS - 1, s));
        }
        return new ArrayList<>(days);
    }

    /**
     * Revokes the keys and writes the tombstone, which hides the account at once, then leaves the data to the
     * aggregator, a part per queue message ({@code AccountDeletion}): a multi-year account is too much to
     * delete within API Gateway's 29 s. Asking again is harmless and restarts a chain that ended in the
     * dead-letter queue.
     */
    private APIGatewayV2HTTPResponse deleteAccount(Principal p) {
        // Keys first, so nothing new arrives; the tombstone stops messages already queued.
        for (ApiKey k : keys.list(p.userId())) {
            keys.delete(p.userId(), k.id());
        }
        auth.invalidate();
        long now = clock.millis();
        settings.markDeleted(p.userId(), now);
        queue.deleteAccount(p.userId(), now);
        Log.info("account deletion started", "user", p.userId());
        return HttpResponses.json(202, HttpResponses.JSON.createObjectNode().put("status", "deleting"));
    }

    /**
     * An integer setting within [min, max], or {@code fallback} when the body does not set it. The range is checked
     * on the number as sent, before any narrowing: 4294967297 is refused, not read as 1.
     */
    private static int wholeNumber(JsonNode body, String field, int min, int max, int fallback) {
        if (!body.has(field)) {
            return fallback;
        }
        JsonNode v = body.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw new HttpException(400, field + " must be a whole number from " + min + " to " + max);
        }
        return v.intValue();
    }

    private static boolean bool(JsonNode body, String field, boolean fallback) {
        if (!body.has(field)) {
            return fallback;
        }
        if (!body.get(field).isBoolean()) {
            throw new HttpException(400, field + " must be true or false");
        }
        return body.get(field).booleanValue();
    }

    private static String label(String label) {
        String l = label.trim();
        if (l.isEmpty() || l.length() > MAX_LABEL || l.chars().anyMatch(Character::isISOControl)) {
            throw new HttpException(400, "label must be 1 to " + MAX_LABEL + " printable characters");
        }
        return l;
    }

    private static ObjectNode keyJson(ApiKey k) {
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.put("id", k.id());
        o.put("label", k.label());
        o.put("read_only", k.readOnly());
        o.put("created_at", Instant.ofEpochMilli(k.createdMs()).toString());
        if (k.lastUsedMs() > 0) {
            o.put("last_used_at", Instant.ofEpochMilli(k.lastUsedMs()).toString());
        } else {
            o.putNull("last_used_at");
        }
        return o;
    }

    private static ObjectNode settingsJson(Settings s) {
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.put("timezone", s.timing().zone().getId());
        o.put("timeout_minutes", s.timing().timeoutMinutes());
        o.put("hide_file_names", s.hideFileNames());
        ArrayNode ex = o.putArray("excluded_projects");
        s.excludedProjects().forEach(ex::add);
        o.put("retention_days", s.retentionDays());
        return o;
    }
}
