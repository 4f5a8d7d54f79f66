package dev.devtime.functions.aggregate;

import dev.devtime.functions.Log;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.store.BucketStore.Bucket;
import dev.devtime.functions.store.BucketWriter;
import dev.devtime.functions.store.DayStore;
import dev.devtime.functions.store.MonthStore;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.functions.team.TeamRows;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.time.TimeAccounting;
import dev.devtime.model.time.Timeline;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
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
 * their buckets by identity (a resend or redelivery adds nothing; of two with one identity, the one with
 * more AI tokens is kept, as a response's usage only grows), then every day they can touch is brought
 * up to date. Because a day is always a function of the stored heartbeats, nothing depends on the order or
 * the number of deliveries.
 *
 * <p>Days are stored once, not once per batch. A day that can still take heartbeats in real time (its
 * window, the day plus one timeout, has not ended) is only marked <em>open</em>; readers compute open days
 * from the buckets ({@link dev.devtime.functions.query.RollupReader}). Once the window has ended plus {@link #SETTLE_MARGIN}, the next
 * batch or read of that user <em>settles</em> it: computes it from the buckets, stores it and unmarks it.
 * With plugin traffic (a request per tool every minute or two) this turns a day rewrite per request (the
 * day item is several KB, so several write units each time) into one per day. Heartbeats for a settled day
 * (offline backlogs, imports) recompute and store that day at once, as before.
 *
 * <p>Why settling cannot miss a heartbeat: a batch treats a day as open only while its window has not ended,
 * and writes the bucket and the open mark before it returns; a Lambda run lasts far less than the margin,
 * so by the time anyone settles the day (window end + margin) every such bucket write has landed.
 */
public final class Aggregator {

    /** Longer than any aggregator run (the Lambda timeout is a minute), so settling sees every write. */
    public static final Duration SETTLE_MARGIN = Duration.ofMinutes(15);

    private final BucketStore buckets;
    private final BucketWriter bucketWriter;
    private final DayStore days;
    private final MonthStore months;
    private final SettingsStore settings;
    private final TeamRows teamRows;
    private final Clock clock;

    /**
     * @param bucketWriter writes the buckets, with the raw retention (rollups are kept regardless)
     * @param teamRows     copies stored and open days to the user's teams and the public leaderboard
     */
    public Aggregator(
            BucketStore buckets,
            BucketWriter bucketWriter,
            DayStore days,
            MonthStore months,
            SettingsStore settings,
            TeamRows teamRows,
            Clock clock) {
        this.teamRows = teamRows;
        this.buckets = buckets;
        this.bucketWriter = bucketWriter;
        this.days = days;
        this.months = months;
        this.settings = settings;
        this.clock = clock;
    }

    /** What one call did, for logs and the benchmark. */
    public record Outcome(int received, int added, int bucketsWritten, int daysWritten) {}

    /** True while heartbeats arriving in real time can still change the day. */
    public static boolean isOpen(LocalDate day, Timing s, long nowMs) {
        return nowMs < TimeAccounting.window(day, s)[1];
    }

    /** True once an open day may be stored for good. */
    public static boolean isSettled(LocalDate day, Timing s, long nowMs) {
        return nowMs >= TimeAccounting.window(day, s)[1] + SETTLE_MARGIN.toMillis();
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
        return apply(userId, this.settings.load(userId), incoming, recompute);
    }

    /** As {@link #apply(String, Collection, Collection)} with the user's state just read by the caller. */
    public Outcome apply(
            String userId,
            SettingsStore.UserState state,
            Collection<Heartbeat> incoming,
            Collection<LocalDate> recompute) {
        SettingsStore.Settings settings = state.settings();
        List<Heartbeat> heartbeats = Privacy.apply(incoming, settings, () -> this.settings.hashKey(userId));
        long retention = bucketWriter.retentionDays(settings);
        Map<Long, List<Heartbeat>> byBucket = new TreeMap<>();
        for (Heartbeat h : heartbeats) {
            byBucket.computeIfAbsent(BucketStore.bucketStart(h.timeMs()), k -> new ArrayList<>())
                    .add(h);
        }
        int added = 0;
        int bucketsWritten = 0;
        List<Long> created = new ArrayList<>();
        for (Map.Entry<Long, List<Heartbeat>> e : byBucket.entrySet()) {
            int n = merge(userId, e.getKey(), e.getValue(), settings, created);
            if (n > 0) {
                added += n;
                bucketsWritten++;
            }
        }
        Timing s = settings.timing();
        Set<LocalDate> affected = new TreeSet<>(recompute);
        for (Heartbeat h : heartbeats) {
            affected.addAll(TimeAccounting.affectedDays(h.timeMs(), s));
        }
        long now = clock.millis();
        int daysWritten = 0;
        List<LocalDate> opened = new ArrayList<>();
        // With raw retention, a user who goes quiet for longer than it would lose the raw heartbeats of an
        // open day before anything settles it: such users have their days stored on every batch instead.
        boolean deferDays = retention <= 0;
        List<String> targets = state.dayTargets();
        for (LocalDate day : affected) {
            if (deferDays && isOpen(day, s, now)) {
                boolean opening = !state.openDays().contains(day);
                if (opening) {
                    opened.add(day);
                }
                // Teams see an open day as of the start of its latest bucket: a copy per quarter hour at most,
                // not one per request.
                if (!targets.isEmpty() && (opening || !created.isEmpty())) {
                    shareOpenDay(userId, day, settings, targets);
                }
            } else if (recompute(userId, day, settings, targets)) {
                daysWritten++;
            }
        }
        this.settings.markOpen(userId, opened);
        daysWritten += settle(userId, state, now);
        return new Outcome(incoming.size(), added, bucketsWritten, daysWritten);
    }

    /** Stores and unmarks the user's open days that have settled; returns how many rollups were written. */
    public int settle(String userId, SettingsStore.UserState state, long nowMs) {
        List<LocalDate> settled = new ArrayList<>();
        int written = 0;
        for (LocalDate day : state.openDays()) {
            if (isSettled(day, state.timing(), nowMs)) {
                if (recompute(userId, day, state.settings(), state.dayTargets())) {
                    written++;
                }
                settled.add(day);
            }
        }
        this.settings.markSettled(userId, settled);
        return written;
    }

    /** As {@link #recompute(String, LocalDate, SettingsStore.Settings, List)}, reading the user's teams. */
    public boolean recompute(String userId, LocalDate day, SettingsStore.Settings settings) {
        return recompute(userId, day, settings, this.settings.load(userId).dayTargets());
    }

    /** A day computed from its buckets, and what it was computed from. */
    public record Computed(DayRollup rollup, DayStore.Source source) {}

    /** Computes a day from the stored buckets of its window, strongly consistent or not. */
    public Computed compute(String userId, LocalDate day, SettingsStore.Settings settings, boolean consistent) {
        Timing s = settings.timing();
        long[] window = TimeAccounting.window(day, s);
        List<Bucket> stored = buckets.query(userId, window[0], window[1], consistent);
        long versionSum = 0;
        long expires = 0;
        List<Heartbeat> all = new ArrayList<>();
        for (Bucket b : stored) {
            versionSum += b.version();
            all.addAll(b.heartbeats());
            if (b.ttlSeconds() != null) {
                expires = expires == 0 ? b.ttlSeconds() : Math.min(expires, b.ttlSeconds());
            }
        }
        return new Computed(
                TimeAccounting.day(Timeline.of(all), day, s), new DayStore.Source(s.version(), versionSum, expires));
    }

    /** Copies an open day, computed from its buckets as readers do, to the user's teams. */
    private void shareOpenDay(String userId, LocalDate day, SettingsStore.Settings settings, List<String> targets) {
        Computed c = compute(userId, day, settings, false);
        teamRows.write(userId, targets, c.rollup(), TeamRows.version(c.source()));
    }

    /**
     * Recomputes one day from the stored heartbeats; true when a new rollup was written, which is then also
     * copied to {@code targets} (the user's teams, the public leaderboard). A stored rollup whose raw heartbeats
     * may have expired is kept as it is: recomputed from what is left it would lose history, so such a day keeps
     * the time zone and timeout it was computed with.
     */
    public boolean recompute(String userId, LocalDate day, SettingsStore.Settings settings, List<String> targets) {
        Computed c = compute(userId, day, settings, true);
        DayStore.Source source = c.source();
        long windowStart = TimeAccounting.window(day, settings.timing())[0];
        DayStore.Source existing = days.source(userId, day);
        boolean written = false;
        if (existing != null
                && rawMayBeGone(existing, windowStart, bucketWriter.retentionDays(settings), clock.millis())) {
            // Kept; the month rollup below is still told, as for any stored day.
        } else if (existing == null || !existing.covers(source)) {
            DayRollup rollup = c.rollup();
            if (existing == null && rollup.heartbeats() == 0 && rollup.rows().isEmpty()) {
                return false;
            }
            written = days.put(userId, rollup, source);
            if (written) {
                teamRows.write(userId, targets, rollup, TeamRows.version(source));
            }
        }
        // Also when nothing was written: a run that stored the day and died before this line is retried
        // by SQS, finds the day already there, and must still tell the month rollup.
        months.bump(userId, YearMonth.from(day));
        return written;
    }

    /**
     * True when some raw heartbeat a stored day was computed from may have been deleted by the retention:
     * the day records when the first of its buckets expires; a day stored without that record is judged by
     * when the first bucket of its window expires under the current retention.
     */
    static boolean rawMayBeGone(DayStore.Source stored, long windowStartMs, long retention, long nowMs) {
        Long expires = stored.rawExpiresAtSeconds();
        if (expires == null) {
            Long ttl = BucketStore.ttl(BucketStore.bucketStart(windowStartMs), retention);
            return ttl != null && nowMs >= ttl * 1000;
        }
        return expires > 0 && nowMs >= expires * 1000;
    }

    private static long aiTokens(Heartbeat h) {
        return h.tokensIn() + h.tokensOut() + h.cacheCreationTokens() + h.cacheReadTokens();
    }

    /** Adds heartbeats to one bucket; returns how many were new or grew. */
    private int merge(
            String userId,
            long bucketStart,
            List<Heartbeat> incoming,
            SettingsStore.Settings settings,
            List<Long> created) {
        int[] pending = {0};
        boolean[] fresh = {false};
        try {
            Integer added = bucketWriter.rewrite(userId, bucketStart, settings, true, stored -> {
                Map<String, Heartbeat> merged = new LinkedHashMap<>();
                stored.forEach(h -> merged.putIfAbsent(h.identity(), h));
                int before = merged.size();
                int grown = 0;
                for (Heartbeat h : incoming) {
                    Heartbeat kept = merged.putIfAbsent(h.identity(), h);
                    // One AI response read again after its transcript grew: same heartbeat, larger usage. Usage
                    // only grows, so keeping the larger is keeping the latest, in whatever order they arrive.
                    if (kept != null && aiTokens(h) > aiTokens(kept)) {
                        merged.put(h.identity(), h);
                        grown++;
                    }
                }
                int n = merged.size() - before + grown;
                pending[0] = n;
                fresh[0] = stored.isEmpty();
                return n == 0 ? null : new BucketWriter.Change<>(Timeline.of(merged.values()), n);
            });
            if (added != null && fresh[0]) {
                created.add(bucketStart);
            }
            return added == null ? 0 : added;
        } catch (BucketStore.BucketFull e) {
            // Failing would send the user's whole batch to the dead-letter queue for one overfull quarter hour.
            Log.error(
                    "bucket full; its new heartbeats are dropped",
                    e,
                    "user",
                    userId,
                    "bucket",
                    bucketStart,
                    "dropped",
                    pending[0]);
            return 0;
        }
    }
}
