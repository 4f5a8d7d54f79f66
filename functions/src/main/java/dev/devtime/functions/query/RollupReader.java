package dev.devtime.functions.query;

import dev.devtime.functions.aggregate.Aggregator;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.store.DayStore;
import dev.devtime.functions.store.MonthStore;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.Dimension;
import dev.devtime.model.rollup.MonthRollup;
import dev.devtime.model.rollup.Stats;
import dev.devtime.model.time.TimeAccounting;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The read side of {@link Aggregator}'s contract: a user's days are the stored rollups, except open days,
 * which are computed here from the raw buckets (so a heartbeat shows as soon as its bucket is written).
 * Reading also settles open days that are due, so that a user who stops sending is settled by the next
 * read, not only by the next heartbeat.
 *
 * <p>Long ranges read whole past months from month rollups ({@link MonthStore}), building any that are
 * missing or stale from the days, so a year costs about a dozen items and all-time grows by twelve a year.
 *
 * <p>The Queries of one read that do not depend on each other run at once: each is a round trip of a few
 * milliseconds, and a year needs five of them, which would otherwise add up.
 */
public final class RollupReader {

    /** Contiguous open days further apart than this are read with separate bucket queries. */
    private static final int MAX_DAYS_PER_BUCKET_QUERY = 3;

    /** Threads that wait on DynamoDB for a read; daemon, so they never keep a JVM alive. */
    private static final ExecutorService READS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "devtime-read");
        t.setDaemon(true);
        return t;
    });

    private final DayStore days;
    private final MonthStore months;
    private final BucketStore buckets;
    private final SettingsStore settings;
    private final Aggregator aggregator;
    private final Clock clock;

    public RollupReader(
            DayStore days,
            MonthStore months,
            BucketStore buckets,
            SettingsStore settings,
            Aggregator aggregator,
            Clock clock) {
        this.days = days;
        this.months = months;
        this.buckets = buckets;
        this.settings = settings;
        this.aggregator = aggregator;
        this.clock = clock;
    }

    /** The user's days in [from, to] with data, with their sessions; days without data are absent. */
    public List<DayRollup> query(String userId, LocalDate from, LocalDate to) {
        return query(userId, state(userId), from, to);
    }

    /**
     * Stats over [from, to]. Without filters, whole past months come from month rollups, building any that
     * are missing or stale; with filters (which need each day's rows) from the days.
     */
    public Stats stats(String userId, LocalDate from, LocalDate to, Map<Dimension, String> filters) {
        return stats(userId, state(userId), from, to, filters);
    }

    /** As {@link #stats(String, LocalDate, LocalDate, Map)} with the user's state already read. */
    public Stats stats(
            String userId,
            SettingsStore.UserState state,
            LocalDate from,
            LocalDate to,
            Map<Dimension, String> filters) {
        if (!filters.isEmpty()) {
            return Stats.of(from, to, query(userId, state, from, to), filters);
        }
        YearMonth current = YearMonth.now(clock.withZone(state.timing().zone()));
        List<YearMonth> whole = new ArrayList<>();
        for (YearMonth m = YearMonth.from(from); !m.atDay(1).isAfter(to) && m.isBefore(current); m = m.plusMonths(1)) {
            YearMonth month = m;
            boolean inside = !m.atDay(1).isBefore(from) && !m.atEndOfMonth().isAfter(to);
            boolean open =
                    state.openDays().stream().anyMatch(d -> YearMonth.from(d).equals(month));
            if (inside && !open) {
                whole.add(m);
            }
        }
        if (whole.size() < 2) {
            return Stats.of(from, to, query(userId, state, from, to), filters);
        }
        YearMonth first = whole.get(0);
        YearMonth last = whole.get(whole.size() - 1);
        // Everything but the whole months' days, which only a stale month needs, is read at once.
        List<CompletableFuture<List<DayRollup>>> dayReads = new ArrayList<>();
        if (from.isBefore(first.atDay(1))) {
            dayReads.add(async(() -> query(userId, state, from, first.atDay(1).minusDays(1))));
        }
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            if (!whole.contains(m)) {
                YearMonth month = m;
                dayReads.add(async(() -> query(userId, state, month.atDay(1), month.atEndOfMonth())));
            }
        }
        if (to.isAfter(last.atEndOfMonth())) {
            dayReads.add(async(() -> query(userId, state, last.atEndOfMonth().plusDays(1), to)));
        }
        CompletableFuture<Map<YearMonth, Long>> generationsRead = async(() -> months.generations(userId, first, last));
        Map<YearMonth, MonthStore.Month> stored = months.months(userId, first, last);
        Map<YearMonth, Long> generations = join(generationsRead);
        List<CompletableFuture<MonthRollup>> monthReads = new ArrayList<>();
        for (YearMonth m : whole) {
            long generation = generations.getOrDefault(m, 0L);
            MonthStore.Month cached = stored.get(m);
            if (cached != null && cached.generation() == generation) {
                monthReads.add(CompletableFuture.completedFuture(cached.rollup()));
            } else {
                // Read the days only after the counter, and consistently: a day stored in between bumps the
                // counter past what is recorded here, so the next reader rebuilds again.
                monthReads.add(async(() -> {
                    MonthRollup built = MonthRollup.of(m, days.query(userId, m.atDay(1), m.atEndOfMonth(), true));
                    months.put(userId, generation, built);
                    return built;
                }));
            }
        }
        List<MonthRollup> monthRollups = new ArrayList<>();
        for (CompletableFuture<MonthRollup> read : monthReads) {
            monthRollups.add(join(read));
        }
        List<DayRollup> dayRollups = new ArrayList<>();
        for (CompletableFuture<List<DayRollup>> read : dayReads) {
            dayRollups.addAll(join(read));
        }
        return Stats.of(from, to, dayRollups, monthRollups);
    }

    /**
     * The user's settings and open days (one Query), settling open days that are due: read it once per
     * request and pass it to the other methods, so a read costs one settings read, not two.
     */
    public SettingsStore.UserState state(String userId) {
        SettingsStore.UserState state = settings.load(userId);
        long now = clock.millis();
        if (state.openDays().stream().anyMatch(d -> Aggregator.isSettled(d, state.timing(), now))) {
            aggregator.settle(userId, state, now);
        }
        return state;
    }

    /** As {@link #query(String, LocalDate, LocalDate)} with the user's state already read by {@link #state}. */
    public List<DayRollup> query(String userId, SettingsStore.UserState state, LocalDate from, LocalDate to) {
        Timing s = state.timing();
        List<LocalDate> open = new ArrayList<>();
        for (LocalDate d : state.openDays()) {
            if (!d.isBefore(from) && !d.isAfter(to)) {
                open.add(d);
            }
        }
        // Computed even when state() has just settled them: the stored copy may not be visible to this
        // eventually consistent read yet.
        List<List<LocalDate>> runs = runs(open);
        List<CompletableFuture<List<Heartbeat>>> timelines = new ArrayList<>();
        for (List<LocalDate> run : runs) {
            long start = TimeAccounting.window(run.get(0), s)[0];
            long end = TimeAccounting.window(run.get(run.size() - 1), s)[1];
            timelines.add(async(() -> buckets.timeline(userId, start, end, false)));
        }
        Map<LocalDate, DayRollup> out = new TreeMap<>();
        // A range of open days only (today, for the status bar) has no stored day worth reading.
        if (open.size() < to.toEpochDay() - from.toEpochDay() + 1) {
            for (DayRollup d : days.query(userId, from, to)) {
                out.put(d.date(), d);
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            List<Heartbeat> timeline = join(timelines.get(i));
            for (LocalDate d : runs.get(i)) {
                DayRollup rollup = TimeAccounting.day(timeline, d, s);
                if (rollup.heartbeats() > 0 || !rollup.rows().isEmpty()) {
                    out.put(d, rollup);
                } else {
                    out.remove(d);
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The first day with data, for {@code range=all}; null when there is none. */
    public LocalDate firstDay(String userId) {
        LocalDate stored = days.firstDay(userId);
        SettingsStore.UserState state = settings.load(userId);
        LocalDate open = state.openDays().isEmpty() ? null : state.openDays().first();
        if (stored == null) {
            return open;
        }
        return open == null || stored.isBefore(open) ? stored : open;
    }

    private static <T> CompletableFuture<T> async(Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, READS);
    }

    /** The read's result, or the exception it threw as itself (so a throttled read stays a throttle). */
    private static <T> T join(CompletableFuture<T> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Sorted days cut into runs of consecutive days, each at most a few days long. */
    private static List<List<LocalDate>> runs(List<LocalDate> sorted) {
        List<List<LocalDate>> runs = new ArrayList<>();
        List<LocalDate> run = new ArrayList<>();
        for (LocalDate d : sorted) {
            if (!run.isEmpty()
                    && (!run.get(run.size() - 1).plusDays(1).equals(d) || run.size() >= MAX_DAYS_PER_BUCKET_QUERY)) {
                runs.add(run);
                run = new ArrayList<>();
            }
            run.add(d);
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }
}
