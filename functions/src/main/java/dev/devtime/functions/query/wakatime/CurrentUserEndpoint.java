package dev.devtime.functions.query.wakatime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.auth.Authenticator;
import dev.devtime.functions.http.Endpoint;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Timing;

/**
 * {@code GET /users/current}: the fields tools read to greet the user and to cut days. DevTime has no user
 * names; the user id stands in for one (it is also what public stats and badges are addressed by).
 */
public final class CurrentUserEndpoint implements Endpoint {

    private final Authenticator auth;
    private final SettingsStore settings;

    public CurrentUserEndpoint(Authenticator auth, SettingsStore settings) {
        this.auth = auth;
        this.settings = settings;
    }

    @Override
    public APIGatewayV2HTTPResponse handle(HttpRequest request) {
        String user = auth.authenticateOwner(request).userId();
        Timing s = settings.timing(user);
        ObjectNode o = HttpResponses.JSON.createObjectNode();
        o.putObject("data")
                .put("id", user)
                .put("username", user)
                .put("display_name", user)
                .putNull("full_name")
                .putNull("email")
                .putNull("photo")
                .put("timezone", s.zone().getId())
                .put("timeout", s.timeoutMinutes())
                .put("writes_only", false)
                .put("is_email_public", false)
                .put("photo_public", false)
                .put("has_premium_features", false)
                .put("plan", "self-hosted");
        return HttpResponses.json(200, o);
    }
}
