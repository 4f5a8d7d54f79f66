package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.http.Endpoint;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.query.RollupReader;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.rollup.Session;
import dev.devtime.model.wakatime.WakaTimeJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /users/current/projects?q=&page=}: every project with time, most recent first, in pages. */
public final class ProjectsEndpoint implements Endpoint {

    /** Projects a page lists; with names of up to 512 characters a page stays near 2 MB. */
    static final int PROJECTS_PER_PAGE = 1000;

    private final Authenticator auth;
    private final SettingsStore settings;
    private final RollupReader rollups;
    private final Clock clock;

    public ProjectsEndpoint(Authenticator auth, SettingsStore settings, RollupReader rollups, Clock clock) {
        this.auth = auth;
        this.settings = settings;
        this.rollups = rollups;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handle(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        Timing s = settings.timing(user);
        String q = request.query("q") == null ? "" : request.query("q").toLowerCase(Locale.ROOT);
        Map<String, long[]> seen = new TreeMap<>(); // name -> first ms, last ms, total ms
        for (DayRollup d : WakaParams.allDays(rollups, user, LocalDate.now(clock.withZone(s.zone())))) {
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
        list.removeIf(e -> e.getValue()[1] == Long.MIN_VALUE
                || !e.getKey().toLowerCase(Locale.ROOT).contains(q));
        list.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        int pages = Math.max(1, (list.size() + PROJECTS_PER_PAGE - 1) / PROJECTS_PER_PAGE);
        int page = WakaParams.page(request, pages);
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        ArrayNode data = o.putArray("data");
        long now = clock.millis();
        for (Map.Entry<String, long[]> e :
                list.subList((page - 1) * PROJECTS_PER_PAGE, Math.min(list.size(), page * PROJECTS_PER_PAGE))) {
            long[] v = e.getValue();
            String first = WakaTimeJson.iso(Instant.ofEpochMilli(v[0]), ZoneOffset.UTC);
            String last = WakaTimeJson.iso(Instant.ofEpochMilli(v[1]), ZoneOffset.UTC);
            data.addObject()
                    .put("id", Integer.toHexString(e.getKey().hashCode()))
                    .put("name", e.getKey())
                    .put(
                            "urlencoded_name",
                            URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                                    .replace("+", "%20"))
                    .putNull("color")
                    .putNull("badge")
                    .putNull("repository")
                    .put("has_public_url", false)
                    .put("first_heartbeat_at", first)
                    .put("human_readable_first_heartbeat_at", ago(now - v[0]))
                    .put("last_heartbeat_at", last)
                    .put("human_readable_last_heartbeat_at", ago(now - v[1]))
                    .put("created_at", first)
                    .put("total_seconds", WakaTimeJson.seconds(v[2]));
        }
        o.put("page", page);
        o.put("total_pages", pages);
        WakaParams.putPage(o, "prev_page", page > 1 ? page - 1 : 0);
        WakaParams.putPage(o, "next_page", page < pages ? page + 1 : 0);
        return HttpResponses.json(200, o);
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
