package dev.devtime.functions.store;

import dev.devtime.model.UserSettings;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/** Per-user settings, in item {@code U#<user> / SETTINGS}; defaults when the user never changed them. */
public final class SettingsStore {

    static final String SK = "SETTINGS";

    private final Table table;

    public SettingsStore(Table table) {
        this.table = table;
    }

    public UserSettings get(String userId) {
        GetItemResponse r = table.client().getItem(b -> b.tableName(table.name()).key(key(userId))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        if (!r.hasItem() || r.item().isEmpty()) {
            return UserSettings.defaults();
        }
        Map<String, AttributeValue> i = r.item();
        return new UserSettings(ZoneId.of(i.get("tz").s()), Integer.parseInt(i.get("timeout").n()),
                Long.parseLong(i.get("sv").n()));
    }

    public void put(String userId, UserSettings s) {
        Map<String, AttributeValue> item = new HashMap<>(key(userId));
        item.put("tz", AttributeValue.fromS(s.zone().getId()));
        item.put("timeout", AttributeValue.fromN(Integer.toString(s.timeoutMinutes())));
        item.put("sv", AttributeValue.fromN(Long.toString(s.version())));
        table.client().putItem(b -> b.tableName(table.name()).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    private static Map<String, AttributeValue> key(String userId) {
        return Map.of(Table.PK, AttributeValue.fromS(Table.userPk(userId)), Table.SK, AttributeValue.fromS(SK));
    }
}
