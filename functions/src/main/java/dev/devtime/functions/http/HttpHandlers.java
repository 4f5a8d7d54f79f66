package dev.devtime.functions.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.Log;
import java.util.function.Function;

/** The last line of defence of every HTTP handler: an unexpected failure is a logged 500, never a crash. */
public final class HttpHandlers {

    private HttpHandlers() {
    }

    public static APIGatewayV2HTTPResponse guarded(APIGatewayV2HTTPEvent event, Function<HttpRequest, APIGatewayV2HTTPResponse> service) {
        HttpRequest request = new HttpRequest(event);
        try {
            Params.checkPathParameters(request);
            return service.apply(request);
        } catch (HttpException e) {
            return HttpResponses.error(e.status(), e.getMessage(), e.headers());
        } catch (RuntimeException e) {
            Log.error("unhandled error", e, "path", request.path(), "requestId", request.requestId());
            return HttpResponses.error(500, "internal error; it has been logged");
        }
    }

    /** A request that touches no data, for SnapStart priming. */
    public static APIGatewayV2HTTPEvent primingEvent(String method, String path, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withRawPath(path)
                .withHeaders(java.util.Map.of("authorization", "Basic cHJpbWluZw==", "content-type", "application/json"))
                .withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .withRequestId("priming")
                        .build())
                .build();
    }
}
