package dev.devtime.coldstart.runner;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * An API Gateway HTTP API (payload 2.0) event as the gateway sends it: method, path, query, headers,
 * body, and the JWT authorizer's claims where the route has one. Properties: {@code method},
 * {@code path}, {@code query}, {@code body}, {@code header.<name>}, {@code claim.<name>}.
 */
final class HttpInvoker {

    private HttpInvoker() {}

    @SuppressWarnings("unchecked")
    static String invoke(Object handler, Properties p) {
        String method = p.getProperty("method");
        String path = p.getProperty("path");
        Map<String, String> headers = prefixed(p, "header.");
        Map<String, String> claims = prefixed(p, "claim.");
        var context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(method)
                        .withPath(path)
                        .withSourceIp("127.0.0.1")
                        .withProtocol("HTTP/1.1")
                        .build())
                .withRequestId("coldstart")
                .withTimeEpoch(System.currentTimeMillis())
                .withRouteKey(method + " " + path);
        if (!claims.isEmpty()) {
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                            .builder()
                            .withClaims(claims)
                            .build())
                    .build());
        }
        String query = p.getProperty("query");
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(method + " " + path)
                .withRawPath(path)
                .withRawQueryString(query == null ? "" : query)
                .withQueryStringParameters(query == null ? null : queryMap(query))
                .withHeaders(headers)
                .withBody(p.getProperty("body"))
                .withIsBase64Encoded(false)
                .withRequestContext(context.build())
                .build();
        APIGatewayV2HTTPResponse r = ((RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) handler)
                .handleRequest(event, new RunnerContext());
        return r.getStatusCode() + " " + r.getBody();
    }

    private static Map<String, String> prefixed(Properties p, String prefix) {
        Map<String, String> out = new HashMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), p.getProperty(name));
            }
        }
        return out;
    }

    private static Map<String, String> queryMap(String query) {
        Map<String, String> out = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            out.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return out;
    }
}
