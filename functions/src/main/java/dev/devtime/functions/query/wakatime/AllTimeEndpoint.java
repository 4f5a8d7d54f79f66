package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.http.Endpoint;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.query.Filters;
import dev.devtime.functions.query.RollupReader;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.Stats;
import dev.devtime.model.wakatime.WakaTimeJson;
import java.time.Clock;
import java.time.LocalDate;

/** {@code GET /users/current/all_time_since_today}: the total from the first day with data, by {@code project}. */
public final class AllTimeEndpoint implements Endpoint {

    private final Authenticator auth;
    private final SettingsStore settings;
    private final RollupReader rollups;
    private final Clock clock;

    public AllTimeEndpoint(Authenticator auth, SettingsStore settings, RollupReader rollups, Clock clock) {
        this.auth = auth;
        this.settings = settings;
        this.rollups = rollups;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handle(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        Timing s = settings.timing(user);
        LocalDate today = LocalDate.now(clock.withZone(s.zone()));
        LocalDate first = rollups.firstDay(user);
        LocalDate start = first == null || first.isAfter(today) ? today : first;
        Stats stats = rollups.stats(user, start, today, Filters.project(request));
        return HttpResponses.json(200, WakaTimeJson.allTime(stats, s.zone(), s.timeoutMinutes()));
    }
}
