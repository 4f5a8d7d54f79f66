package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.http.Endpoint;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.Params;
import dev.devtime.functions.query.DateRange;
import dev.devtime.functions.query.Filters;
import dev.devtime.functions.query.RollupReader;
import dev.devtime.functions.store.PublicProfiles;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.Dimension;
import dev.devtime.model.rollup.Stats;
import dev.devtime.model.wakatime.WakaRange;
import dev.devtime.model.wakatime.WakaTimeJson;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /users/{user}/stats[/{range}]} (last 7 days by default), filtered by {@code project} and
 * {@code branches}: the caller's own, or another user's public stats, which github-readme-stats' WakaTime card
 * and similar tools read without credentials: only for users who opted in to public sharing, else 404.
 */
public final class StatsEndpoint implements Endpoint {

    private final Authenticator auth;
    private final SettingsStore settings;
    private final RollupReader rollups;
    private final PublicProfiles profiles;
    private final Clock clock;

    public StatsEndpoint(
            Authenticator auth, SettingsStore settings, RollupReader rollups, PublicProfiles profiles, Clock clock) {
        this.auth = auth;
        this.settings = settings;
        this.rollups = rollups;
        this.profiles = profiles;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handle(HttpRequest request) {
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
        return stats(request, user, range);
    }

    private static boolean hasCredentials(HttpRequest request) {
        return request.authorizerClaims() != null
                || request.header("authorization") != null
                || request.query("api_key") != null;
    }

    private APIGatewayV2HTTPResponse publicStats(HttpRequest request, String user, String range) {
        if (!profiles.isPublic(user)) {
            throw new HttpException(404, "no public profile here");
        }
        return stats(request, user, range);
    }

    private APIGatewayV2HTTPResponse stats(HttpRequest request, String user, String rangeName) {
        Timing s = settings.timing(user);
        LocalDate today = LocalDate.now(clock.withZone(s.zone()));
        WakaRange r = DateRange.wakatime(rangeName, today, () -> rollups.firstDay(user));
        Map<Dimension, String> filters = Filters.project(request);
        Set<String> branches = Filters.branches(request);
        Stats stats = branches.isEmpty()
                ? rollups.stats(user, r.start(), r.end(), filters)
                : Stats.of(
                        r.start(),
                        r.end(),
                        Filters.onlyBranches(rollups.query(user, r.start(), r.end()), branches),
                        filters);
        return HttpResponses.json(200, WakaTimeJson.stats(stats, r, s.zone(), s.timeoutMinutes(), today));
    }
}
