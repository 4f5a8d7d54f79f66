package dev.devtime.functions.auth;

/**
 * Who a request acts for. {@code viaApiKey} tells plugin traffic from the dashboard's; {@code readOnly}
 * keys may read but not send heartbeats.
 */
public record Principal(String userId, boolean viaApiKey, boolean readOnly) {}
