package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

/**
 * A user signed in to the dashboard (a token of the stack's issuer) with an API key made through the
 * dashboard's route, as a new user gets one.
 *
 * @param bearer  the dashboard's {@code Authorization} header
 * @param keyAuth the plugins' {@code Authorization} header for the key
 */
record SignedInUser(String id, String bearer, String keyAuth) {

    static SignedInUser create(LocalDeployment stack, ApiClient api, String idPrefix) {
        String id = idPrefix + UUID.randomUUID();
        String bearer = "Bearer " + stack.issuer.tokenFor(id);
        ApiClient.Response r = api.request("POST", "/api/auth/token", bearer, "{\"label\":\"laptop\"}");
        assertEquals(201, r.status(), r.body());
        return new SignedInUser(id, bearer, ApiClient.basic(r.json().get("key").asText()));
    }
}
