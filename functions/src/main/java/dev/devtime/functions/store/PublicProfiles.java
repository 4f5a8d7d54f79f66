package dev.devtime.functions.store;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Whether a user shares their totals publicly (badges): the item {@code U#<user> / PUBLIC} exists. Kept
 * apart from the settings item so a badge read is one tiny GetItem and toggling it never bumps the
 * settings version (which would make every day rollup stale). Under the user's partition, so export and
 * account deletion include it.
 */
public final class PublicProfiles {

    static final String SK = SettingsStore.PUBLIC_SK;

    private final Table table;

    public PublicProfiles(Table table) {
        this.table = table;
    }

    public boolean isPublic(String userId) {
        GetItemResponse r = table.client()
                .getItem(b -> b.tableName(table.name())
                        .key(key(userId))
                        .projectionExpression("pk")
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        return r.hasItem() && !r.item().isEmpty();
    }

    /** Opting in writes the item (with when); opting out deletes it. Both are idempotent. */
    public void setPublic(String userId, boolean on, long nowMs) {
        if (on) {
            Map<String, AttributeValue> item = new java.util.HashMap<>(key(userId));
            item.put("since", AttributeValue.fromN(Long.toString(nowMs)));
            table.client()
                    .putItem(b ->
                            b.tableName(table.name()).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } else {
            table.client()
                    .deleteItem(b -> b.tableName(table.name())
                            .key(key(userId))
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        }
    }

    private static Map<String, AttributeValue> key(String userId) {
        return Table.userKey(userId, SK);
    }
}
