package dev.devtime.local.measure;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long each handler invocation took, per function, in this JVM: the gateway and the SQS event source
 * record every call of a real handler here, so the benchmark can price Lambda time from measured durations
 * (as {@code Metering} counts AWS requests). Durations are kept whole (a long each) because billing rounds
 * every invocation up to 1 ms separately and p99 needs the distribution, not a mean.
 *
 * <p>Every AWS call the handlers make is timed here too ({@link #recordCall}), kept apart from the functions,
 * so a slow handler can be told from a slow emulator.
 */
public final class HandlerTimings {

    private static final Map<String, long[]> DURATIONS = new HashMap<>();
    private static final Map<String, Integer> COUNTS = new HashMap<>();

    private HandlerTimings() {}

    public static synchronized void record(String function, long nanos) {
        long[] a = DURATIONS.computeIfAbsent(function, k -> new long[1024]);
        int n = COUNTS.getOrDefault(function, 0);
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
            DURATIONS.put(function, a);
        }
        a[n] = nanos;
        COUNTS.put(function, n + 1);
    }

    private static final String CALL = "aws:";

    /** One AWS SDK call, named like {@code Sqs.SendMessage}, from its start to its response. */
    public static void recordCall(String operation, long nanos) {
        record(CALL + operation, nanos);
    }

    /** Where each function's record stands now; {@link #since} gives what was recorded after it. */
    public static synchronized Mark mark() {
        return new Mark(Map.copyOf(COUNTS));
    }

    /** Per function, the invocations recorded since {@code mark} (functions with none are left out). */
    public static Map<String, Summary> since(Mark mark) {
        return since(mark, false);
    }

    /** Per AWS operation, the calls recorded since {@code mark}. */
    public static Map<String, Summary> callsSince(Mark mark) {
        return since(mark, true);
    }

    private static synchronized Map<String, Summary> since(Mark mark, boolean calls) {
        Map<String, Summary> out = new TreeMap<>();
        COUNTS.forEach((name, n) -> {
            int from = mark.counts().getOrDefault(name, 0);
            if (n > from && name.startsWith(CALL) == calls) {
                out.put(
                        calls ? name.substring(CALL.length()) : name,
                        Summary.of(Arrays.copyOfRange(DURATIONS.get(name), from, n)));
            }
        });
        return out;
    }

    public record Mark(Map<String, Integer> counts) {}

    /**
     * @param billedMs the sum of each invocation's duration rounded up to a whole millisecond, as Lambda bills
     */
    public record Summary(long invocations, double meanMs, double p50Ms, double p99Ms, double maxMs, long billedMs) {

        static Summary of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            long total = 0;
            long billed = 0;
            for (long n : sorted) {
                total += n;
                billed += Math.max(1, (n + 999_999) / 1_000_000);
            }
            return new Summary(
                    sorted.length,
                    total / 1e6 / sorted.length,
                    percentile(sorted, 50) / 1e6,
                    percentile(sorted, 99) / 1e6,
                    sorted[sorted.length - 1] / 1e6,
                    billed);
        }

        /** Nearest-rank percentile of sorted values. */
        static long percentile(long[] sorted, double p) {
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(i, sorted.length - 1))];
        }
    }
}
