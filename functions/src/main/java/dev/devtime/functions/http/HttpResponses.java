package dev.devtime.functions.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.Log;
import java.util.HashMap;
import java.util.Map;

/** JSON responses and errors in one shape: {@code {"error": "..."}}. */
public final class HttpResponses {

    public static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Lambda's limit on a synchronous response: the whole invocation result, the body escaped as a JSON
     * string inside it. Past it API Gateway answers an error instead.
     */
    public static final int LAMBDA_RESPONSE_BYTES = 6 * 1024 * 1024;
    /**
     * What one page of a long list (see {@link Pages}) or of the export may hold: about half of Lambda's
     * limit, the rest left for escaping, headers and the fields around the list.
     */
    public static final int PAGE_BUDGET_BYTES = 3_000_000;
    /** Headers and the invocation result's own fields. */
    static final int ENVELOPE_BYTES = 16 * 1024;

    private HttpResponses() {}

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

    /**
     * Every response passes here. One that Lambda would refuse becomes a 400 that says how to ask for
     * less: the lists that can grow are paged, so only an unusually large range or data set gets here.
     */
    public static APIGatewayV2HTTPResponse raw(int status, String body, String contentType, Map<String, String> extra) {
        long size = lambdaBytes(body);
        if (size + ENVELOPE_BYTES > LAMBDA_RESPONSE_BYTES) {
            Log.info("response too large for Lambda", "status", status, "bytes", size);
            ObjectNode o = JSON.createObjectNode();
            o.put(
                    "error",
                    "the answer would be " + size / (1024 * 1024) + " MB, more than the "
                            + LAMBDA_RESPONSE_BYTES / (1024 * 1024)
                            + " MB a response may hold; ask for a shorter range");
            return build(400, o.toString(), "application/json", Map.of());
        }
        return build(status, body, contentType, extra);
    }

    /**
     * The bytes {@code body} takes in Lambda's response: UTF-8, with the quotes, backslashes and control
     * characters it escapes to put the body in a JSON string.
     */
    public static long lambdaBytes(String body) {
        long n = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"' || c == '\\') {
                n += 2;
            } else if (c < 0x20) {
                n += 6;
            } else if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static APIGatewayV2HTTPResponse build(
            int status, String body, String contentType, Map<String, String> extra) {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("Content-Type", contentType);
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .build();
    }
}
