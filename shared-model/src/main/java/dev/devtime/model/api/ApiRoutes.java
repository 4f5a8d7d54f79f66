package dev.devtime.model.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP API's route table: one source of truth read by the CDK app (which creates the API Gateway
 * routes and authorizers) and by the local gateway (which routes requests to the same handlers).
 */
public final class ApiRoutes {

    /** Which Lambda function serves a route. */
    public enum Function {
        INGEST,
        QUERY,
        ACCOUNT
    }

    /**
     * How a route is authorized at the gateway. {@code JWT}: the HTTP API's JWT authorizer (Cognito in
     * AWS, the embedded issuer locally) must pass before the handler runs. {@code HANDLER}: the handler
     * itself checks an API key (plugins) or a JWT (dashboard). {@code NONE}: public.
     */
    public enum Auth {
        JWT,
        HANDLER,
        NONE
    }

    public record Route(String method, String path, Function function, Auth auth) {
        /** API Gateway route key, e.g. {@code POST /api/heartbeat}. */
        public String routeKey() {
            return method + " " + path;
        }
    }

    /** WakaTime plugins use {@code /api/v1}; Wakapi's compat prefix is accepted too. */
    public static final List<String> WAKATIME_PREFIXES = List.of("/api/v1", "/api/compat/wakatime/v1");

    /** WakaTime's reads under {@code /users/{user}}. */
    private static final List<String> WAKATIME_READS = List.of(
            "",
            "/summaries",
            "/stats",
            "/stats/{range}",
            "/durations",
            "/all_time_since_today",
            "/heartbeats",
            "/projects",
            "/user_agents",
            "/statusbar/today",
            "/goals",
            "/goals/{id}");

    private static final List<Route> ROUTES = build();

    private ApiRoutes() {}

    public static List<Route> all() {
        return ROUTES;
    }

    /** {@code path} under each WakaTime prefix: {@code /plugins/errors} is {@code /api/v1/plugins/errors}, ... */
    public static List<String> wakatimePaths(String path) {
        return WAKATIME_PREFIXES.stream().map(p -> p + path).toList();
    }

    /**
     * {@code rest} after {@code /users/current} and after {@code /users/{user}} under each WakaTime prefix. A
     * {@code {user}} that is the caller's own id answers as {@code current} does; literal {@code current} wins
     * over {@code {user}} in API Gateway.
     */
    public static List<String> userPaths(String rest) {
        List<String> out = new ArrayList<>();
        for (String p : WAKATIME_PREFIXES) {
            for (String who : List.of("current", "{user}")) {
                out.add(p + "/users/" + who + rest);
            }
        }
        return out;
    }

    /** The route keys of {@code method} on each of {@code paths}. */
    public static List<String> keys(String method, List<String> paths) {
        return paths.stream().map(p -> method + " " + p).toList();
    }

    private static List<Route> build() {
        List<Route> r = new ArrayList<>();
        // Ingest: plugins, API key checked by the handler.
        r.add(new Route("POST", "/api/heartbeat", Function.INGEST, Auth.HANDLER));
        r.add(new Route("POST", "/api/heartbeat/batch", Function.INGEST, Auth.HANDLER));
        for (String path : userPaths("/heartbeats")) {
            r.add(new Route("POST", path, Function.INGEST, Auth.HANDLER));
        }
        for (String path : userPaths("/heartbeats.bulk")) {
            r.add(new Route("POST", path, Function.INGEST, Auth.HANDLER));
        }
        for (String path : wakatimePaths("/plugins/errors")) {
            r.add(new Route("POST", path, Function.INGEST, Auth.HANDLER));
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
        // WakaTime read API (functions/.../query/wakatime): API key or JWT, checked by the handler. Deleting
        // heartbeats rewrites buckets, so the query function needs PutItem.
        // Another user's stats are public when they opted in (no credentials).
        for (String read : WAKATIME_READS) {
            for (String path : userPaths(read)) {
                boolean publicStats = read.startsWith("/stats") && path.contains("/users/{user}/");
                r.add(new Route("GET", path, Function.QUERY, publicStats ? Auth.NONE : Auth.HANDLER));
            }
        }
        for (String path : userPaths("/heartbeats.bulk")) {
            r.add(new Route("DELETE", path, Function.QUERY, Auth.HANDLER));
        }
        for (String path : userPaths("/file_experts")) {
            r.add(new Route("POST", path, Function.QUERY, Auth.HANDLER));
        }
        // Goals from the dashboard (evaluated by the query function, which reads the rollups anyway).
        r.add(new Route("GET", "/api/goals", Function.QUERY, Auth.JWT));
        r.add(new Route("POST", "/api/goals", Function.QUERY, Auth.JWT));
        r.add(new Route("PUT", "/api/goals/{id}", Function.QUERY, Auth.JWT));
        r.add(new Route("DELETE", "/api/goals/{id}", Function.QUERY, Auth.JWT));
        // Teams: management from the dashboard (account function); views and leaderboards are reads (query).
        r.add(new Route("GET", "/api/teams", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("POST", "/api/teams", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("POST", "/api/teams/join", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("GET", "/api/teams/{team}", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("PATCH", "/api/teams/{team}", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("DELETE", "/api/teams/{team}", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("POST", "/api/teams/{team}/invites", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("POST", "/api/teams/{team}/owner", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("PUT", "/api/teams/{team}/sharing", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("PATCH", "/api/teams/{team}/members/{user}", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("DELETE", "/api/teams/{team}/members/{user}", Function.ACCOUNT, Auth.JWT));
        r.add(new Route("GET", "/api/teams/{team}/stats", Function.QUERY, Auth.JWT));
        r.add(new Route("GET", "/api/teams/{team}/leaderboard", Function.QUERY, Auth.JWT));
        // WakaTime's leaderboards: the instance's public one and the caller's private ones (their teams).
        for (String p : WAKATIME_PREFIXES) {
            r.add(new Route("GET", p + "/leaders", Function.QUERY, Auth.HANDLER));
            r.add(new Route("GET", p + "/users/current/leaderboards", Function.QUERY, Auth.HANDLER));
            r.add(new Route("GET", p + "/users/current/leaderboards/{board}", Function.QUERY, Auth.HANDLER));
        }
        // Public badges (shields.io endpoint JSON and SVG), only for users who opted in to sharing.
        r.add(new Route("GET", "/api/badge/{user}", Function.QUERY, Auth.NONE));
        r.add(new Route("GET", "/api/badge/{user}/svg", Function.QUERY, Auth.NONE));
        return List.copyOf(r);
    }
}
