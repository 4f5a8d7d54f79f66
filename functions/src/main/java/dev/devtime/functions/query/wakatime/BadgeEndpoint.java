package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.query.DateRange;
import dev.devtime.functions.query.Filters;
import dev.devtime.functions.query.RollupReader;
import dev.devtime.functions.store.PublicProfiles;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.DurationFormat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.Dimension;
import dev.devtime.model.rollup.Stats;
import dev.devtime.model.wakatime.Badge;
import dev.devtime.model.wakatime.WakaRange;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET /api/badge/{user}} (shields.io endpoint JSON) and {@code GET /api/badge/{user}/svg}, no credentials:
 * answered only for users who opted in to public sharing, else 404 (which does not say whether the user exists).
 * Query: {@code range} (default last_30_days), {@code project}, {@code label}.
 */
public final class BadgeEndpoint {

    private final SettingsStore settings;
    private final RollupReader rollups;
    private final PublicProfiles profiles;
    private final Clock clock;

    public BadgeEndpoint(SettingsStore settings, RollupReader rollups, PublicProfiles profiles, Clock clock) {
        this.settings = settings;
        this.rollups = rollups;
        this.profiles = profiles;
        this.clock = clock;
    }

    public APIGatewayV2HTTPResponse json(HttpRequest request) {
        Badge b = badge(request);
        return withCache(HttpResponses.json(200, b.shieldsJson()));
    }

    public APIGatewayV2HTTPResponse svg(HttpRequest request) {
        Badge b = badge(request);
        return withCache(HttpResponses.raw(200, b.svg(), "image/svg+xml", Map.of()));
    }

    private Badge badge(HttpRequest request) {
        String user = request.pathParameter("user");
        if (user == null || user.isBlank() || !profiles.isPublic(user)) {
            throw new HttpException(404, "no public profile here");
        }
        Timing s = settings.timing(user);
        WakaRange r = DateRange.wakatime(
                request.query("range") == null ? "last_30_days" : request.query("range"),
                LocalDate.now(clock.withZone(s.zone())),
                () -> rollups.firstDay(user));
        Map<Dimension, String> filters = Filters.project(request);
        Stats stats = rollups.stats(user, r.start(), r.end(), filters);
        String label = request.query("label");
        if (label == null || label.isBlank() || label.length() > 64) {
            label = filters.isEmpty() ? "coding time" : filters.get(Dimension.PROJECT);
        }
        return new Badge(label, DurationFormat.text(stats.totalMs() / 1000.0), "007ec6");
    }

    /** Badges are embedded in READMEs: let caches keep them for a while. */
    private static APIGatewayV2HTTPResponse withCache(APIGatewayV2HTTPResponse r) {
        Map<String, String> h = new HashMap<>(r.getHeaders());
        h.put("Cache-Control", "public, max-age=600");
        r.setHeaders(h);
        return r;
    }
}
