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
import dev.devtime.model.wakatime.WakaTimeJson;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /users/current/user_agents}: the editors and systems seen. DevTime keeps the parsed editor and OS
 * per day rather than every raw user-agent string, so each item is one editor on one OS, last seen on a day.
 */
public final class UserAgentsEndpoint implements Endpoint {

    private final Authenticator auth;
    private final SettingsStore settings;
    private final RollupReader rollups;
    private final Clock clock;

    public UserAgentsEndpoint(Authenticator auth, SettingsStore settings, RollupReader rollups, Clock clock) {
        this.auth = auth;
        this.settings = settings;
        this.rollups = rollups;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handle(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        Timing s = settings.timing(user);
        Map<List<String>, LocalDate[]> seen = new LinkedHashMap<>();
        for (DayRollup d : WakaParams.allDays(rollups, user, LocalDate.now(clock.withZone(s.zone())))) {
            for (DurationRow r : d.rows()) {
                LocalDate[] v = seen.computeIfAbsent(
                        List.of(r.editor(), r.os(), r.tool()), k -> new LocalDate[] {d.date(), d.date()});
                v[0] = d.date().isBefore(v[0]) ? d.date() : v[0];
                v[1] = d.date().isAfter(v[1]) ? d.date() : v[1];
            }
        }
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        ArrayNode data = o.putArray("data");
        seen.entrySet().stream()
                .sorted((a, b) -> b.getValue()[1].compareTo(a.getValue()[1]))
                .forEach(e -> {
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
                            .put(
                                    "created_at",
                                    WakaTimeJson.iso(
                                            e.getValue()[0]
                                                    .atStartOfDay(s.zone())
                                                    .toInstant(),
                                            s.zone()))
                            .put(
                                    "last_seen_at",
                                    WakaTimeJson.iso(
                                            e.getValue()[1]
                                                    .atStartOfDay(s.zone())
                                                    .toInstant(),
                                            s.zone()));
                });
        o.put("total_pages", 1);
        return HttpResponses.json(200, o);
    }
}
