package dev.devtime.functions.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * API keys, stored only as SHA-256 hashes. Two items per key: {@code KEY#<hash>} to find the user on every
 * plugin request, and {@code U#<user> / KEY#<id>} to list a user's keys and revoke them. The user's item
 * {@code KEYS} counts them; it changes in the same transaction as the key items, so that a limit on the
 * number of keys holds however many requests create keys at once.
 */
public final class KeyStore {

    static final String COUNT_SK = "KEYS";
    /** Transactions on the same counter that overlap are cancelled, not queued: try again, briefly. */
    private static final int MAX_ATTEMPTS = 8;

    /** The user already has the most keys allowed. */
    public static final class LimitReached extends RuntimeException {
        LimitReached() {
            super(null, null, false, false);
        }
    }

    private final Table table;

    public KeyStore(Table table) {
        this.table = table;
    }

    public Table table() {
        return table;
    }

    /** A key as stored; the key itself is never stored, only {@code hash}. */
    public record ApiKey(
            String id, String userId, String hash, String label, boolean readOnly, long createdMs, long lastUsedMs) {}

    public ApiKey findByHash(String hash) {
        GetItemResponse r = table.client()
                .getItem(b -> b.tableName(table.name())
                        .key(lookupKey(hash))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        return r.hasItem() && !r.item().isEmpty() ? decode(r.item()) : null;
    }

    /**
     * Creates both items and counts the key, all or nothing.
     *
     * @param listed how many keys the user has as listed a moment ago: the count of a user whose keys predate
     *               the counter starts from it
     * @param max    the most keys the user may have
     * @throws LimitReached                    when the user has {@code max} keys already
     * @throws ConditionalCheckFailedException when the hash is taken (a key belongs to one user only)
     */
    public void create(ApiKey key, int listed, int max) {
        Map<String, AttributeValue> lookup = new HashMap<>(lookupKey(key.hash()));
        lookup.putAll(attributes(key));
        Map<String, AttributeValue> listing = new HashMap<>(listingKey(key.userId(), key.id()));
        listing.putAll(attributes(key));
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder()
                        .put(Put.builder()
                                .tableName(table.name())
                                .item(lookup)
                                .conditionExpression("attribute_not_exists(pk)")
                                .build())
                        .build(),
                TransactWriteItem.builder()
                        .put(Put.builder().tableName(table.name()).item(listing).build())
                        .build(),
                TransactWriteItem.builder()
                        .update(Update.builder()
                                .tableName(table.name())
                                .key(Table.userKey(key.userId(), COUNT_SK))
                                .updateExpression("SET n = if_not_exists(n, :listed) + :one")
                                .conditionExpression("(attribute_not_exists(n) AND :listed < :max) OR n < :max")
                                .expressionAttributeValues(
                                        Map.of(":listed", number(listed), ":one", number(1), ":max", number(max)))
                                .build())
                        .build());
        CancellationReason[] reasons = transact(writes);
        if (reasons != null) {
            if (failedCheck(reasons, 2)) {
                throw new LimitReached();
            }
            throw ConditionalCheckFailedException.builder()
                    .message("that key hash is taken")
                    .build();
        }
    }

    /** Seeds a known key (local {@code --api-key}); a no-op when that exact key already belongs to the user. */
    public void ensure(ApiKey key) {
        ApiKey existing = findByHash(key.hash());
        if (existing != null) {
            if (!existing.userId().equals(key.userId())) {
                throw new IllegalStateException("that API key already belongs to another user");
            }
            return;
        }
        try {
            create(key, list(key.userId()).size(), Integer.MAX_VALUE);
        } catch (ConditionalCheckFailedException e) {
            // Created concurrently: fine, as long as it is the same user (checked on the next start).
        }
    }

    public List<ApiKey> list(String userId) {
        QueryResponse r = table.client()
                .query(b -> b.tableName(table.name())
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :k)")
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(Table.userPk(userId)), ":k", AttributeValue.fromS("KEY#")))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        List<ApiKey> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : r.items()) {
            ApiKey listed = decode(i);
            ApiKey live = findByHash(listed.hash());
            out.add(live != null ? live : listed);
        }
        return out;
    }

    /** Removes both items and uncounts the key; false when the user has no key with that id. */
    public boolean delete(String userId, String id) {
        ApiKey key = get(userId, id);
        if (key == null) {
            return false;
        }
        int listed = list(userId).size();
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder()
                        .delete(Delete.builder()
                                .tableName(table.name())
                                .key(lookupKey(key.hash()))
                                .build())
                        .build(),
                // Only one of two revokes of the same key counts it down.
                TransactWriteItem.builder()
                        .delete(Delete.builder()
                                .tableName(table.name())
                                .key(listingKey(userId, id))
                                .conditionExpression("attribute_exists(pk)")
                                .build())
                        .build(),
                TransactWriteItem.builder()
                        .update(Update.builder()
                                .tableName(table.name())
                                .key(Table.userKey(userId, COUNT_SK))
                                .updateExpression("SET n = if_not_exists(n, :listed) - :one")
                                .expressionAttributeValues(Map.of(":listed", number(listed), ":one", number(1)))
                                .build())
                        .build());
        return transact(writes) == null;
    }

    /**
     * Runs the writes as one transaction, again while overlapping transactions cancel it; null when it
     * committed, else why each write was refused.
     */
    private CancellationReason[] transact(List<TransactWriteItem> writes) {
        for (int attempt = 1; ; attempt++) {
            try {
                table.client()
                        .transactWriteItems(
                                b -> b.transactItems(writes).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                return null;
            } catch (TransactionCanceledException e) {
                CancellationReason[] reasons = e.cancellationReasons().toArray(new CancellationReason[0]);
                boolean conflict =
                        e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
                boolean failedCheck =
                        e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
                if (failedCheck || !conflict || attempt >= MAX_ATTEMPTS) {
                    if (!failedCheck) {
                        throw e;
                    }
                    return reasons;
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L << attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean failedCheck(CancellationReason[] reasons, int index) {
        return reasons.length > index && "ConditionalCheckFailed".equals(reasons[index].code());
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

    /** Renames a key; null when the user has no key with that id. */
    public ApiKey relabel(String userId, String id, String label) {
        ApiKey key = get(userId, id);
        if (key == null) {
            return null;
        }
        Map<String, AttributeValue> v = Map.of(":l", AttributeValue.fromS(label));
        table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(lookupKey(key.hash()))
                        .updateExpression("SET label = :l")
                        .expressionAttributeValues(v)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(listingKey(userId, id))
                        .updateExpression("SET label = :l")
                        .expressionAttributeValues(v)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        return new ApiKey(key.id(), key.userId(), key.hash(), label, key.readOnly(), key.createdMs(), key.lastUsedMs());
    }

    /** The user's key with that id, with its last use (kept on the lookup item), or null. */
    public ApiKey get(String userId, String id) {
        GetItemResponse r = table.client()
                .getItem(b -> b.tableName(table.name())
                        .key(listingKey(userId, id))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        if (!r.hasItem() || r.item().isEmpty()) {
            return null;
        }
        ApiKey listed = decode(r.item());
        ApiKey live = findByHash(listed.hash());
        return live != null ? live : listed;
    }

    /** Records use, at most about once an hour per key, so that plugin traffic does not pay a write each time. */
    public void touch(ApiKey key, long nowMs) {
        Map<String, AttributeValue> v = Map.of(":t", AttributeValue.fromN(Long.toString(nowMs)));
        table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(lookupKey(key.hash()))
                        .updateExpression("SET lastUsed = :t")
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeValues(v)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    private static Map<String, AttributeValue> attributes(ApiKey k) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("id", AttributeValue.fromS(k.id()));
        m.put("uid", AttributeValue.fromS(k.userId()));
        m.put("hash", AttributeValue.fromS(k.hash()));
        m.put("label", AttributeValue.fromS(k.label() == null ? "" : k.label()));
        m.put("ro", AttributeValue.fromBool(k.readOnly()));
        m.put("created", AttributeValue.fromN(Long.toString(k.createdMs())));
        return m;
    }

    private static ApiKey decode(Map<String, AttributeValue> i) {
        return new ApiKey(
                i.get("id").s(),
                i.get("uid").s(),
                i.get("hash").s(),
                i.get("label").s(),
                i.get("ro").bool(),
                Long.parseLong(i.get("created").n()),
                i.containsKey("lastUsed") ? Long.parseLong(i.get("lastUsed").n()) : 0);
    }

    private static Map<String, AttributeValue> lookupKey(String hash) {
        return Map.of(Table.PK, AttributeValue.fromS("KEY#" + hash), Table.SK, AttributeValue.fromS("KEY"));
    }

    private static Map<String, AttributeValue> listingKey(String userId, String id) {
        return Table.userKey(userId, "KEY#" + id);
    }
}
