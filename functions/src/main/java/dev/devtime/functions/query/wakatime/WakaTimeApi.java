package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.aggregate.Aggregator;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.auth.Principal;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.JsonBody;
import dev.devtime.functions.http.Pages;
import dev.devtime.functions.http.Params;
import dev.devtime.functions.query.GoalsService;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.aggregate.RollupReader;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.DurationFormat;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.UserSettings;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.Dimension;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.rollup.Session;
import dev.devtime.model.rollup.Stats;
import dev.devtime.model.time.TimeAccounting;
import dev.devtime.model.time.Timeline;
import dev.devtime.model.wakatime.Badge;
import dev.devtime.model.wakatime.HeartbeatId;
import dev.devtime.model.wakatime.WakaDurations;
import dev.devtime.model.wakatime.WakaRange;
import dev.devtime.model.wakatime.WakaTimeJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * WakaTime's read API over DevTime's data (see docs/wakatime.md): summaries, stats, durations, all time,
 * heartbeats (list and delete), projects, user agents, and the public badges.
 *
 * <p>Summaries and stats read the day rollups, which are cut at the user's time-zone setting. A
 * {@code timezone} parameter naming another zone is honoured exactly for ranges of up to
 * {@link #MAX_RAW_DAYS} days by recomputing from the raw heartbeats (about 100 small bucket items a day);
 * longer ranges are answered in the user's zone and say so in {@code timezone}. Durations and heartbeats
 * always come from the raw heartbeats, so they honour any zone.
 */
public final class WakaTimeApi {

    public static final int MAX_RAW_DAYS = 7;
    /** Projects a page of {@code projects} lists; with names of up to 512 characters a page stays near 2 MB. */
    static final int PROJECTS_PER_PAGE = 1000;

    private final Authenticator auth;
    private final RollupReader days;
    private final BucketStore buckets;
    private final SettingsStore settings;
    private final PublicProfiles profiles;
    private final Aggregator aggregator;
    private final GoalsService goals;
    private final long rawRetentionDays;
    private final Clock clock;

    public WakaTimeApi(Authenticator auth, RollupReader days, BucketStore buckets, SettingsStore settings,
                       PublicProfiles profiles, Aggregator aggregator, GoalsService goals, long rawRetentionDays,
                       Clock clock) {
        this.auth = auth;
        this.days = days;
        this.buckets = buckets;
        this.settings = settings;
        this.profiles = profiles;
        this.aggregator = aggregator;
        this.goals = goals;
        this.rawRetentionDays = rawRetentionDays;
        this.clock = clock;
    }

    // ---- endpoints: the caller's own data under /users/current or /users/{their id} ---------------

    /** {@code GET /users/{user}}. */
    public APIGatewayV2HTTPResponse currentUser(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        return currentUser(user, settings.timing(user));
    }

    /** {@code GET /users/{user}/summaries}. */
    public APIGatewayV2HTTPResponse summaries(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        return summaries(request, user, settings.timing(user));
    }

    /**
     * {@code GET /users/{user}/stats[/{range}]}: the caller's own, or another user's public stats (readme-stats
     * style tools read them without credentials).
     */
    public APIGatewayV2HTTPResponse stats(HttpRequest request) {
        String named = Params.pathUser(request);
        String range = request.pathParameter("range") == null ? "last_7_days" : request.pathParameter("range");
        if (named != null && !hasCredentials(request)) {
            return publicStats(request, named, range);
        }
        String user = auth.authenticate(request).userId();
        if (named != null && !named.equals(user)) {
            // Another user's data: only what they share publicly.
            return publicStats(request, named, range);
        }
        return stats(request, user, settings.timing(user), range);
    }

    /** {@code GET /users/{user}/durations}. */
    public APIGatewayV2HTTPResponse durations(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        return durations(request, user, settings.timing(user));
    }

    /** {@code GET /users/{user}/all_time_since_today}. */
    public APIGatewayV2HTTPResponse allTime(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        return allTime(request, user, settings.timing(user));
    }

    /** {@code GET /users/{user}/heartbeats}. */
    public APIGatewayV2HTTPResponse heartbeats(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        return heartbeats(request, user, settings.timing(user));
    }

    /** {@code GET /users/{user}/projects}. */
    public APIGatewayV2HTTPResponse projects(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        return projects(request, user, settings.timing(user));
    }

    /** {@code GET /users/{user}/user_agents}. */
    public APIGatewayV2HTTPResponse userAgents(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        return userAgents(user, settings.timing(user));
    }

    /** {@code GET /users/{user}/statusbar/today}: the most frequent read (every plugin sync). */
    public APIGatewayV2HTTPResponse statusbar(HttpRequest request) {
        return statusbar(auth.authenticateOwner(request).userId());
    }

    /** {@code GET /users/{user}/goals}. */
    public APIGatewayV2HTTPResponse goals(HttpRequest request) {
        return goals.list(auth.authenticateOwner(request).userId());
    }

    /** {@code GET /users/{user}/goals/{id}}. */
    public APIGatewayV2HTTPResponse goal(HttpRequest request) {
        return goals.one(auth.authenticateOwner(request).userId(), request.pathParameter("id"));
    }

    /** {@code DELETE /users/{user}/heartbeats.bulk}. */
    public APIGatewayV2HTTPResponse deleteHeartbeats(HttpRequest request) {
        return deleteHeartbeats(request, auth.authenticateOwner(request));
    }

    /** {@code POST /users/{user}/file_experts}. */
    public APIGatewayV2HTTPResponse fileExperts(HttpRequest request) {
        return fileExperts(request, auth.authenticateOwner(request).userId());
    }

    /** {@code GET /api/badge/{user}}: shields.io's endpoint JSON. */
    public APIGatewayV2HTTPResponse badgeJson(HttpRequest request) {
        return badge(request, false);
    }

    /** {@code GET /api/badge/{user}/svg}. */
    public APIGatewayV2HTTPResponse badgeSvg(HttpRequest request) {
        return badge(request, true);
    }

    private static boolean hasCredentials(HttpRequest request) {
        return request.authorizerClaims() != null || request.header("authorization") != null
                || request.query("api_key") != null;
    }

    private LocalDate today(ZoneId zone) {
        return LocalDate.now(clock.withZone(zone));
    }

    private WakaRange range(String name, String user, UserSettings s) {
        try {
            return WakaRange.of(name, today(s.zone()), () -> days.firstDay(user));
        } catch (WakaRange.UnknownRange e) {
            throw new HttpException(400, e.getMessage());
        }
    }

    /**
     * {@code GET /users/current}: the fields tools read to greet the user and to cut days. DevTime has no
     * user names; the user id stands in for one (it is also what public stats and badges are addressed by).
     */
    private APIGatewayV2HTTPResponse currentUser(String user, UserSettings s) {
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.putObject("data").put("id", user).put("username", user).put("display_name", user)
                .putNull("full_name").putNull("email").putNull("photo").put("timezone", s.zone().getId())
                .put("timeout", s.timeoutMinutes()).put("writes_only", false)
                .put("is_email_public", false).put("photo_public", false)
                .put("has_premium_features", false).put("plan", "self-hosted");
        return HttpResponses.json(200, o);
    }

    // ---- summaries ------------------------------------------------------------------------------

    private APIGatewayV2HTTPResponse summaries(HttpRequest request, String user, UserSettings s) {
        LocalDate start;
        LocalDate end;
        if (request.query("range") != null) {
            WakaRange r = range(request.query("range"), user, s);
            start = r.start();
            end = r.end();
        } else if (request.query("start") != null && request.query("end") != null) {
            start = Params.date(request.query("start"), "start");
            end = Params.date(request.query("end"), "end");
            if (end.isBefore(start)) {
                throw new HttpException(400, "end is before start");
            }
            if (start.plusDays(dev.devtime.functions.query.DateRange.MAX_DAYS).isBefore(end)) {
                throw new HttpException(400, "a range may span at most " + dev.devtime.functions.query.DateRange.MAX_DAYS + " days");
            }
        } else {
            throw new HttpException(400, "give range (e.g. Last 7 Days) or start and end (YYYY-MM-DD)");
        }
        ZoneId zone = zone(request, s);
        Collection<DayRollup> rollups;
        if (zone.equals(s.zone()) || end.toEpochDay() - start.toEpochDay() >= MAX_RAW_DAYS) {
            zone = s.zone();
            rollups = days.query(user, start, end);
        } else {
            rollups = recompute(user, start, end, new UserSettings(zone, s.timeoutMinutes(), s.version()));
        }
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        if (request.query("project") != null && !request.query("project").isEmpty()) {
            filters.put(Dimension.PROJECT, request.query("project"));
        }
        Set<String> branches = list(request.query("branches"));
        List<Stats> perDay = new ArrayList<>();
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
            perDay.add(Stats.of(d, d, branches.isEmpty() ? rollups : onlyBranches(rollups, branches), filters));
        }
        return HttpResponses.json(200, WakaTimeJson.summaries(perDay, start, end, zone));
    }

    /** Rollups keeping only rows of the given branches (WakaTime's {@code branches} filter). */
    private static List<DayRollup> onlyBranches(Collection<DayRollup> rollups, Set<String> branches) {
        List<DayRollup> out = new ArrayList<>();
        for (DayRollup d : rollups) {
            List<DurationRow> rows = d.rows().stream().filter(r -> branches.contains(r.branch())).toList();
            out.add(new DayRollup(d.date(), rows, d.ai(), d.sessions(), d.heartbeats()));
        }
        return out;
    }

    /** Day rollups for another zone, computed as the aggregator would from the raw heartbeats. */
    private List<DayRollup> recompute(String user, LocalDate start, LocalDate end, UserSettings s) {
        List<Heartbeat> timeline = timeline(user, start, end, s);
        List<DayRollup> out = new ArrayList<>();
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
            out.add(TimeAccounting.day(timeline, d, s));
        }
        return out;
    }

    /** The raw heartbeats deciding the days [start, end]: the days plus one timeout on each side. */
    private List<Heartbeat> timeline(String user, LocalDate start, LocalDate end, UserSettings s) {
        long from = TimeAccounting.window(start, s)[0];
        long to = TimeAccounting.window(end, s)[1];
        return buckets.timeline(user, from, to + 1, true);
    }

    // ---- stats, all time -------------------------------------------------------------------------

    /** {@code stats[/{range}]}, filtered by {@code project} and {@code branches} as summaries are. */
    private APIGatewayV2HTTPResponse stats(HttpRequest request, String user, UserSettings s, String rangeName) {
        WakaRange r = range(rangeName, user, s);
        Map<Dimension, String> filters = projectFilter(request);
        Set<String> branches = list(request.query("branches"));
        Stats stats = branches.isEmpty() ? days.stats(user, r.start(), r.end(), filters)
                : Stats.of(r.start(), r.end(), onlyBranches(days.query(user, r.start(), r.end()), branches), filters);
        return HttpResponses.json(200, WakaTimeJson.stats(stats, r, s.zone(), s.timeoutMinutes(), today(s.zone())));
    }

    /**
     * {@code statusbar/today}: today in the user's zone, in WakaTime's full shape. The user's state (settings
     * and open days) is read once and passed on.
     */
    private APIGatewayV2HTTPResponse statusbar(String user) {
        SettingsStore.State state = days.state(user);
        LocalDate today = today(state.timing().zone());
        Stats stats = Stats.of(today, today, days.query(user, state, today, today), Map.of());
        return HttpResponses.json(200, WakaTimeJson.statusbar(stats, state.timing().zone(), clock.instant()));
    }

    private static Map<Dimension, String> projectFilter(HttpRequest request) {
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        if (request.query("project") != null && !request.query("project").isEmpty()) {
            filters.put(Dimension.PROJECT, request.query("project"));
        }
        return filters;
    }

    private APIGatewayV2HTTPResponse allTime(HttpRequest request, String user, UserSettings s) {
        LocalDate today = today(s.zone());
        LocalDate first = days.firstDay(user);
        LocalDate start = first == null || first.isAfter(today) ? today : first;
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        if (request.query("project") != null && !request.query("project").isEmpty()) {
            filters.put(Dimension.PROJECT, request.query("project"));
        }
        Stats stats = days.stats(user, start, today, filters);
        return HttpResponses.json(200, WakaTimeJson.allTime(stats, s.zone(), s.timeoutMinutes()));
    }

    // ---- durations, heartbeats ------------------------------------------------------------------

    private APIGatewayV2HTTPResponse durations(HttpRequest request, String user, UserSettings s) {
        LocalDate day = Params.date(required(request, "date"), "date");
        WakaDurations.SliceBy sliceBy = WakaDurations.SliceBy.of(request.query("slice_by"));
        if (sliceBy == null) {
            throw new HttpException(400, "slice_by must be one of project, entity, language, branch, category, "
                    + "editor, os, machine");
        }
        int timeout = s.timeoutMinutes();
        if (request.query("timeout") != null) {
            try {
                timeout = Integer.parseInt(request.query("timeout"));
            } catch (NumberFormatException e) {
                timeout = -1;
            }
            if (timeout < UserSettings.MIN_TIMEOUT_MINUTES || timeout > UserSettings.MAX_TIMEOUT_MINUTES) {
                throw new HttpException(400, "timeout must be a whole number of minutes from "
                        + UserSettings.MIN_TIMEOUT_MINUTES + " to " + UserSettings.MAX_TIMEOUT_MINUTES);
            }
        }
        UserSettings at = new UserSettings(zone(request, s), timeout, s.version());
        List<WakaDurations.Span> spans = WakaDurations.of(timeline(user, day, day, at), day, at, sliceBy);
        String project = request.query("project");
        if (project != null && !project.isEmpty()) {
            spans = spans.stream().filter(x -> x.project().equals(project)).toList();
        }
        Pages.Page page = Pages.page(spans, WakaDurations.Span::startMs, x -> WakaTimeJson.duration(x, sliceBy),
                Pages.Cursor.of(request));
        ObjectNode rest = WakaTimeJson.durationsEnvelope(spans, sliceBy, day, at.zone());
        return HttpResponses.raw(200, Pages.body("data", page, rest), "application/json", Map.of());
    }

    /**
     * {@code heartbeats?date=}: the day's heartbeats in time order, a page at a time ({@link Pages}); WakaTime
     * answers the whole day at once, which for a busy day is more than Lambda may answer.
     */
    private APIGatewayV2HTTPResponse heartbeats(HttpRequest request, String user, UserSettings s) {
        LocalDate day = Params.date(required(request, "date"), "date");
        ZoneId zone = zone(request, s);
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
     * {@code DELETE heartbeats.bulk} with {@code {"date": "...", "ids": [...]}}: removes those heartbeats
     * from their buckets (with the same version check the aggregator uses) and recomputes the days they
     * touched. An emptied bucket is kept (empty, with a higher version) so the recomputed day's source
     * counter still grows and the rewrite lands.
     */
    private APIGatewayV2HTTPResponse deleteHeartbeats(HttpRequest request, Principal principal) {
        if (principal.readOnly()) {
            throw new HttpException(403, "this API key is read-only; it cannot delete heartbeats");
        }
        JsonNode body = JsonBody.parse(request.body());
        JsonNode ids = body.get("ids");
        if (ids == null || !ids.isArray()) {
            throw new HttpException(400, "send {\"date\": \"YYYY-MM-DD\", \"ids\": [\"...\"]}");
        }
        if (ids.size() > 1000) {
            throw new HttpException(400, "at most 1000 ids per request");
        }
        Map<Long, Set<String>> byBucket = new TreeMap<>();
        for (JsonNode id : ids) {
            long t = HeartbeatId.timeOf(id.asText());
            if (t < 0) {
                throw new HttpException(400, "'" + id.asText() + "' is not a heartbeat id");
            }
            byBucket.computeIfAbsent(BucketStore.bucketStart(t), k -> new HashSet<>()).add(id.asText());
        }
        String user = principal.userId();
        SettingsStore.Settings all = settings.get(user);
        UserSettings s = all.timing();
        long retention = all.retentionDays() > 0 ? all.retentionDays() : rawRetentionDays;
        Set<LocalDate> affected = new TreeSet<>();
        int deleted = 0;
        for (Map.Entry<Long, Set<String>> e : byBucket.entrySet()) {
            for (int attempt = 0; ; attempt++) {
                BucketStore.Bucket b = buckets.get(user, e.getKey());
                List<Heartbeat> keep = new ArrayList<>();
                List<Heartbeat> gone = new ArrayList<>();
                for (Heartbeat h : b.heartbeats()) {
                    (e.getValue().contains(HeartbeatId.of(h)) ? gone : keep).add(h);
                }
                if (gone.isEmpty()) {
                    break;
                }
                if (buckets.put(user, b, keep, BucketStore.ttl(e.getKey(), retention))) {
                    deleted += gone.size();
                    gone.forEach(h -> affected.addAll(TimeAccounting.affectedDays(h.timeMs(), s)));
                    break;
                }
                if (attempt >= 20) {
                    throw new HttpException(409, "those heartbeats kept changing; please retry");
                }
            }
        }
        for (LocalDate d : affected) {
            aggregator.recompute(user, d, all);
        }
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.putObject("data").put("deleted", deleted);
        return HttpResponses.json(200, o);
    }

    // ---- file experts ---------------------------------------------------------------------------

    /**
     * {@code POST file_experts} with {@code {"entity": path, "project": name}} (wakatime-cli
     * {@code --file-experts}): who spent time on that file. DevTime has no teams, so the answer lists the
     * caller alone, with their time on the file over the last {@link #MAX_RAW_DAYS} days (what the raw
     * heartbeats of a week cost to read, like durations).
     */
    private APIGatewayV2HTTPResponse fileExperts(HttpRequest request, String user) {
        JsonNode body = JsonBody.parse(request.body());
        JsonNode e = body.get("entity");
        if (!body.isObject() || e == null || !e.isTextual() || e.asText().isBlank() || e.asText().length() > 2048) {
            throw new HttpException(400, "send {\"entity\": \"/path/of/the/file\", \"project\": \"name\"} "
                    + "(entity at most 2048 characters)");
        }
        JsonNode p = body.get("project");
        if (p != null && !p.isNull() && !p.isTextual()) {
            throw new HttpException(400, "project must be a string");
        }
        String entity = e.asText();
        String project = p == null || p.isNull() || p.asText().isEmpty() ? null : p.asText();
        UserSettings s = settings.timing(user);
        LocalDate today = today(s.zone());
        LocalDate start = today.minusDays(MAX_RAW_DAYS - 1);
        List<Heartbeat> timeline = timeline(user, start, today, s);
        long ms = 0;
        for (LocalDate d = start; !d.isAfter(today); d = d.plusDays(1)) {
            for (WakaDurations.Span span : WakaDurations.of(timeline, d, s, WakaDurations.SliceBy.ENTITY)) {
                if (span.slice().equals(entity) && (project == null || project.equals(span.project()))) {
                    ms += span.ms();
                }
            }
        }
        double secs = WakaTimeJson.seconds(ms);
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        ObjectNode item = o.putArray("data").addObject();
        item.putObject("user").put("id", user).put("name", user).put("long_name", user).put("is_current_user", true);
        item.putObject("total").put("total_seconds", secs).put("text", DurationFormat.text(secs))
                .put("digital", DurationFormat.digital(secs))
                .put("decimal", String.format(Locale.ROOT, "%.2f", secs / 3600));
        return HttpResponses.json(200, o);
    }

    // ---- projects, user agents ------------------------------------------------------------------

    private List<DayRollup> everything(String user, UserSettings s) {
        LocalDate first = days.firstDay(user);
        LocalDate today = today(s.zone());
        return first == null ? List.of() : days.query(user, first, today.plusDays(1));
    }

    private APIGatewayV2HTTPResponse projects(HttpRequest request, String user, UserSettings s) {
        String q = request.query("q") == null ? "" : request.query("q").toLowerCase(Locale.ROOT);
        Map<String, long[]> seen = new TreeMap<>(); // name -> first ms, last ms, total ms
        for (DayRollup d : everything(user, s)) {
            for (DurationRow r : d.rows()) {
                seen.computeIfAbsent(r.project(), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0})[2] += r.ms();
            }
            for (Session x : d.sessions()) {
                long[] v = seen.computeIfAbsent(x.project(), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
                v[0] = Math.min(v[0], x.startMs());
                v[1] = Math.max(v[1], x.endMs());
            }
        }
        List<Map.Entry<String, long[]>> list = new ArrayList<>(seen.entrySet());
        list.removeIf(e -> e.getValue()[1] == Long.MIN_VALUE || !e.getKey().toLowerCase(Locale.ROOT).contains(q));
        list.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        int pages = Math.max(1, (list.size() + PROJECTS_PER_PAGE - 1) / PROJECTS_PER_PAGE);
        int page = page(request, pages);
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        ArrayNode data = o.putArray("data");
        long now = clock.millis();
        for (Map.Entry<String, long[]> e : list.subList((page - 1) * PROJECTS_PER_PAGE,
                Math.min(list.size(), page * PROJECTS_PER_PAGE))) {
            long[] v = e.getValue();
            String first = WakaTimeJson.iso(Instant.ofEpochMilli(v[0]), ZoneOffset.UTC);
            String last = WakaTimeJson.iso(Instant.ofEpochMilli(v[1]), ZoneOffset.UTC);
            data.addObject()
                    .put("id", Integer.toHexString(e.getKey().hashCode()))
                    .put("name", e.getKey())
                    .put("urlencoded_name", URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8).replace("+", "%20"))
                    .putNull("color").putNull("badge").putNull("repository").put("has_public_url", false)
                    .put("first_heartbeat_at", first)
                    .put("human_readable_first_heartbeat_at", ago(now - v[0]))
                    .put("last_heartbeat_at", last)
                    .put("human_readable_last_heartbeat_at", ago(now - v[1]))
                    .put("created_at", first)
                    .put("total_seconds", WakaTimeJson.seconds(v[2]));
        }
        o.put("page", page);
        o.put("total_pages", pages);
        putPage(o, "prev_page", page > 1 ? page - 1 : 0);
        putPage(o, "next_page", page < pages ? page + 1 : 0);
        return HttpResponses.json(200, o);
    }

    /**
     * The editors and systems seen. DevTime keeps the parsed editor and OS per day rather than every raw
     * user-agent string, so each item is one editor on one OS, last seen on a day.
     */
    private APIGatewayV2HTTPResponse userAgents(String user, UserSettings s) {
        Map<List<String>, LocalDate[]> seen = new LinkedHashMap<>();
        for (DayRollup d : everything(user, s)) {
            for (DurationRow r : d.rows()) {
                LocalDate[] v = seen.computeIfAbsent(List.of(r.editor(), r.os(), r.tool()),
                        k -> new LocalDate[] {d.date(), d.date()});
                v[0] = d.date().isBefore(v[0]) ? d.date() : v[0];
                v[1] = d.date().isAfter(v[1]) ? d.date() : v[1];
            }
        }
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        ArrayNode data = o.putArray("data");
        seen.entrySet().stream().sorted((a, b) -> b.getValue()[1].compareTo(a.getValue()[1])).forEach(e -> {
            String editor = e.getKey().get(0);
            String os = e.getKey().get(1);
            String tool = e.getKey().get(2);
            data.addObject()
                    .put("id", Integer.toHexString(e.getKey().hashCode()))
                    .put("value", editor + " (" + os + ")")
                    .put("editor", editor)
                    .put("os", os)
                    .putNull("version")
                    .put("is_browser_extension", tool.equals("chrome") || tool.equals("firefox"))
                    .put("is_desktop_app", false)
                    .put("created_at", WakaTimeJson.iso(e.getValue()[0].atStartOfDay(s.zone()).toInstant(), s.zone()))
                    .put("last_seen_at", WakaTimeJson.iso(e.getValue()[1].atStartOfDay(s.zone()).toInstant(), s.zone()));
        });
        o.put("total_pages", 1);
        return HttpResponses.json(200, o);
    }

    /**
     * {@code GET /users/{user}/stats[/{range}]} without credentials, as github-readme-stats' WakaTime card
     * and similar tools call it: only for users who opted in to public sharing, else 404.
     */
    private APIGatewayV2HTTPResponse publicStats(HttpRequest request, String user, String range) {
        if (!profiles.isPublic(user)) {
            throw new HttpException(404, "no public profile here");
        }
        return stats(request, user, settings.timing(user), range);
    }

    // ---- badges ---------------------------------------------------------------------------------

    /**
     * {@code GET /api/badge/{user}} (shields.io endpoint JSON) and {@code GET /api/badge/{user}/svg}, no
     * credentials: answered only for users who opted in to public sharing, else 404 (which does not say
     * whether the user exists). Query: {@code range} (default last_30_days), {@code project}, {@code label}.
     */
    private APIGatewayV2HTTPResponse badge(HttpRequest request, boolean svg) {
        String user = request.pathParameter("user");
        if (user == null || user.isBlank() || !profiles.isPublic(user)) {
            throw new HttpException(404, "no public profile here");
        }
        UserSettings s = settings.timing(user);
        WakaRange r = range(request.query("range") == null ? "last_30_days" : request.query("range"), user, s);
        Map<Dimension, String> filters = new EnumMap<>(Dimension.class);
        if (request.query("project") != null && !request.query("project").isEmpty()) {
            filters.put(Dimension.PROJECT, request.query("project"));
        }
        Stats stats = days.stats(user, r.start(), r.end(), filters);
        String label = request.query("label");
        if (label == null || label.isBlank() || label.length() > 64) {
            label = filters.isEmpty() ? "coding time" : filters.get(Dimension.PROJECT);
        }
        Badge b = new Badge(label, DurationFormat.text(stats.totalMs() / 1000.0), "007ec6");
        // Badges are embedded in READMEs: let caches keep them for a while.
        Map<String, String> cache = Map.of("Cache-Control", "public, max-age=600");
        if (svg) {
            return withHeaders(HttpResponses.raw(200, b.svg(), "image/svg+xml", Map.of()), cache);
        }
        return withHeaders(HttpResponses.json(200, b.shieldsJson()), cache);
    }

    private static APIGatewayV2HTTPResponse withHeaders(APIGatewayV2HTTPResponse r, Map<String, String> extra) {
        Map<String, String> h = new java.util.HashMap<>(r.getHeaders());
        h.putAll(extra);
        r.setHeaders(h);
        return r;
    }

    // ---- parameters -----------------------------------------------------------------------------

    private static ZoneId zone(HttpRequest request, UserSettings s) {
        String tz = request.query("timezone");
        if (tz == null || tz.isBlank()) {
            return s.zone();
        }
        try {
            return ZoneId.of(tz.trim());
        } catch (DateTimeException e) {
            throw new HttpException(400, "timezone must be an IANA time zone like Asia/Kolkata");
        }
    }

    /** The {@code page} parameter (1 when absent), as WakaTime's paged lists take it. */
    private static int page(HttpRequest request, int pages) {
        String p = request.query("page");
        if (p == null || p.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(p.trim());
            if (n >= 1 && n <= pages) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new HttpException(400, "page must be a whole number from 1 to " + pages);
    }

    private static void putPage(ObjectNode o, String name, int page) {
        if (page == 0) {
            o.putNull(name);
        } else {
            o.put(name, page);
        }
    }

    private static String required(HttpRequest request, String name) {
        String v = request.query(name);
        if (v == null || v.isBlank()) {
            throw new HttpException(400, name + " is required (YYYY-MM-DD)");
        }
        return v;
    }


    private static Set<String> list(String csv) {
        Set<String> out = new HashSet<>();
        if (csv != null) {
            for (String x : csv.split(",")) {
                if (!x.isBlank()) {
                    out.add(x.trim());
                }
            }
        }
        return out;
    }

    private static String ago(long ms) {
        long min = Math.max(0, ms) / 60_000;
        if (min < 1) {
            return "just now";
        }
        if (min < 60) {
            return min + (min == 1 ? " minute ago" : " minutes ago");
        }
        long h = min / 60;
        if (h < 24) {
            return h + (h == 1 ? " hour ago" : " hours ago");
        }
        long d = h / 24;
        return d + (d == 1 ? " day ago" : " days ago");
    }
}
