package dev.devtime.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DayRollupCodec;
import dev.devtime.model.time.TimeAccounting;
import dev.devtime.model.time.Timeline;
import dev.devtime.model.wire.HeartbeatCodec;
import dev.devtime.model.wire.HeartbeatParser;
import dev.devtime.model.wire.ParseResult;
import dev.devtime.model.wire.RequestJson;
import dev.devtime.model.wire.RequestMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pure computation a heartbeat goes through on its way from an HTTP body to a stored day rollup, step by
 * step as the handlers do it, without the AWS calls between the steps.
 */
public final class PurePipeline {

    /** The aggregator's bucket size (functions' {@code BucketStore.BUCKET_MS}). */
    static final long BUCKET_MS = 15 * 60_000L;

    private PurePipeline() {}

    /** Ingest: the body as {@code JsonBody.parse} reads it, each item through the parser with the request's headers. */
    public static List<ParseResult> parse(DeveloperDay.Request request) {
        JsonNode body;
        try {
            body = RequestJson.PARSER.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RequestMeta meta = new RequestMeta(
                request.userAgent(), request.machine(), DeveloperDay.NOW_MS, RequestMeta.DEFAULT_MAX_AGE_MS);
        List<ParseResult> out = new ArrayList<>(body.size());
        for (JsonNode item : body) {
            out.add(HeartbeatParser.parse(item, meta));
        }
        return out;
    }

    public static List<Heartbeat> accepted(List<ParseResult> results) {
        List<Heartbeat> out = new ArrayList<>(results.size());
        for (ParseResult r : results) {
            if (r.isOk()) {
                out.add(r.heartbeat());
            }
        }
        return out;
    }

    /** The aggregator's recompute of one day from the heartbeats it read back (Aggregator.recompute). */
    public static DayRollup rollup(List<Heartbeat> heartbeats, LocalDate day) {
        return TimeAccounting.day(Timeline.of(heartbeats), day, DeveloperDay.SETTINGS);
    }

    /** What one run of {@link #run} produced, so a test can check the work was really done. */
    public record Result(
            int heartbeats, int queueBytes, int bucketBytes, int rollupBytes, Map<LocalDate, DayRollup> days) {}

    /**
     * The whole day through every pure step, as if it all arrived in one aggregator batch: parse each request,
     * encode its accepted heartbeats for the queue, decode them in the aggregator, merge them into 15-minute
     * buckets by identity and encode each bucket for storage, decode the buckets again, recompute every affected
     * day and encode its rollup.
     */
    public static Result run(List<DeveloperDay.Request> requests) {
        List<byte[]> messages = new ArrayList<>(requests.size());
        int queueBytes = 0;
        int count = 0;
        for (DeveloperDay.Request r : requests) {
            List<Heartbeat> ok = accepted(parse(r));
            count += ok.size();
            byte[] m = HeartbeatCodec.encode(ok);
            queueBytes += m.length;
            messages.add(m);
        }
        Map<Long, List<Heartbeat>> byBucket = new TreeMap<>();
        Set<LocalDate> affected = new TreeSet<>();
        for (byte[] m : messages) {
            for (Heartbeat h : HeartbeatCodec.decode(m)) {
                byBucket.computeIfAbsent(Math.floorDiv(h.timeMs(), BUCKET_MS), k -> new ArrayList<>())
                        .add(h);
                affected.addAll(TimeAccounting.affectedDays(h.timeMs(), DeveloperDay.SETTINGS));
            }
        }
        List<byte[]> buckets = new ArrayList<>(byBucket.size());
        int bucketBytes = 0;
        for (List<Heartbeat> b : byBucket.values()) {
            byte[] stored = HeartbeatCodec.encode(Timeline.of(b));
            bucketBytes += stored.length;
            buckets.add(stored);
        }
        List<Heartbeat> read = new ArrayList<>(count);
        for (byte[] b : buckets) {
            read.addAll(HeartbeatCodec.decode(b));
        }
        Map<LocalDate, DayRollup> days = new TreeMap<>();
        int rollupBytes = 0;
        for (LocalDate day : affected) {
            DayRollup d = rollup(read, day);
            rollupBytes += DayRollupCodec.encode(d).length;
            days.put(day, d);
        }
        return new Result(count, queueBytes, bucketBytes, rollupBytes, days);
    }

    /**
     * The aggregator when every batch recomputes its days (Aggregator.apply for a user with a raw-heartbeat
     * retention; other users' open days wait until they settle and are then computed once, like {@link #run}):
     * requests arrive one by one in time order, each is its own batch, merges its heartbeats into their stored
     * buckets and recomputes its day from all of the day's buckets so far. The cost per heartbeat grows with the
     * size of the day and falls with the size of the batches.
     */
    public static Result runAsArriving(List<DeveloperDay.Request> requestsInTimeOrder) {
        java.util.NavigableMap<Long, byte[]> stored = new TreeMap<>();
        Map<LocalDate, DayRollup> days = new TreeMap<>();
        int count = 0;
        int queueBytes = 0;
        int bucketBytes = 0;
        int rollupBytes = 0;
        for (DeveloperDay.Request r : requestsInTimeOrder) {
            byte[] message = HeartbeatCodec.encode(accepted(parse(r)));
            queueBytes += message.length;
            List<Heartbeat> received = HeartbeatCodec.decode(message);
            count += received.size();
            Map<Long, List<Heartbeat>> byBucket = new TreeMap<>();
            Set<LocalDate> affected = new TreeSet<>();
            for (Heartbeat h : received) {
                byBucket.computeIfAbsent(Math.floorDiv(h.timeMs(), BUCKET_MS), k -> new ArrayList<>())
                        .add(h);
                affected.addAll(TimeAccounting.affectedDays(h.timeMs(), DeveloperDay.SETTINGS));
            }
            for (Map.Entry<Long, List<Heartbeat>> e : byBucket.entrySet()) {
                byte[] before = stored.get(e.getKey());
                List<Heartbeat> merged = before == null ? new ArrayList<>() : HeartbeatCodec.decode(before);
                merged.addAll(e.getValue());
                byte[] after = HeartbeatCodec.encode(Timeline.of(merged));
                bucketBytes += after.length;
                stored.put(e.getKey(), after);
            }
            for (LocalDate day : affected) {
                long[] window = TimeAccounting.window(day, DeveloperDay.SETTINGS);
                List<Heartbeat> read = new ArrayList<>();
                for (byte[] b : stored.subMap(
                                Math.floorDiv(window[0], BUCKET_MS),
                                true,
                                Math.floorDiv(window[1] - 1, BUCKET_MS),
                                true)
                        .values()) {
                    read.addAll(HeartbeatCodec.decode(b));
                }
                DayRollup d = rollup(read, day);
                rollupBytes += DayRollupCodec.encode(d).length;
                days.put(day, d);
            }
        }
        return new Result(count, queueBytes, bucketBytes, rollupBytes, days);
    }
}
