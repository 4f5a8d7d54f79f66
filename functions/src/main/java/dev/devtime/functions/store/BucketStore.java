package dev.devtime.functions.store;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.time.Timeline;
import dev.devtime.model.wire.HeartbeatCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Raw heartbeats, packed per user and 15-minute bucket: one small item holds a quarter hour of work, so a
 * batch of heartbeats costs one write instead of one per heartbeat. Every time-zone offset is a multiple
 * of 15 minutes, so each local day is a whole number of buckets. Each write bumps the bucket's version;
 * versions only grow, which is what lets day rollups tell a fresher computation from a staler one.
 *
 * <p>A bucket whose heartbeats would pass DynamoDB's 400 KB item limit is stored as a head item
 * {@code B#<start>} (version, part count, the first heartbeats) and parts {@code B#<start>#<i>}, which sort
 * right after the head and before the next bucket, so every Query of a bucket range, export, deletion and
 * retention (the same {@code ttl}) see them. Such a bucket is written in one transaction (the head's version
 * condition guards all of it), and each part carries the head's version, so a reader can tell a consistent
 * set of parts from one caught between two writes. A bucket never has fewer parts than before (a rewrite
 * that needs fewer leaves some slices small or empty), so no write deletes an item: bucket writers need
 * PutItem only.
 */
public final class BucketStore {

    public static final long BUCKET_MS = 15 * 60_000L;
    /** Room for a part's gzip'd heartbeats under the item limit, with the key and small attributes beside it. */
    static final int MAX_PART_BYTES = ItemSizes.MAX_ITEM_BYTES - 10 * 1024;
    /**
     * At most this many items per bucket (several MB of gzip'd heartbeats for one quarter hour, far past what
     * the rate limit lets through): a transaction takes 100 items and 4 MB.
     */
    public static final int MAX_PARTS = 8;

    private static final int READ_ATTEMPTS = 5;

    private final Table table;

    public BucketStore(Table table) {
        this.table = table;
    }

    /**
     * One stored bucket. {@code version} is 0 for a bucket that does not exist yet; {@code parts} is how many
     * items it is stored in; {@code ttlSeconds} is the earliest expiry among them, null when none expires.
     */
    public record Bucket(long startMs, long version, int parts, Long ttlSeconds, List<Heartbeat> heartbeats) {}

    /** More heartbeats in one bucket than {@link #MAX_PARTS} items hold. */
    public static final class BucketFull extends RuntimeException {
        BucketFull(String message) {
            super(message);
        }
    }

    public static long bucketStart(long timeMs) {
        return Math.floorDiv(timeMs, BUCKET_MS) * BUCKET_MS;
    }

    /** The bucket start of a head's or a part's sort key. */
    public static long startOf(String sk) {
        return Long.parseLong(sk.substring(2, 15));
    }

    /** When a bucket's items expire with a raw retention of {@code retentionDays} (null when kept). */
    public static Long ttl(long bucketStart, long retentionDays) {
        return retentionDays <= 0 ? null : (bucketStart + BUCKET_MS) / 1000 + retentionDays * 86_400L;
    }

    static String sk(long startMs) {
        return String.format("B#%013d", startMs);
    }

    private static String partSk(long startMs, int part) {
        return part == 0 ? sk(startMs) : sk(startMs) + "#" + part;
    }

    /** Past every part of the bucket, before the next bucket: '~' sorts after the parts' digits. */
    private static String lastSk(long startMs) {
        return sk(startMs) + "#~";
    }

    public Bucket get(String userId, long startMs) {
        return get(userId, startMs, true);
    }

    /**
     * One bucket (its head and parts, one Query); eventually consistent costs half. A stale read is harmless
     * before a {@link #put}: its version check fails and the caller reads again, consistently.
     */
    public Bucket get(String userId, long startMs, boolean consistent) {
        for (int attempt = 0; ; attempt++) {
            Assembled a =
                    assemble(startMs, table.between(userId, sk(startMs), lastSk(startMs), consistent || attempt > 0));
            if (a.complete || attempt + 1 >= READ_ATTEMPTS) {
                return a.bucket;
            }
        }
    }

    /**
     * Writes the bucket as version {@code current.version() + 1} if nobody else wrote it since {@code current}
     * was read. Returns false when somebody did (read again and merge).
     *
     * @throws BucketFull when the heartbeats need more than {@link #MAX_PARTS} items; nothing is written
     */
    public boolean put(String userId, Bucket current, List<Heartbeat> heartbeats, Long ttlEpochSeconds) {
        long startMs = current.startMs();
        long version = current.version() + 1;
        List<List<Heartbeat>> slices = new ArrayList<>();
        List<byte[]> packed = pack(heartbeats, Math.max(1, current.parts()), slices);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < packed.size(); i++) {
            Map<String, AttributeValue> item = new HashMap<>(Table.userKey(userId, partSk(startMs, i)));
            item.put("v", AttributeValue.fromN(Long.toString(version)));
            item.put("n", AttributeValue.fromN(Integer.toString(slices.get(i).size())));
            item.put("h", AttributeValue.fromB(SdkBytes.fromByteArray(packed.get(i))));
            if (i == 0 && packed.size() > 1) {
                item.put("p", AttributeValue.fromN(Integer.toString(packed.size())));
            }
            if (ttlEpochSeconds != null) {
                item.put(Table.TTL, AttributeValue.fromN(Long.toString(ttlEpochSeconds)));
            }
            items.add(ItemSizes.check(item));
        }
        String condition = current.version() == 0 ? "attribute_not_exists(pk)" : "v = :v";
        Map<String, AttributeValue> values =
                current.version() == 0 ? null : Map.of(":v", AttributeValue.fromN(Long.toString(current.version())));
        if (items.size() == 1) {
            try {
                table.client()
                        .putItem(b -> b.tableName(table.name())
                                .item(items.get(0))
                                .conditionExpression(condition)
                                .expressionAttributeValues(values)
                                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            }
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(table.name())
                        .item(items.get(0))
                        .conditionExpression(condition)
                        .expressionAttributeValues(values)
                        .build())
                .build());
        for (int i = 1; i < items.size(); i++) {
            writes.add(TransactWriteItem.builder()
                    .put(Put.builder()
                            .tableName(table.name())
                            .item(items.get(i))
                            .build())
                    .build());
        }
        try {
            table.client()
                    .transactWriteItems(
                            b -> b.transactItems(writes).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (TransactionCanceledException e) {
            // A failed version condition or a concurrent transaction on these items: read again and merge.
            if (e.hasCancellationReasons()
                    && e.cancellationReasons().stream()
                            .map(CancellationReason::code)
                            .anyMatch(c -> "ConditionalCheckFailed".equals(c) || "TransactionConflict".equals(c))) {
                return false;
            }
            throw e;
        }
    }

    /**
     * The heartbeats as at least {@code minParts} gzip'd chunks that each fit an item, in time order;
     * {@code slices} receives the heartbeats of each chunk.
     */
    private static List<byte[]> pack(List<Heartbeat> heartbeats, int minParts, List<List<Heartbeat>> slices) {
        byte[] whole = Gzip.compress(HeartbeatCodec.encode(heartbeats));
        int parts = Math.max(
                minParts, whole.length <= MAX_PART_BYTES ? 1 : (int) Math.ceil(whole.length * 1.1 / MAX_PART_BYTES));
        for (; parts <= MAX_PARTS && (parts == minParts || parts <= heartbeats.size()); parts++) {
            List<byte[]> out = new ArrayList<>();
            slices.clear();
            for (int i = 0; i < parts; i++) {
                List<Heartbeat> slice =
                        heartbeats.subList(heartbeats.size() * i / parts, heartbeats.size() * (i + 1) / parts);
                byte[] chunk = parts == 1 ? whole : Gzip.compress(HeartbeatCodec.encode(slice));
                if (chunk.length > MAX_PART_BYTES) {
                    break;
                }
                out.add(chunk);
                slices.add(slice);
            }
            if (out.size() == parts) {
                return out;
            }
        }
        throw new BucketFull(heartbeats.size() + " heartbeats (" + whole.length + " bytes gzip'd) do not fit in "
                + MAX_PARTS + " items of one 15-minute bucket");
    }

    /** Every bucket overlapping [fromMs, toMs), strongly consistent: rollups must see the latest writes. */
    public List<Bucket> query(String userId, long fromMs, long toMs) {
        return query(userId, fromMs, toMs, true);
    }

    /** As {@link #query(String, long, long)}; an eventually consistent read costs half the read units. */
    public List<Bucket> query(String userId, long fromMs, long toMs, boolean consistent) {
        Map<Long, List<Map<String, AttributeValue>>> byStart = new LinkedHashMap<>();
        for (Map<String, AttributeValue> i :
                table.between(userId, sk(bucketStart(fromMs)), lastSk(bucketStart(toMs - 1)), consistent)) {
            byStart.computeIfAbsent(startOf(i.get(Table.SK).s()), k -> new ArrayList<>())
                    .add(i);
        }
        List<Bucket> out = new ArrayList<>();
        for (Map.Entry<Long, List<Map<String, AttributeValue>>> e : byStart.entrySet()) {
            Assembled a = assemble(e.getKey(), e.getValue());
            // Parts caught between two writes of a split bucket: read that bucket again on its own.
            out.add(a.complete ? a.bucket : get(userId, e.getKey(), true));
        }
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

    private record Assembled(Bucket bucket, boolean complete) {}

    /**
     * One bucket from its items (head first, in sort-key order). Complete when the head is there and every
     * part it counts carries its version; otherwise the heartbeats of the items that do match the head.
     */
    private static Assembled assemble(long startMs, List<Map<String, AttributeValue>> items) {
        Map<String, AttributeValue> head = null;
        Map<Integer, Map<String, AttributeValue>> parts = new HashMap<>();
        for (Map<String, AttributeValue> i : items) {
            String sk = i.get(Table.SK).s();
            if (sk.length() == 15) {
                head = i;
            } else {
                parts.put(Integer.parseInt(sk.substring(16)), i);
            }
        }
        if (head == null) {
            // Nothing stored, or only parts whose head expired first: the bucket is gone or going.
            return new Assembled(
                    new Bucket(startMs, 0, parts.isEmpty() ? 0 : 1 + maxKey(parts), null, List.of()), parts.isEmpty());
        }
        String version = head.get("v").n();
        int count = head.containsKey("p") ? Integer.parseInt(head.get("p").n()) : 1;
        List<Heartbeat> hbs = new ArrayList<>(decode(head));
        Long ttl = ttlOf(head);
        boolean complete = true;
        for (int p = 1; p < count; p++) {
            Map<String, AttributeValue> part = parts.get(p);
            if (part == null || !part.get("v").n().equals(version)) {
                complete = false;
                continue;
            }
            hbs.addAll(decode(part));
            Long t = ttlOf(part);
            if (t != null && (ttl == null || t < ttl)) {
                ttl = t;
            }
        }
        // Parts past the count are left by nothing but a write in flight; the next write covers them.
        int stored = Math.max(count, parts.isEmpty() ? 1 : 1 + maxKey(parts));
        // Parts are consecutive slices of one sorted list, so the heartbeats are in time order as they are.
        return new Assembled(new Bucket(startMs, Long.parseLong(version), stored, ttl, hbs), complete);
    }

    private static int maxKey(Map<Integer, ?> m) {
        return m.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The heartbeats one bucket item (the head or a part) holds. */
    static List<Heartbeat> decode(Map<String, AttributeValue> item) {
        return HeartbeatCodec.decode(Gzip.decompress(item.get("h").b().asByteArray()));
    }

    private static Long ttlOf(Map<String, AttributeValue> item) {
        return item.containsKey(Table.TTL) ? Long.parseLong(item.get(Table.TTL).n()) : null;
    }
}
