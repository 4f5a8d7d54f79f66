package dev.devtime.functions.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/** JSON responses and errors in one shape: {@code {"error": "..."}}. */
public final class HttpResponses {

    public static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponses() {
    }

    public static APIGatewayV2HTTPResponse json(int status, Object body) {
        try {
            return raw(status, JSON.writeValueAsString(body), "application/json", Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static APIGatewayV2HTTPResponse error(int status, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", message);
        return json(status, o);
    }

    public static APIGatewayV2HTTPResponse error(int status, String message, Map<String, String> headers) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", message);
        return raw(status, o.toString(), "application/json", headers);
    }

    public static APIGatewayV2HTTPResponse raw(int status, String body, String contentType, Map<String, String> extra) {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("Content-Type", contentType);
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withBody(body).build();
    }
}
