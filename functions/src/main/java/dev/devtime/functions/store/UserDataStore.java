package dev.devtime.functions.store;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.rollup.DayRollup;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Whole-account operations over the user's partition: list what is stored, read all of it in order (export),
 * delete it a part at a time.
 */
public final class UserDataStore {

    private static final String BUCKETS = "B#";
    private static final String DAYS = "D#";
    /** The sort keys of bucket items (a head, or a part {@code #n}) and of day items. */
    private static final Pattern ITEM_KEY = Pattern.compile("B#\\d{13}(#\\d{1,2})?|D#\\d{4}-\\d{2}-\\d{2}");

    private final Table table;

    public UserDataStore(Table table) {
        this.table = table;
    }

    /** Sort keys of the user's items that start with {@code prefix}, keys only, all pages. */
    public List<String> sortKeys(String userId, String prefix) {
        QueryRequest.Builder q = QueryRequest.builder()
                .tableName(table.name())
                .projectionExpression("sk")
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (prefix.isEmpty()) {
            q.keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Table.userPk(userId))));
        } else {
            q.keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                    .expressionAttributeValues(Map.of(
                            ":pk", AttributeValue.fromS(Table.userPk(userId)), ":p", AttributeValue.fromS(prefix)));
        }
        List<String> out = new ArrayList<>();
        table.client()
                .queryPaginator(q.build())
                .items()
                .forEach(i -> out.add(i.get(Table.SK).s()));
        return out;
    }

    /** The days that have a stored rollup. */
    public TreeSet<LocalDate> storedDays(String userId) {
        TreeSet<LocalDate> days = new TreeSet<>();
        for (String sk : sortKeys(userId, DAYS)) {
            days.add(LocalDate.parse(sk.substring(2)));
        }
        return days;
    }

    /** The starts of the user's raw heartbeat buckets, each once. */
    public TreeSet<Long> bucketStarts(String userId) {
        TreeSet<Long> starts = new TreeSet<>();
        for (String sk : sortKeys(userId, BUCKETS)) {
            starts.add(BucketStore.startOf(sk));
        }
        return starts;
    }

    /** The parts of a user's data {@link #items} reads, in the order they are stored. */
    public enum Section {
        HEARTBEATS,
        DAYS
    }

    /**
     * One stored item: the heartbeats of a bucket item (a bucket of many heartbeats spans several), or a day
     * rollup ({@code day} is null for the first, {@code heartbeats} empty for the second).
     */
    public record Item(String sortKey, List<Heartbeat> heartbeats, DayRollup day) {}

    /** Whether {@code sk} is the sort key of an item {@link #items} reads: a walk's cursor is checked with it. */
    public static boolean isItemKey(String sk) {
        return ITEM_KEY.matcher(sk).matches();
    }

    /**
     * The user's items of the sections {@code first} to {@code last}, in sort-key order, from {@code fromSortKey}
     * on (null: from the start). They are read {@code pageSize} at a time as the caller iterates, so a walk that
     * stops early reads little.
     */
    public Iterable<Item> items(String userId, Section first, Section last, String fromSortKey, int pageSize) {
        String lower = first == Section.HEARTBEATS ? BUCKETS : DAYS;
        String upper = (last == Section.DAYS ? DAYS : BUCKETS) + "~";
        String start = fromSortKey == null || fromSortKey.compareTo(lower) < 0 ? lower : fromSortKey;
        QueryRequest q = QueryRequest.builder()
                .tableName(table.name())
                .keyConditionExpression("pk = :pk AND sk BETWEEN :a AND :b")
                .expressionAttributeValues(Map.of(
                        ":pk",
                        AttributeValue.fromS(Table.userPk(userId)),
                        ":a",
                        AttributeValue.fromS(start),
                        ":b",
                        AttributeValue.fromS(upper)))
                .limit(pageSize)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .build();
        // The paginator asks for the next page only when the iteration reaches it.
        return () -> {
            Iterator<Map<String, AttributeValue>> raw =
                    table.client().queryPaginator(q).items().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return raw.hasNext();
                }

                @Override
                public Item next() {
                    Map<String, AttributeValue> item = raw.next();
                    String sk = item.get(Table.SK).s();
                    return sk.startsWith(BUCKETS)
                            ? new Item(sk, BucketStore.decode(item), null)
                            : new Item(sk, List.of(), DayStore.rollupOf(item));
                }
            };
        };
    }

    /** What one {@link #deleteSome} call did: how many items it deleted, and whether any are left. */
    public record Deleted(int items, boolean done) {}

    /**
     * Deletes up to {@code maxItems} items of the user's partition, never the deletion tombstone, which must
     * outlive the data (see {@link SettingsStore#markDeleted}). It starts from the beginning every time:
     * deleted items are gone, so a call after a crash, or a second one at once, just finds what is left.
     */
    public Deleted deleteSome(String userId, int maxItems) {
        QueryRequest q = QueryRequest.builder()
                .tableName(table.name())
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Table.userPk(userId))))
                .projectionExpression("sk")
                // Consistent, so "nothing left" is true and not a replica that has not seen the last writes.
                .consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .build();
        List<String> keys = new ArrayList<>();
        boolean done = true;
        for (Map<String, AttributeValue> item : table.client().queryPaginator(q).items()) {
            String sk = item.get(Table.SK).s();
            if (sk.equals(SettingsStore.REMOVED_SK)) {
                continue;
            }
            if (keys.size() == maxItems) {
                done = false;
                break;
            }
            keys.add(sk);
        }
        for (int i = 0; i < keys.size(); i += 25) {
            List<WriteRequest> batch = new ArrayList<>();
            for (String sk : keys.subList(i, Math.min(i + 25, keys.size()))) {
                batch.add(WriteRequest.builder()
                        .deleteRequest(DeleteRequest.builder()
                                .key(Table.userKey(userId, sk))
                                .build())
                        .build());
            }
            write(batch);
        }
        return new Deleted(keys.size(), done);
    }

    private void write(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(table.name(), batch);
        for (int attempt = 0;
                !pending.isEmpty()
                        && !pending.getOrDefault(table.name(), List.of()).isEmpty();
                attempt++) {
            if (attempt > 0) {
                sleep(Math.min(1000, 50L << attempt));
            }
            Map<String, List<WriteRequest>> p = pending;
            BatchWriteItemResponse r = table.client()
                    .batchWriteItem(b -> b.requestItems(p).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
            if (attempt > 10) {
                throw new IllegalStateException("DynamoDB kept refusing deletes");
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
