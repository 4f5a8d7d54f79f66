package dev.devtime.functions.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.model.api.ApiRoutes;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One function's endpoints by route key ({@code GET /api/stats}), the key API Gateway (and the local gateway)
 * matched the request to in {@link ApiRoutes}. Building it checks that every route the table gives the function
 * has exactly one endpoint and that no endpoint stands for a route the table does not have, so a route added to
 * the table without an endpoint stops the function at start-up rather than answering 404 in production.
 */
public final class Routes {

    private final ApiRoutes.Function function;
    private final Map<String, Endpoint> endpoints;
    private final String unavailableMessage;

    private Routes(ApiRoutes.Function function, Map<String, Endpoint> endpoints, String unavailableMessage) {
        this.function = function;
        this.endpoints = Map.copyOf(endpoints);
        this.unavailableMessage = unavailableMessage;
    }

    public static Builder of(ApiRoutes.Function function) {
        return new Builder(function);
    }

    public ApiRoutes.Function function() {
        return function;
    }

    public Set<String> routeKeys() {
        return endpoints.keySet();
    }

    /**
     * The answer when AWS fails the request (the queue or the table is unavailable): null for a logged 500,
     * else a 503 with this message and a Retry-After, for clients that hold their data and retry.
     */
    String unavailableMessage() {
        return unavailableMessage;
    }

    APIGatewayV2HTTPResponse dispatch(HttpRequest request) {
        Endpoint e = endpoints.get(request.routeKey());
        if (e == null) {
            throw new HttpException(404, "no such route: " + request.method() + " " + request.path());
        }
        return e.handle(request);
    }

    public static final class Builder {

        private final ApiRoutes.Function function;
        private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        private String unavailableMessage;

        private Builder(ApiRoutes.Function function) {
            this.function = function;
        }

        /** The endpoint of one route. */
        public Builder on(String routeKey, Endpoint endpoint) {
            if (endpoints.putIfAbsent(routeKey, endpoint) != null) {
                throw new IllegalStateException("two endpoints for " + routeKey);
            }
            return this;
        }

        /** One endpoint for several routes, e.g. the same read under each WakaTime prefix. */
        public Builder on(Collection<String> routeKeys, Endpoint endpoint) {
            routeKeys.forEach(k -> on(k, endpoint));
            return this;
        }

        /** See {@link Routes#unavailableMessage()}. */
        public Builder whenUnavailable(String message) {
            this.unavailableMessage = message;
            return this;
        }

        /** @throws IllegalStateException when the endpoints and the table's routes of this function differ */
        public Routes build() {
            Set<String> declared = ApiRoutes.all().stream()
                    .filter(r -> r.function() == function)
                    .map(ApiRoutes.Route::routeKey)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> missing = new TreeSet<>(declared);
            missing.removeAll(endpoints.keySet());
            Set<String> extra = new TreeSet<>(endpoints.keySet());
            extra.removeAll(declared);
            if (!missing.isEmpty() || !extra.isEmpty()) {
                throw new IllegalStateException(function + " routes without an endpoint: " + missing
                        + "; endpoints for routes the table does not give " + function + ": " + extra);
            }
            return new Routes(function, endpoints, unavailableMessage);
        }
    }
}
