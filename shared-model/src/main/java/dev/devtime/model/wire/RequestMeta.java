package dev.devtime.model.wire;

/**
 * What the request says besides the heartbeat itself.
 *
 * @param userAgentHeader the {@code User-Agent} header (an item's own {@code user_agent} wins)
 * @param machineHeader   {@code X-Machine-Name}, how WakaTime plugins name the machine
 * @param nowMs           the server's clock, for the future and age limits
 * @param maxAgeMs        how old a heartbeat may be (offline queues can be months old)
 */
public record RequestMeta(String userAgentHeader, String machineHeader, long nowMs, long maxAgeMs) {

    public static final long DEFAULT_MAX_AGE_MS = 365L * 24 * 3600 * 1000;
    public static final long MAX_FUTURE_MS = 3600L * 1000;

    public static RequestMeta of(String userAgent, String machine, long nowMs) {
        return new RequestMeta(userAgent, machine, nowMs, DEFAULT_MAX_AGE_MS);
    }
}
