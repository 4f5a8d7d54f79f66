package dev.devtime.functions.query;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.auth.Principal;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.Pages;
import dev.devtime.functions.http.Params;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.Session;
import dev.devtime.model.rollup.Stats;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** DevTime's own reads: stats and sessions from the stored day rollups, and health. */
public final class QueryService {

    private final Authenticator auth;
    private final RollupReader rollups;
    private final Clock clock;

    public QueryService(Authenticator auth, RollupReader rollups, Clock clock) {
        this.auth = auth;
        this.rollups = rollups;
        this.clock = clock;
    }

    /** {@code GET /api/health}: no credentials, no data. */
    public APIGatewayV2HTTPResponse health(HttpRequest request) {
        return HttpResponses.json(200, HttpResponses.JSON.createObjectNode().put("ok", true));
    }

    /** {@code GET /api/stats}. */
    public APIGatewayV2HTTPResponse stats(HttpRequest request) {
        return stats(request, auth.authenticate(request));
    }

    /** {@code GET /api/sessions}: a page of sessions at a time. */
    public APIGatewayV2HTTPResponse sessions(HttpRequest request) {
        return sessions(request, auth.authenticate(request));
    }

    private APIGatewayV2HTTPResponse stats(HttpRequest request, Principal principal) {
        SettingsStore.UserState state = rollups.state(principal.userId());
        Timing s = state.timing();
        LocalDate today = LocalDate.now(clock.withZone(s.zone()));
        DateRange range = DateRange.of(request, today, () -> rollups.firstDay(principal.userId()), "week");
        Stats stats = rollups.stats(principal.userId(), state, range.start(), range.end(), Filters.dimensions(request));
        return HttpResponses.json(200, StatsJson.stats(stats, s.zone().getId()));
    }

    private APIGatewayV2HTTPResponse sessions(HttpRequest request, Principal principal) {
        SettingsStore.UserState state = rollups.state(principal.userId());
        Timing s = state.timing();
        LocalDate today = LocalDate.now(clock.withZone(s.zone()));
        DateRange range;
        if (request.query("date") != null) {
            LocalDate d = Params.date(request.query("date"), "date");
            range = new DateRange(d, d);
        } else {
            range = DateRange.of(request, today, () -> rollups.firstDay(principal.userId()), "today");
        }
        Stats stats = Stats.of(
                range.start(),
                range.end(),
                rollups.query(principal.userId(), state, range.start(), range.end()),
                Filters.dimensions(request));
        // Many years of sessions would not fit one response: in pages, by start time.
        List<Session> sessions = new ArrayList<>(stats.sessions());
        sessions.sort(Comparator.comparingLong(Session::startMs)
                .thenComparing(Session::tool)
                .thenComparing(Session::project));
        Pages.Page page =
                Pages.page(sessions, Session::startMs, x -> StatsJson.session(x, s.zone()), Pages.Cursor.of(request));
        return HttpResponses.raw(
                200, Pages.body("sessions", page, HttpResponses.JSON.createObjectNode()), "application/json", Map.of());
    }
}
