package dev.devtime.functions.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The parts of an API Gateway HTTP API event a handler reads, with header names lower-cased. */
public final class HttpRequest {

    private final APIGatewayV2HTTPEvent event;
    private final Map<String, String> headers = new HashMap<>();

    public HttpRequest(APIGatewayV2HTTPEvent event) {
        this.event = event;
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
    }

    public String method() {
        var ctx = event.getRequestContext();
        if (ctx != null && ctx.getHttp() != null && ctx.getHttp().getMethod() != null) {
            return ctx.getHttp().getMethod().toUpperCase(Locale.ROOT);
        }
        return "GET";
    }

    /**
     * The route the gateway matched, as {@code ApiRoutes.Route.routeKey()}: {@code GET /api/v1/users/{user}/stats}.
     * The endpoint is chosen by it; the raw path is only for messages and logs.
     */
    public String routeKey() {
        if (event.getRouteKey() != null) {
            return event.getRouteKey();
        }
        var ctx = event.getRequestContext();
        return ctx == null ? null : ctx.getRouteKey();
    }

    public String path() {
        return event.getRawPath() == null ? "/" : event.getRawPath();
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String query(String name) {
        Map<String, String> q = event.getQueryStringParameters();
        return q == null ? null : q.get(name);
    }

    public Map<String, String> queryParameters() {
        return event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    }

    public String pathParameter(String name) {
        Map<String, String> p = event.getPathParameters();
        return p == null ? null : p.get(name);
    }

    /** The raw body bytes; API Gateway base64-encodes bodies it does not consider text. */
    public byte[] body() {
        String b = event.getBody();
        if (b == null) {
            return new byte[0];
        }
        return event.getIsBase64Encoded() ? Base64.getDecoder().decode(b) : b.getBytes(StandardCharsets.UTF_8);
    }

    /** Claims the gateway's JWT authorizer put on the request, or null when it did not run. */
    public Map<String, String> authorizerClaims() {
        var ctx = event.getRequestContext();
        if (ctx == null || ctx.getAuthorizer() == null || ctx.getAuthorizer().getJwt() == null) {
            return null;
        }
        return ctx.getAuthorizer().getJwt().getClaims();
    }

    public String requestId() {
        var ctx = event.getRequestContext();
        return ctx == null ? null : ctx.getRequestId();
    }

    public APIGatewayV2HTTPEvent event() {
        return event;
    }
}
