package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.query.GoalsService;

/** {@code GET /users/current/goals[/{id}]}: the goals the dashboard edits, each evaluated, read with an API key. */
public final class GoalsEndpoint {

    private final Authenticator auth;
    private final GoalsService goals;

    public GoalsEndpoint(Authenticator auth, GoalsService goals) {
        this.auth = auth;
        this.goals = goals;
    }

    public APIGatewayV2HTTPResponse list(HttpRequest request) {
        return goals.list(auth.authenticateOwner(request).userId());
    }

    public APIGatewayV2HTTPResponse one(HttpRequest request) {
        return goals.one(auth.authenticateOwner(request).userId(), request.pathParameter("id"));
    }
}
