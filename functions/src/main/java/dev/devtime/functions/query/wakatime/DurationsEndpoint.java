package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.http.Endpoint;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.Pages;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Timing;
import dev.devtime.model.wakatime.WakaDurations;
import dev.devtime.model.wakatime.WakaTimeJson;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /users/current/durations?date=&slice_by=&timeout=&timezone=&project=}: a day's spans, from the raw
 * heartbeats (so any zone and timeout are honoured), a page at a time.
 */
public final class DurationsEndpoint implements Endpoint {

    private final Authenticator auth;
    private final SettingsStore settings;
    private final BucketStore buckets;

    public DurationsEndpoint(Authenticator auth, SettingsStore settings, BucketStore buckets) {
        this.auth = auth;
        this.settings = settings;
        this.buckets = buckets;
    }

    @Override
    public APIGatewayV2HTTPResponse handle(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        Timing s = settings.timing(user);
        LocalDate day = WakaParams.requiredDate(request, "date");
        WakaDurations.SliceBy sliceBy = WakaDurations.SliceBy.of(request.query("slice_by"));
        if (sliceBy == null) {
            throw new HttpException(
                    400,
                    "slice_by must be one of project, entity, language, branch, category, " + "editor, os, machine");
        }
        int timeout = s.timeoutMinutes();
        if (request.query("timeout") != null) {
            try {
                timeout = Integer.parseInt(request.query("timeout"));
            } catch (NumberFormatException e) {
                timeout = -1;
            }
            if (timeout < Timing.MIN_TIMEOUT_MINUTES || timeout > Timing.MAX_TIMEOUT_MINUTES) {
                throw new HttpException(
                        400,
                        "timeout must be a whole number of minutes from " + Timing.MIN_TIMEOUT_MINUTES + " to "
                                + Timing.MAX_TIMEOUT_MINUTES);
            }
        }
        Timing at = new Timing(WakaParams.zone(request, s), timeout, s.version());
        List<WakaDurations.Span> spans =
                WakaDurations.of(WakaParams.timeline(buckets, user, day, day, at), day, at, sliceBy);
        String project = request.query("project");
        if (project != null && !project.isEmpty()) {
            spans = spans.stream().filter(x -> x.project().equals(project)).toList();
        }
        Pages.Page page = Pages.page(
                spans, WakaDurations.Span::startMs, x -> WakaTimeJson.duration(x, sliceBy), Pages.Cursor.of(request));
        ObjectNode rest = WakaTimeJson.durationsEnvelope(spans, sliceBy, day, at.zone());
        return HttpResponses.raw(200, Pages.body("data", page, rest), "application/json", Map.of());
    }
}
