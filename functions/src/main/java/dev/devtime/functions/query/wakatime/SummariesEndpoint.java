package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.http.Endpoint;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.query.DateRange;
import dev.devtime.functions.query.Filters;
import dev.devtime.functions.query.RollupReader;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.Dimension;
import dev.devtime.model.rollup.Stats;
import dev.devtime.model.time.TimeAccounting;
import dev.devtime.model.wakatime.WakaRange;
import dev.devtime.model.wakatime.WakaTimeJson;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /users/current/summaries?range=|start=&end=}: a day at a time, filtered by {@code project} and
 * {@code branches}.
 *
 * <p>The day rollups are cut at the user's time-zone setting. A {@code timezone} parameter naming another zone
 * is honoured exactly for ranges of up to {@link WakaParams#MAX_RAW_DAYS} days by recomputing from the raw
 * heartbeats; longer ranges are answered in the user's zone and say so in {@code timezone}.
 */
public final class SummariesEndpoint implements Endpoint {

    private final Authenticator auth;
    private final SettingsStore settings;
    private final RollupReader rollups;
    private final BucketStore buckets;
    private final Clock clock;

    public SummariesEndpoint(
            Authenticator auth, SettingsStore settings, RollupReader rollups, BucketStore buckets, Clock clock) {
        this.auth = auth;
        this.settings = settings;
        this.rollups = rollups;
        this.buckets = buckets;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handle(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        Timing s = settings.timing(user);
        LocalDate start;
        LocalDate end;
        if (request.query("range") != null) {
            WakaRange r = DateRange.wakatime(
                    request.query("range"), LocalDate.now(clock.withZone(s.zone())), () -> rollups.firstDay(user));
            start = r.start();
            end = r.end();
        } else {
            DateRange dates = DateRange.explicit(request);
            if (dates == null) {
                throw new HttpException(400, "give range (e.g. Last 7 Days) or start and end (YYYY-MM-DD)");
            }
            start = dates.start();
            end = dates.end();
        }
        ZoneId zone = WakaParams.zone(request, s);
        Collection<DayRollup> days;
        if (zone.equals(s.zone()) || end.toEpochDay() - start.toEpochDay() >= WakaParams.MAX_RAW_DAYS) {
            zone = s.zone();
            days = rollups.query(user, start, end);
        } else {
            days = recompute(user, start, end, new Timing(zone, s.timeoutMinutes(), s.version()));
        }
        Map<Dimension, String> filters = Filters.project(request);
        Set<String> branches = Filters.branches(request);
        List<Stats> perDay = new ArrayList<>();
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
            perDay.add(Stats.of(d, d, branches.isEmpty() ? days : Filters.onlyBranches(days, branches), filters));
        }
        var answer = WakaTimeJson.summaries(perDay, start, end, zone);
        if (filters.containsKey(Dimension.PROJECT) && branches.isEmpty()) {
            WakaTimeJson.putEntities(answer, perDay, days, filters.get(Dimension.PROJECT));
        }
        return HttpResponses.json(200, answer);
    }

    /** Day rollups for another zone, computed as the aggregator would from the raw heartbeats. */
    private List<DayRollup> recompute(String user, LocalDate start, LocalDate end, Timing s) {
        List<Heartbeat> timeline = WakaParams.timeline(buckets, user, start, end, s);
        List<DayRollup> out = new ArrayList<>();
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
            out.add(TimeAccounting.day(timeline, d, s));
        }
        return out;
    }
}
