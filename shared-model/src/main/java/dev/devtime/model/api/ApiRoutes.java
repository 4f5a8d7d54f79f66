package dev.devtime.model.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP API's route table: one source of truth read by the CDK app (which creates the API Gateway
 * routes and authorizers) and by the local gateway (which routes requests to the same handlers).
 */
public final class ApiRoutes {

    /** Which Lambda function serves a route. */
    public enum Function { INGEST, QUERY, ACCOUNT }

    /**
     * How a route is authorized at the gateway. {@code JWT}: the HTTP API's JWT authorizer (Cognito in
     * AWS, the embedded issuer locally) must pass before the handler runs. {@code HANDLER}: the handler
     * itself checks an API key (plugins) or a JWT (dashboard). {@code NONE}: public.
     */
    public enum Auth { JWT, HANDLER, NONE }

    public record Route(String method, String path, Function function, Auth auth) {
        /** API Gateway route key, e.g. {@code POST /api/heartbeat}. */
        public String routeKey() {
            return method + " " + path;
        }
    }

    /** WakaTime plugins use {@code /api/v1}; Wakapi's compat prefix is accepted too. */
    public static final List<String> WAKATIME_PREFIXES = List.of("/api/v1", "/api/compat/wakatime/v1");

    /** WakaTime's reads under {@code /users/{user}}, in the order routes are matched. */
    private static final List<String> WAKATIME_READS = List.of("", "/summaries", "/stats", "/stats/{range}",
            "/durations", "/all_time_since_today", "/heartbeats", "/projects", "/user_agents", "/statusbar/today",
            "/goals", "/goals/{id}");

    private static final List<Route> ROUTES = build();

    private ApiRoutes() {
    }

    public static List<Route> all() {
        return ROUTES;
    }

    private static List<Route> build() {
        List<Route> r = new ArrayList<>();
        // Ingest: plugins, API key checked by the handler.
        r.add(new Route("POST", "/api/heartbeat", Function.INGEST, Auth.HANDLER));
        r.add(new Route("POST", "/api/heartbeat/batch", Function.INGEST, Auth.HANDLER));
        for (String p : WAKATIME_PREFIXES) {
            // {user}: the caller's own id answers as "current" (literal "current" wins in API Gateway).
            for (String who : List.of("current", "{user}")) {
                r.add(new Route("POST", p + "/users/" + who + "/heartbeats", Function.INGEST, Auth.HANDLER));
                r.add(new Route("POST", p + "/users/" + who + "/heartbeats.bulk", Function.INGEST, Auth.HANDLER));
            }
            r.add(new Route("POST", p + "/plugins/errors", Function.INGEST, Auth.HANDLER));
        }
        // Native reads: the dashboard (JWT) and scripts (API key) share them, so the handler checks.
        r.add(new Route("GET", "/api/stats", Function.QUERY, Auth.HANDLER));
        r.add(new Route("GET", "/api/sessions", Function.QUERY, Auth.HANDLER));
        r.add(new Route("GET", "/api/health", Function.QUERY, Auth.NONE));
        // The dashboard's account routes: behind the gateway's JWT authorizer (Cognito in AWS).
        r.add(new Route("GET", "/api/me", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("POST", "/api/auth/token", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("GET", "/api/keys", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("PATCH", "/api/keys/{id}", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("DELETE", "/api/keys/{id}", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("GET", "/api/settings", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("PUT", "/api/settings", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("DELETE", "/api/account", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("GET", "/api/export", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("POST", "/api/import", Function.ACCOUNT, Auth.JWT));
        // WakaTime read API (functions/.../query/wakatime/WakaTimeApi): API key or JWT, checked by the
        // handler. Deleting heartbeats rewrites buckets, so the query function needs PutItem.
        for (String p : WAKATIME_PREFIXES) {
            // {user} is "current", or the caller's own id, which answers the same; literal "current" wins
            // over {user} in API Gateway. Another user's stats are public when they opted in (no credentials).
            for (String who : List.of("current", "{user}")) {
                String u = p + "/users/" + who;
                for (String read : WAKATIME_READS) {
                    r.add(new Route("GET", u + read, Function.QUERY, read.startsWith("/stats") && !who.equals("current") ? Auth.NONE : Auth.HANDLER));
                }
                r.add(new Route("DELETE", u + "/heartbeats.bulk", Function.QUERY, Auth.HANDLER));
                r.add(new Route("POST", u + "/file_experts", Function.QUERY, Auth.HANDLER));
            }
        }
        // Goals from the dashboard (evaluated by the query function, which reads the rollups anyway).
        r.add(new Route("GET", "/api/goals", Function.QUERY, Auth.JWT));
        r.add(new Route("POST", "/api/goals", Function.QUERY, Auth.JWT));
        r.add(new Route("PUT", "/api/goals/{id}", Function.QUERY, Auth.JWT));
        r.add(new Route("DELETE", "/api/goals/{id}", Function.QUERY, Auth.JWT));
        // Public badges (shields.io endpoint JSON and SVG), only for users who opted in to sharing.
        r.add(new Route("GET", "/api/badge/{user}", Function.QUERY, Auth.NONE));
        r.add(new Route("GET", "/api/badge/{user}/svg", Function.QUERY, Auth.NONE));
        return List.copyOf(r);
    }
}
