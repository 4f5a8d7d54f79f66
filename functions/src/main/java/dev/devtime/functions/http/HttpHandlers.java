package dev.devtime.functions.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.Log;
import dev.devtime.functions.queue.HeartbeatQueue;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place a request's failure becomes its response: a refused request ({@link HttpException}) answers
 * its status and message, AWS being unavailable a 503 where the function asks for one, anything else a logged
 * 500, never a crash.
 */
public final class HttpHandlers {

    private HttpHandlers() {}

    public static APIGatewayV2HTTPResponse guarded(APIGatewayV2HTTPEvent event, Routes routes) {
        HttpRequest request = new HttpRequest(event);
        try {
            return answer(request, routes);
        } catch (RuntimeException e) {
            if (routes.unavailableMessage() != null
                    && (e instanceof HeartbeatQueue.QueueUnavailable || e instanceof SdkException)) {
                Log.error("AWS unavailable", e, "route", request.routeKey(), "requestId", request.requestId());
                return HttpResponses.error(503, routes.unavailableMessage(), Map.of("Retry-After", "5"));
            }
            Log.error("unhandled error", e, "path", request.path(), "requestId", request.requestId());
            return HttpResponses.error(500, "internal error; it has been logged");
        }
    }

    /**
     * The answer of the request's endpoint, or of its refusal ({@link HttpException}); any other failure reaches
     * the caller.
     */
    public static APIGatewayV2HTTPResponse answer(HttpRequest request, Routes routes) {
        try {
            Params.checkPathParameters(request);
            return routes.dispatch(request);
        } catch (HttpException e) {
            return HttpResponses.error(e.status(), e.getMessage(), e.headers());
        }
    }

    /** A request that touches no data, for SnapStart priming. */
    public static APIGatewayV2HTTPEvent primingEvent(String method, String path, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey(method + " " + path)
                .withRawPath(path)
                .withHeaders(
                        java.util.Map.of("authorization", "Basic cHJpbWluZw==", "content-type", "application/json"))
                .withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(path)
                                .build())
                        .withRouteKey(method + " " + path)
                        .withRequestId("priming")
                        .build())
                .build();
    }
}
