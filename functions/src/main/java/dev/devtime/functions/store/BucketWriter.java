package dev.devtime.functions.store;

import dev.devtime.functions.store.BucketStore.Bucket;
import dev.devtime.model.Heartbeat;
import java.util.List;
import java.util.function.Function;

/**
 * Every rewrite of a user's raw heartbeat buckets goes through here: read the bucket, change its heartbeats,
 * write them back if nobody wrote the bucket since (its version), else read again, consistently, and retry;
 * what is written expires after the user's raw retention. The aggregator adds heartbeats this way, WakaTime's
 * delete removes them.
 */
public final class BucketWriter {

    /** Attempts before giving up on a bucket that other writers keep changing. */
    public static final int MAX_ATTEMPTS = 20;

    private final BucketStore buckets;
    private final long defaultRetentionDays;

    /** @param defaultRetentionDays the deployment's raw retention in days (0: forever), for users with none of their own */
    public BucketWriter(BucketStore buckets, long defaultRetentionDays) {
        this.buckets = buckets;
        this.defaultRetentionDays = defaultRetentionDays;
    }

    /** What a change makes of a bucket: its new heartbeats, and what the caller reports once they are written. */
    public record Change<R>(List<Heartbeat> heartbeats, R result) {}

    /** Other writers kept changing the bucket for {@link #MAX_ATTEMPTS} attempts. */
    public static final class Conflict extends RuntimeException {
        Conflict(long bucketStart) {
            super("bucket " + bucketStart + " kept changing under concurrent writers");
        }
    }

    /** The raw retention in days that applies to the user (0: kept forever): theirs, else the deployment's. */
    public long retentionDays(SettingsStore.Settings settings) {
        return settings.retentionDays() > 0 ? settings.retentionDays() : defaultRetentionDays;
    }

    /**
     * Rewrites one bucket as {@code change} makes it of the stored heartbeats (called again on every retry).
     *
     * @param staleFirstRead read first at half the cost, eventually consistent: only for a change that a stale
     *                       read cannot make wrongly return null (adding, but not deleting, heartbeats)
     * @return the result of the change that was written, or null when the change returned null (nothing to write)
     * @throws BucketStore.BucketFull when the heartbeats need more items than a bucket may have; nothing is written
     * @throws Conflict               when other writers kept changing the bucket
     */
    public <R> R rewrite(
            String userId,
            long bucketStart,
            SettingsStore.Settings settings,
            boolean staleFirstRead,
            Function<List<Heartbeat>, Change<R>> change) {
        Long ttl = BucketStore.ttl(bucketStart, retentionDays(settings));
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Bucket current = buckets.get(userId, bucketStart, !staleFirstRead || attempt > 0);
            Change<R> c = change.apply(current.heartbeats());
            if (c == null) {
                return null;
            }
            if (buckets.put(userId, current, c.heartbeats(), ttl)) {
                return c.result();
            }
        }
        throw new Conflict(bucketStart);
    }
}
