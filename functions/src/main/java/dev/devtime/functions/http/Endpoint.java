package dev.devtime.functions.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/**
 * What answers one route. It may throw {@link HttpException} for a refused request; {@link HttpHandlers#guarded}
 * turns that, and any other failure, into the response.
 */
@FunctionalInterface
public interface Endpoint {

    APIGatewayV2HTTPResponse handle(HttpRequest request);
}
