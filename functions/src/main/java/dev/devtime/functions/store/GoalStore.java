package dev.devtime.functions.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.model.goal.Goal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * A user's goals: item {@code U#<user> / GOAL#<id>} each, holding the goal as JSON in {@code g}. They sort
 * apart from buckets, days, months and the settings items, so one small Query lists them, and account
 * deletion (which removes the whole partition) removes them too.
 */
public final class GoalStore {

    static final String PREFIX = "GOAL#";
    /** Goals evaluate over about eight weeks of days each read; a few dozen are plenty. */
    public static final int MAX_GOALS = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Table table;

    public GoalStore(Table table) {
        this.table = table;
    }

    /** The user's goals, oldest first. */
    public List<Goal> list(String userId) {
        List<Goal> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : table.between(userId, PREFIX, PREFIX + "~", false)) {
            out.add(goal(i));
        }
        out.sort((a, b) -> Long.compare(a.createdMs(), b.createdMs()));
        return out;
    }

    /** One goal, or null. */
    public Goal get(String userId, String id) {
        GetItemResponse r = table.client()
                .getItem(b -> b.tableName(table.name())
                        .key(Table.userKey(userId, PREFIX + id))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        return r.hasItem() && !r.item().isEmpty() ? goal(r.item()) : null;
    }

    /** Stores a goal; {@code mustExist} makes it an edit, which fails (false) when the goal is gone. */
    public boolean put(String userId, Goal g, boolean mustExist) {
        Map<String, AttributeValue> item = new HashMap<>(Table.userKey(userId, PREFIX + g.id()));
        try {
            item.put("g", AttributeValue.fromS(JSON.writeValueAsString(g.toStored())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try {
            table.client().putItem(b -> {
                b.tableName(table.name()).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
                if (mustExist) {
                    b.conditionExpression("attribute_exists(pk)");
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Deletes a goal; false when there was none. */
    public boolean delete(String userId, String id) {
        try {
            table.client()
                    .deleteItem(b -> b.tableName(table.name())
                            .key(Table.userKey(userId, PREFIX + id))
                            .conditionExpression("attribute_exists(pk)")
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Goal goal(Map<String, AttributeValue> item) {
        try {
            return Goal.fromStored(JSON.readTree(item.get("g").s()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored goal is not JSON", e);
        }
    }
}
