package dev.devtime.functions.store;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.time.Timeline;
import dev.devtime.model.wire.HeartbeatCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Raw heartbeats, packed per user and 15-minute bucket: one small item holds a quarter hour of work, so a
 * batch of heartbeats costs one write instead of one per heartbeat. Every time-zone offset is a multiple
 * of 15 minutes, so each local day is a whole number of buckets. Each write bumps the bucket's version;
 * versions only grow, which is what lets day rollups tell a fresher computation from a staler one.
 */
public final class BucketStore {

    public static final long BUCKET_MS = 15 * 60_000L;

    private final Table table;

    public BucketStore(Table table) {
        this.table = table;
    }

    /** One stored bucket. {@code version} is 0 for a bucket that does not exist yet. */
    public record Bucket(long startMs, long version, List<Heartbeat> heartbeats) {
    }

    public static long bucketStart(long timeMs) {
        return Math.floorDiv(timeMs, BUCKET_MS) * BUCKET_MS;
    }

    static String sk(long startMs) {
        return String.format("B#%013d", startMs);
    }

    public Bucket get(String userId, long startMs) {
        return get(userId, startMs, true);
    }

    /**
     * One bucket; eventually consistent costs half. A stale read is harmless before a {@link #put}: its
     * version check fails and the caller reads again, consistently.
     */
    public Bucket get(String userId, long startMs, boolean consistent) {
        GetItemResponse r = table.client().getItem(b -> b.tableName(table.name()).consistentRead(consistent)
                .key(key(userId, startMs)).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        return r.hasItem() && !r.item().isEmpty() ? decode(r.item()) : new Bucket(startMs, 0, List.of());
    }

    /**
     * Writes the bucket as version {@code expectedVersion + 1} if nobody else wrote it since
     * {@code expectedVersion} was read. Returns false when somebody did (read again and merge).
     */
    public boolean put(String userId, long startMs, long expectedVersion, List<Heartbeat> heartbeats, Long ttlEpochSeconds) {
        Map<String, AttributeValue> item = new HashMap<>(key(userId, startMs));
        item.put("v", AttributeValue.fromN(Long.toString(expectedVersion + 1)));
        item.put("n", AttributeValue.fromN(Integer.toString(heartbeats.size())));
        item.put("h", AttributeValue.fromB(SdkBytes.fromByteArray(Gzip.compress(HeartbeatCodec.encode(heartbeats)))));
        if (ttlEpochSeconds != null) {
            item.put(Table.TTL, AttributeValue.fromN(Long.toString(ttlEpochSeconds)));
        }
        try {
            if (expectedVersion == 0) {
                table.client().putItem(b -> b.tableName(table.name()).item(item)
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            } else {
                table.client().putItem(b -> b.tableName(table.name()).item(item)
                        .conditionExpression("v = :v")
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(expectedVersion))))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Every bucket overlapping [fromMs, toMs), strongly consistent: rollups must see the latest writes. */
    public List<Bucket> query(String userId, long fromMs, long toMs) {
        return query(userId, fromMs, toMs, true);
    }

    /** As {@link #query(String, long, long)}; an eventually consistent read costs half the read units. */
    public List<Bucket> query(String userId, long fromMs, long toMs, boolean consistent) {
        List<Bucket> out = new ArrayList<>();
        table.between(userId, sk(bucketStart(fromMs)), sk(bucketStart(toMs - 1)), consistent)
                .forEach(i -> out.add(decode(i)));
        return out;
    }

    /** The heartbeats of every bucket overlapping [fromMs, toMs), as one sorted timeline. */
    public List<Heartbeat> timeline(String userId, long fromMs, long toMs, boolean consistent) {
        List<Heartbeat> all = new ArrayList<>();
        for (Bucket b : query(userId, fromMs, toMs, consistent)) {
            all.addAll(b.heartbeats());
        }
        return Timeline.of(all);
    }

    private static Bucket decode(Map<String, AttributeValue> item) {
        long start = Long.parseLong(item.get(Table.SK).s().substring(2));
        List<Heartbeat> hbs = HeartbeatCodec.decode(Gzip.decompress(item.get("h").b().asByteArray()));
        return new Bucket(start, Long.parseLong(item.get("v").n()), hbs);
    }

    private static Map<String, AttributeValue> key(String userId, long startMs) {
        return Table.userKey(userId, sk(startMs));
    }
}
