package dev.devtime.local.gateway;

import dev.devtime.model.api.ApiRoutes;
import dev.devtime.model.api.ApiRoutes.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Matches a request to the route table the way API Gateway does, including {@code {param}} segments. */
final class RouteTable {

    record Match(Route route, Map<String, String> pathParameters) {}

    private final List<Route> routes;

    RouteTable(List<Route> routes) {
        this.routes = routes;
    }

    static RouteTable standard() {
        return new RouteTable(ApiRoutes.all());
    }

    Match match(String method, String path) {
        for (Route r : routes) {
            if (r.method().equals(method)) {
                Map<String, String> params = matchPath(r.path(), path);
                if (params != null) {
                    return new Match(r, params);
                }
            }
        }
        return null;
    }

    boolean pathExists(String path) {
        return routes.stream().anyMatch(r -> matchPath(r.path(), path) != null);
    }

    private static Map<String, String> matchPath(String template, String path) {
        String[] t = template.split("/");
        String[] p = path.split("/");
        if (t.length != p.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                if (p[i].isEmpty()) {
                    return null;
                }
                params.put(t[i].substring(1, t[i].length() - 1), p[i]);
            } else if (!t[i].equals(p[i])) {
                return null;
            }
        }
        return params;
    }
}
