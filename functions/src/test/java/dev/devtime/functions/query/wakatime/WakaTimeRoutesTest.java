package dev.devtime.functions.query.wakatime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.model.api.ApiRoutes;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * Every route the table sends to the query function is answered by exactly one service: the WakaTime
 * reads and badges by {@link WakaTimeApi}, the rest by the query service. A route added to the table but
 * not dispatched would otherwise be a 404 in production.
 */
class WakaTimeRoutesTest {

    final WakaTimeApi api = new WakaTimeApi(null, null, null, null, null, null, null, 0, Clock.systemUTC());

    static HttpRequest request(String method, String path) {
        return new HttpRequest(APIGatewayV2HTTPEvent.builder().withRawPath(path)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).build())
                        .build())
                .build());
    }

    @Test
    void everyQueryRouteHasOneOwner() {
        int wakatime = 0;
        for (ApiRoutes.Route r : ApiRoutes.all()) {
            if (r.function() != ApiRoutes.Function.QUERY) {
                continue;
            }
            String path = r.path().replace("{range}", "last_7_days").replace("{user}", "u-123").replace("{id}", "g-1");
            boolean ours = path.startsWith("/api/badge/") || path.contains("/users/");
            if (path.endsWith("/users/current")) {
                assertEquals(true, ours, "the profile route counts as a WakaTime read");
            }
            assertEquals(ours, api.handles(request(r.method(), path)), r.routeKey());
            if (ours) {
                wakatime++;
            }
        }
        // 12 reads, the delete and file experts under /users/current and /users/{user} of each of the two
        // prefixes, and 2 badges; the dashboard's /api/goals routes are the query service's.
        assertEquals(2 * 2 * 14 + 2, wakatime);
    }

    @Test
    void postingHeartbeatsIsNeverOurs() {
        assertEquals(false, api.handles(request("POST", "/api/v1/users/current/heartbeats.bulk")));
        assertEquals(true, api.handles(request("DELETE", "/api/v1/users/current/heartbeats.bulk")));
        assertEquals(true, api.handles(request("GET", "/api/v1/users/current/statusbar/today")));
        assertEquals(false, api.handles(request("GET", "/api/v1/users/current/goals/g-1/more")));
        assertEquals(false, api.handles(request("GET", "/api/goals")));
    }
}
