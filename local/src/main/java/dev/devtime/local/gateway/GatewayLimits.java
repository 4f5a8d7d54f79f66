package dev.devtime.local.gateway;

import java.time.Duration;

/**
 * What the gateway enforces, in one place. {@link #AWS} holds API Gateway's and Lambda's limits, as they
 * apply to the deployed API; tests shorten the times so a limit can be reached in a second.
 *
 * @param maxRequestBytes    API Gateway's request payload limit (10 MB): a longer body is refused with 413
 * @param maxResponseBytes   Lambda's synchronous invocation payload limit, on the response serialized as the
 *                           runtime sends it (JSON): a larger one fails the invocation
 * @param integrationTimeout API Gateway's integration timeout: past it the client gets 503 while the handler
 *                           runs on, as a Lambda does until its own timeout
 * @param readTimeout        the longest silence while a request's header or body is read, or while a client does not
 *                           take its response (the handler's own time does not count)
 * @param headerTimeout      the longest a new connection, or one that has just been answered, may take to send
 *                           a whole request header (so a client trickling bytes is dropped too)
 */
public record GatewayLimits(
        int maxRequestBytes,
        int maxResponseBytes,
        Duration integrationTimeout,
        Duration readTimeout,
        Duration headerTimeout) {

    /** API Gateway HTTP API's limit on the request line and headers together; Jetty answers 431 past it. */
    public static final int MAX_HEADER_BYTES = 10 * 1024;

    public static final GatewayLimits AWS = new GatewayLimits(
            10 * 1024 * 1024, 6_291_556, Duration.ofSeconds(29), Duration.ofSeconds(10), Duration.ofSeconds(10));

    public GatewayLimits withIntegrationTimeout(Duration d) {
        return new GatewayLimits(maxRequestBytes, maxResponseBytes, d, readTimeout, headerTimeout);
    }

    public GatewayLimits withReadTimeouts(Duration read, Duration header) {
        return new GatewayLimits(maxRequestBytes, maxResponseBytes, integrationTimeout, read, header);
    }
}
