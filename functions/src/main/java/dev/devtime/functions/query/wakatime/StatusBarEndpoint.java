package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.http.Endpoint;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.query.RollupReader;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.rollup.Stats;
import dev.devtime.model.wakatime.WakaTimeJson;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;

/**
 * {@code GET /users/current/statusbar/today}: today in the user's zone, in WakaTime's full shape. The most
 * frequent read (every plugin sync): the user's state (settings and open days) is read once and passed on.
 */
public final class StatusBarEndpoint implements Endpoint {

    private final Authenticator auth;
    private final RollupReader rollups;
    private final Clock clock;

    public StatusBarEndpoint(Authenticator auth, RollupReader rollups, Clock clock) {
        this.auth = auth;
        this.rollups = rollups;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handle(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        SettingsStore.UserState state = rollups.state(user);
        LocalDate today = LocalDate.now(clock.withZone(state.timing().zone()));
        Stats stats = Stats.of(today, today, rollups.query(user, state, today, today), Map.of());
        return HttpResponses.json(
                200, WakaTimeJson.statusbar(stats, state.timing().zone(), clock.instant()));
    }
}
