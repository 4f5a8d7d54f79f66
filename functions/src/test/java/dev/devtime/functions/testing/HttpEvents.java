package dev.devtime.functions.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway HTTP API events as the gateway hands them to a function: the matched route's key and path
 * parameters, the query, the body and, for a signed-in user, the JWT authorizer's claims.
 */
public final class HttpEvents {

    private static final Pattern PARAM = Pattern.compile("\\{([a-z]+)}");

    private final String method;
    private final String route;
    private final Map<String, String> pathParameters = new HashMap<>();
    private final Map<String, String> query = new HashMap<>();
    private final Map<String, String> headers = new HashMap<>();
    private String body;
    private String subject;

    private HttpEvents(String method, String route) {
        this.method = method;
        this.route = route;
    }

    /** A request to the route {@code route} of the route table, e.g. {@code ("PATCH", "/api/keys/{id}")}. */
    public static HttpEvents request(String method, String route) {
        return new HttpEvents(method, route);
    }

    public HttpEvents path(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    public HttpEvents query(String name, String value) {
        query.put(name, value);
        return this;
    }

    public HttpEvents body(String json) {
        body = json;
        headers.put("content-type", "application/json");
        return this;
    }

    /** Signed in on the dashboard: the JWT authorizer passed and put the user's claims on the request. */
    public HttpEvents signedIn(String userId) {
        subject = userId;
        return this;
    }

    /** A plugin's API key, as WakaTime clients send it. */
    public HttpEvents apiKey(String key) {
        headers.put(
                "authorization", "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    public APIGatewayV2HTTPEvent build() {
        Matcher m = PARAM.matcher(route);
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String v = pathParameters.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("no value for {" + m.group(1) + "} in " + route);
            }
            m.appendReplacement(path, Matcher.quoteReplacement(v));
        }
        m.appendTail(path);
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder ctx = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(path.toString())
                        .build())
                .withRouteKey(method + " " + route)
                .withRequestId("test");
        if (subject != null) {
            ctx.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                            .builder()
                            .withClaims(Map.of("sub", subject))
                            .build())
                    .build());
        }
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey(method + " " + route)
                .withRawPath(path.toString())
                .withPathParameters(pathParameters.isEmpty() ? null : Map.copyOf(pathParameters))
                .withQueryStringParameters(query.isEmpty() ? null : Map.copyOf(query))
                .withHeaders(Map.copyOf(headers))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(ctx.build())
                .build();
    }
}
