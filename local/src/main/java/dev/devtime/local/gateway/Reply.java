package dev.devtime.local.gateway;

import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A whole HTTP answer the gateway writes: status, headers and body. */
record Reply(int status, Map<String, String> headers, byte[] body) {

    /** API Gateway's own error shape: {@code {"message":"..."}}. */
    static Reply json(int status, String message) {
        String json = "{\"message\":" + TextNode.valueOf(message) + "}";
        return new Reply(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }
}
