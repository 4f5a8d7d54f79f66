package dev.devtime.functions.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this JVM has spent on AWS's meters: DynamoDB read and write units (from ConsumedCapacity) and
 * requests per service operation. The benchmark reads it; in Lambda it is logged per invocation.
 */
public final class Metering {

    private static final DoubleAdder READ_UNITS = new DoubleAdder();
    private static final DoubleAdder WRITE_UNITS = new DoubleAdder();
    private static final Map<String, LongAdder> REQUESTS = new ConcurrentHashMap<>();

    private Metering() {}

    public static void addRead(double units) {
        READ_UNITS.add(units);
    }

    public static void addWrite(double units) {
        WRITE_UNITS.add(units);
    }

    public static void countRequest(String operation) {
        REQUESTS.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    public static Snapshot snapshot() {
        Map<String, Long> req = new TreeMap<>();
        REQUESTS.forEach((k, v) -> req.put(k, v.sum()));
        return new Snapshot(READ_UNITS.sum(), WRITE_UNITS.sum(), req);
    }

    /** Totals at one moment; subtract two to get what happened in between. */
    public record Snapshot(double readUnits, double writeUnits, Map<String, Long> requests) {

        public Snapshot minus(Snapshot earlier) {
            Map<String, Long> req = new TreeMap<>(requests);
            earlier.requests.forEach((k, v) -> req.merge(k, -v, Long::sum));
            return new Snapshot(readUnits - earlier.readUnits, writeUnits - earlier.writeUnits, req);
        }

        public long requests(String prefix) {
            return requests.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(prefix))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }
    }
}
