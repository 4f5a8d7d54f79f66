package dev.devtime.functions.ingest;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per user, kept in the warm container: {@code perMinute} heartbeats a minute on average,
 * up to {@code burst} at once. A request takes as many tokens as it has valid heartbeats, all or nothing,
 * and is refused whole when they are not there, before anything is queued: a client never has part of a
 * request accepted and has to guess which part.
 *
 * <p>In AWS each concurrent container of the ingest function keeps its own buckets, so a user spread over n
 * containers could get up to n times the limit; with the usual one or two containers per user that is a
 * fair approximation. A shared counter in DynamoDB would be exact but costs a write unit per request, as
 * much as storing the heartbeats themselves, to protect against something that rarely happens.
 */
public final class RateLimiter {

    /** Buckets of users who are idle long enough to be full again carry no state; drop them past this many. */
    static final int MAX_TRACKED_USERS = 10_000;

    private final double perMs;
    private final long burst;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** What a check decided: allowed, or refused with how long to wait before the request can pass. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
        static final Decision ALLOWED = new Decision(true, 0);
    }

    private static final class Bucket {
        double tokens;
        long updatedMs;

        Bucket(double tokens, long updatedMs) {
            this.tokens = tokens;
            this.updatedMs = updatedMs;
        }
    }

    /** @param perMinute average heartbeats per minute and user; 0 turns limiting off */
    public RateLimiter(long perMinute, long burst, Clock clock) {
        this.perMs = perMinute / 60_000.0;
        this.burst = Math.max(burst, perMinute > 0 ? 1 : 0);
        this.clock = clock;
    }

    public long perMinute() {
        return Math.round(perMs * 60_000);
    }

    public long burst() {
        return burst;
    }

    public boolean enabled() {
        return perMs > 0;
    }

    /**
     * Takes {@code count} tokens from the user's bucket if they are all there. A request larger than the
     * burst costs the whole burst, so it passes once the bucket is full instead of never.
     */
    public Decision tryAcquire(String userId, int count) {
        if (!enabled() || count <= 0) {
            return Decision.ALLOWED;
        }
        long now = clock.millis();
        double cost = Math.min(count, burst);
        if (buckets.size() > MAX_TRACKED_USERS) {
            evictFull(now);
        }
        Bucket b = buckets.computeIfAbsent(userId, u -> new Bucket(burst, now));
        synchronized (b) {
            refill(b, now);
            if (b.tokens >= cost) {
                b.tokens -= cost;
                return Decision.ALLOWED;
            }
            double missing = cost - b.tokens;
            return new Decision(false, Math.max(1, (long) Math.ceil(missing / perMs / 1000.0)));
        }
    }

    private void refill(Bucket b, long now) {
        if (now > b.updatedMs) {
            b.tokens = Math.min(burst, b.tokens + (now - b.updatedMs) * perMs);
            b.updatedMs = now;
        }
    }

    private void evictFull(long now) {
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                refill(e.getValue(), now);
                return e.getValue().tokens >= burst;
            }
        });
    }

    int trackedUsers() {
        return buckets.size();
    }
}
