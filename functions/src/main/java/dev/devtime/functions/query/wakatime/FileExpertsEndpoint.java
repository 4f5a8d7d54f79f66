package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.http.Endpoint;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.http.JsonBody;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.DurationFormat;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.wakatime.WakaDurations;
import dev.devtime.model.wakatime.WakaTimeJson;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /users/current/file_experts} with {@code {"entity": path, "project": name}} (wakatime-cli
 * {@code --file-experts}): who spent time on that file. The answer lists the caller alone, with their time on
 * the file over the last {@link WakaParams#MAX_RAW_DAYS} days (what the raw heartbeats of a week cost to read,
 * like durations).
 */
public final class FileExpertsEndpoint implements Endpoint {

    private final Authenticator auth;
    private final SettingsStore settings;
    private final BucketStore buckets;
    private final Clock clock;

    public FileExpertsEndpoint(Authenticator auth, SettingsStore settings, BucketStore buckets, Clock clock) {
        this.auth = auth;
        this.settings = settings;
        this.buckets = buckets;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handle(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        JsonNode body = JsonBody.parse(request.body());
        JsonNode e = body.get("entity");
        if (!body.isObject()
                || e == null
                || !e.isTextual()
                || e.asText().isBlank()
                || e.asText().length() > 2048) {
            throw new HttpException(
                    400,
                    "send {\"entity\": \"/path/of/the/file\", \"project\": \"name\"} "
                            + "(entity at most 2048 characters)");
        }
        JsonNode p = body.get("project");
        if (p != null && !p.isNull() && !p.isTextual()) {
            throw new HttpException(400, "project must be a string");
        }
        String entity = e.asText();
        String project = p == null || p.isNull() || p.asText().isEmpty() ? null : p.asText();
        Timing s = settings.timing(user);
        LocalDate today = LocalDate.now(clock.withZone(s.zone()));
        LocalDate start = today.minusDays(WakaParams.MAX_RAW_DAYS - 1);
        List<Heartbeat> timeline = WakaParams.timeline(buckets, user, start, today, s);
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
        item.putObject("user")
                .put("id", user)
                .put("name", user)
                .put("long_name", user)
                .put("is_current_user", true);
        item.putObject("total")
                .put("total_seconds", secs)
                .put("text", DurationFormat.text(secs))
                .put("digital", DurationFormat.digital(secs))
                .put("decimal", String.format(Locale.ROOT, "%.2f", secs / 3600));
        return HttpResponses.json(200, o);
    }
}
