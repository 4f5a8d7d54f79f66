package dev.devtime.functions.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.account.AccountHandler;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.aws.AwsClients;
import dev.devtime.functions.ingest.IngestHandler;
import dev.devtime.functions.query.QueryHandler;
import dev.devtime.model.api.ApiRoutes;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each function answers the routes the table gives it, each with one endpoint chosen by the gateway's route key,
 * and nothing else. A route added to the table without an endpoint would otherwise be a 404 in production.
 */
class RoutesTest {

    static Wiring wiring;

    /** Clients of services that are not there: building the routes touches no AWS service. */
    @BeforeAll
    static void unreachableAws() throws Exception {
        String unreachable;
        try (ServerSocket s = new ServerSocket(0)) {
            unreachable = "http://127.0.0.1:" + s.getLocalPort();
        }
        wiring = new Wiring(
                AwsClients.dynamo(unreachable),
                "devtime",
                AwsClients.sqs(unreachable),
                unreachable + "/000000000000/heartbeats",
                null,
                Wiring.Config.defaults(),
                Clock.systemUTC());
    }

    static Set<String> declared(ApiRoutes.Function f) {
        return ApiRoutes.all().stream()
                .filter(r -> r.function() == f)
                .map(ApiRoutes.Route::routeKey)
                .collect(Collectors.toSet());
    }

    static APIGatewayV2HTTPEvent event(String routeKey, String rawPath, Map<String, String> headers, String body) {
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey(routeKey)
                .withRawPath(rawPath)
                .withHeaders(headers)
                .withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(routeKey)
                        .withRequestId("test")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(rawPath)
                                .build())
                        .build())
                .build();
    }

    @Test
    void everyRouteOfTheTableHasExactlyOneEndpointInItsFunction() {
        Map<ApiRoutes.Function, Routes> routes = Map.of(
                ApiRoutes.Function.INGEST,
                wiring.ingestRoutes(),
                ApiRoutes.Function.QUERY,
                wiring.queryRoutes(),
                ApiRoutes.Function.ACCOUNT,
                wiring.accountRoutes());
        Set<String> served = new HashSet<>();
        for (ApiRoutes.Function f : ApiRoutes.Function.values()) {
            assertEquals(f, routes.get(f).function());
            assertEquals(declared(f), routes.get(f).routeKeys(), f.name());
            for (String key : routes.get(f).routeKeys()) {
                assertTrue(served.add(key), key + " has endpoints in two functions");
            }
        }
        assertEquals(ApiRoutes.all().stream().map(ApiRoutes.Route::routeKey).collect(Collectors.toSet()), served);

        Set<String> query = routes.get(ApiRoutes.Function.QUERY).routeKeys();
        // 12 reads, the delete and file experts under /users/current and /users/{user} of each of the two
        // prefixes, the private leaderboards (list and one) under /users/current of each, and 2 badges; the
        // dashboard's /api/goals routes are DevTime's own.
        assertEquals(
                2 * 2 * 14 + 2 * 2 + 2,
                query.stream()
                        .filter(k -> k.contains("/users/") || k.contains("/api/badge/"))
                        .count());
        assertTrue(query.contains("DELETE /api/v1/users/current/heartbeats.bulk"));
        assertFalse(query.contains("POST /api/v1/users/current/heartbeats.bulk"));
        assertTrue(routes.get(ApiRoutes.Function.INGEST)
                .routeKeys()
                .contains("POST /api/v1/users/current/heartbeats.bulk"));
        assertTrue(query.contains("GET /api/compat/wakatime/v1/users/{user}/statusbar/today"));
        assertTrue(query.contains("GET /api/goals"));
        assertTrue(query.stream().noneMatch(k -> k.contains("/goals/{id}/")));
    }

    @Test
    void aTableRouteWithoutEndpointOrAnEndpointWithoutRouteStopsTheFunction() {
        Endpoint ok = r -> HttpResponses.json(200, Map.of());
        IllegalStateException missing = assertThrows(
                IllegalStateException.class,
                () -> Routes.of(ApiRoutes.Function.QUERY)
                        .on("GET /api/health", ok)
                        .build());
        assertTrue(missing.getMessage().contains("GET /api/stats"), missing.getMessage());

        Routes.Builder all = Routes.of(ApiRoutes.Function.ACCOUNT).on(declared(ApiRoutes.Function.ACCOUNT), ok);
        all.on("GET /api/nowhere", ok);
        IllegalStateException extra = assertThrows(IllegalStateException.class, all::build);
        assertTrue(extra.getMessage().contains("GET /api/nowhere"), extra.getMessage());

        assertThrows(
                IllegalStateException.class,
                () -> Routes.of(ApiRoutes.Function.ACCOUNT)
                        .on("GET /api/me", ok)
                        .on("GET /api/me", ok));
    }

    @Test
    void theRouteKeyChoosesTheEndpointNotTheRawPath() {
        QueryHandler query = new QueryHandler(wiring);
        APIGatewayV2HTTPResponse health =
                query.handleRequest(event("GET /api/health", "/api/stats", Map.of(), null), null);
        assertEquals(200, health.getStatusCode());
        assertEquals("{\"ok\":true}", health.getBody());

        APIGatewayV2HTTPResponse none = query.handleRequest(event("GET /api/me", "/api/health", Map.of(), null), null);
        assertEquals(404, none.getStatusCode());
        assertEquals("{\"error\":\"no such route: GET /api/health\"}", none.getBody());
    }

    @Test
    void theAccountFunctionRefusesAnApiKeyOnEveryRoute() {
        // A JWT-shaped bearer without a verifier is refused before any read; an API key is refused as one.
        AccountHandler account = new AccountHandler(wiring);
        for (String key : declared(ApiRoutes.Function.ACCOUNT)) {
            // Each {name} of the route filled in, as the gateway does.
            Map<String, String> params = new HashMap<>();
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("\\{([a-z]+)}").matcher(key);
            while (m.find()) {
                params.put(m.group(1), "x");
            }
            APIGatewayV2HTTPEvent e = event(
                    key,
                    key.substring(key.indexOf(' ') + 1).replaceAll("\\{[a-z]+}", "x"),
                    Map.of("authorization", "Bearer a.b.c"),
                    "{}");
            e.setPathParameters(params.isEmpty() ? null : params);
            APIGatewayV2HTTPResponse r = account.handleRequest(e, null);
            assertEquals(401, r.getStatusCode(), key);
            assertEquals("{\"error\":\"dashboard tokens are not accepted here\"}", r.getBody(), key);
        }
    }

    @Test
    void awsUnavailableIsA503WithRetryAfterForIngestAndALogged500ForReads() {
        String basic =
                "Basic " + Base64.getEncoder().encodeToString(ApiKeys.generate().getBytes(StandardCharsets.UTF_8));
        IngestHandler ingest = new IngestHandler(wiring);
        APIGatewayV2HTTPResponse r = ingest.handleRequest(
                event("POST /api/heartbeat", "/api/heartbeat", Map.of("authorization", basic), "{}"), null);
        assertEquals(503, r.getStatusCode());
        assertEquals("5", r.getHeaders().get("Retry-After"));
        assertEquals("{\"error\":\"heartbeats could not be stored right now; please retry\"}", r.getBody());

        QueryHandler query = new QueryHandler(wiring);
        APIGatewayV2HTTPResponse q =
                query.handleRequest(event("GET /api/stats", "/api/stats", Map.of("authorization", basic), null), null);
        assertEquals(500, q.getStatusCode());
        assertEquals("{\"error\":\"internal error; it has been logged\"}", q.getBody());
    }
}
