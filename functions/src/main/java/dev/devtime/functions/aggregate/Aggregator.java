package dev.devtime.functions.aggregate;

import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.store.BucketStore.Bucket;
import dev.devtime.functions.store.DayStore;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.UserSettings;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.time.TimeAccounting;
import dev.devtime.model.time.Timeline;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns queued heartbeats into stored state, idempotently and in any order: heartbeats are merged into
 * their buckets by identity (a resend or redelivery adds nothing), then every day they can touch is
 * recomputed from the stored buckets. Because a day is always a function of the stored heartbeats,
 * nothing depends on the order or the number of deliveries.
 */
public final class Aggregator {

    static final int MAX_CONFLICT_RETRIES = 20;

    private final BucketStore buckets;
    private final DayStore days;
    private final SettingsStore settings;
    private final long retentionDays;

    /** @param retentionDays raw heartbeats are kept this long (0: forever); rollups are kept regardless */
    public Aggregator(BucketStore buckets, DayStore days, SettingsStore settings, long retentionDays) {
        this.buckets = buckets;
        this.days = days;
        this.settings = settings;
        this.retentionDays = retentionDays;
    }

    /** What one call did, for logs and the benchmark. */
    public record Outcome(int received, int added, int bucketsWritten, int daysWritten) {
    }

    /** Stores one user's heartbeats and brings the affected days up to date. Safe to repeat. */
    public Outcome apply(String userId, Collection<Heartbeat> heartbeats) {
        return apply(userId, heartbeats, List.of());
    }

    /**
     * Stores one user's heartbeats (after the user's privacy settings), then recomputes every day they can
     * touch plus {@code recompute} (days asked for after a settings change). Safe to repeat.
     */
    public Outcome apply(String userId, Collection<Heartbeat> incoming, Collection<LocalDate> recompute) {
        SettingsStore.Settings settings = this.settings.get(userId);
        List<Heartbeat> heartbeats = Privacy.apply(incoming, settings);
        long retention = settings.retentionDays() > 0 ? settings.retentionDays() : retentionDays;
        Map<Long, List<Heartbeat>> byBucket = new TreeMap<>();
        for (Heartbeat h : heartbeats) {
            byBucket.computeIfAbsent(BucketStore.bucketStart(h.timeMs()), k -> new ArrayList<>()).add(h);
        }
        int added = 0;
        int bucketsWritten = 0;
        for (Map.Entry<Long, List<Heartbeat>> e : byBucket.entrySet()) {
            int n = merge(userId, e.getKey(), e.getValue(), retention);
            if (n > 0) {
                added += n;
                bucketsWritten++;
            }
        }
        UserSettings s = settings.timing();
        Set<LocalDate> affected = new TreeSet<>(recompute);
        for (Heartbeat h : heartbeats) {
            affected.addAll(TimeAccounting.affectedDays(h.timeMs(), s));
        }
        int daysWritten = 0;
        for (LocalDate day : affected) {
            if (recompute(userId, day, s)) {
                daysWritten++;
            }
        }
        return new Outcome(incoming.size(), added, bucketsWritten, daysWritten);
    }

    /** Recomputes one day from the stored heartbeats; true when a new rollup was written. */
    public boolean recompute(String userId, LocalDate day, UserSettings s) {
        long[] window = TimeAccounting.window(day, s);
        List<Bucket> stored = buckets.query(userId, window[0], window[1]);
        long versionSum = 0;
        List<Heartbeat> all = new ArrayList<>();
        for (Bucket b : stored) {
            versionSum += b.version();
            all.addAll(b.heartbeats());
        }
        DayStore.Source source = new DayStore.Source(s.version(), versionSum);
        DayStore.Source existing = days.source(userId, day);
        if (existing != null && existing.covers(source)) {
            return false;
        }
        DayRollup rollup = TimeAccounting.day(Timeline.of(all), day, s);
        if (existing == null && rollup.heartbeats() == 0 && rollup.rows().isEmpty()) {
            return false;
        }
        return days.put(userId, rollup, source);
    }

    /** Adds heartbeats to one bucket with optimistic concurrency; returns how many were new. */
    private int merge(String userId, long bucketStart, List<Heartbeat> incoming, long retention) {
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Bucket current = buckets.get(userId, bucketStart);
            Map<String, Heartbeat> merged = new LinkedHashMap<>();
            current.heartbeats().forEach(h -> merged.putIfAbsent(h.identity(), h));
            int before = merged.size();
            incoming.forEach(h -> merged.putIfAbsent(h.identity(), h));
            int added = merged.size() - before;
            if (added == 0) {
                return 0;
            }
            List<Heartbeat> sorted = Timeline.of(merged.values());
            if (buckets.put(userId, bucketStart, current.version(), sorted, ttl(bucketStart, retention))) {
                return added;
            }
        }
        throw new IllegalStateException("bucket " + bucketStart + " kept changing under concurrent writers");
    }

    private static Long ttl(long bucketStart, long retention) {
        if (retention <= 0) {
            return null;
        }
        return (bucketStart + BucketStore.BUCKET_MS) / 1000 + retention * 86_400L;
    }
}
