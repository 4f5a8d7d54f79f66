package dev.devtime.functions.store;

import dev.devtime.model.rollup.DayRollupCodec;
import dev.devtime.model.rollup.MonthRollup;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Month rollups, so long ranges read a dozen small items a year instead of a day each: item
 * {@code M#<yyyy-MM>} holds the month's {@link MonthRollup}, built from the generation {@code g} it was read at.
 * Item {@code G#<yyyy-MM>} counts the writes of that month's days: every stored day bumps it, so a month
 * item whose {@code g} differs from its counter is stale and is rebuilt from the days by the next reader.
 * The counter is a separate, tiny item so that bumping it costs one write unit, not the month's size.
 */
public final class MonthStore {

    private final Table table;

    public MonthStore(Table table) {
        this.table = table;
    }

    /** A stored month rollup and the generation it was built from. */
    public record Month(long generation, MonthRollup rollup) {}

    /** Records that a day of the month was stored. Call after the day write lands. */
    public void bump(String userId, YearMonth month) {
        table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(key(userId, "G#", month))
                        .updateExpression("ADD g :one")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    /** The write counters of the months in [from, to]; a month never written has none. */
    public Map<YearMonth, Long> generations(String userId, YearMonth from, YearMonth to) {
        Map<YearMonth, Long> out = new TreeMap<>();
        for (Map<String, AttributeValue> i : table.between(userId, "G#" + from, "G#" + to, true)) {
            out.put(month(i), Long.parseLong(i.get("g").n()));
        }
        return out;
    }

    /** The stored month rollups in [from, to], stale or not. */
    public Map<YearMonth, Month> months(String userId, YearMonth from, YearMonth to) {
        Map<YearMonth, Month> out = new TreeMap<>();
        for (Map<String, AttributeValue> i : table.between(userId, "M#" + from, "M#" + to, false)) {
            YearMonth m = month(i);
            out.put(
                    m,
                    new Month(
                            Long.parseLong(i.get("g").n()),
                            DayRollupCodec.decodeMonth(
                                    m, Gzip.decompress(i.get("r").b().asByteArray()))));
        }
        return out;
    }

    /**
     * Stores a month built at {@code generation} unless one built from a later generation is there. A month
     * too big for one item is not stored (false): it is only a cache, and readers build it from its days.
     */
    public boolean put(String userId, long generation, MonthRollup rollup) {
        Map<String, AttributeValue> item = new HashMap<>(key(userId, "M#", rollup.month()));
        item.put("g", AttributeValue.fromN(Long.toString(generation)));
        item.put("r", AttributeValue.fromB(SdkBytes.fromByteArray(Gzip.compress(DayRollupCodec.encodeMonth(rollup)))));
        if (ItemSizes.itemBytes(item) > ItemSizes.MAX_ITEM_BYTES) {
            return false;
        }
        try {
            table.client()
                    .putItem(b -> b.tableName(table.name())
                            .item(item)
                            .conditionExpression("attribute_not_exists(pk) OR g < :g")
                            .expressionAttributeValues(Map.of(":g", AttributeValue.fromN(Long.toString(generation))))
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static YearMonth month(Map<String, AttributeValue> item) {
        return YearMonth.parse(item.get(Table.SK).s().substring(2));
    }

    private static Map<String, AttributeValue> key(String userId, String prefix, YearMonth month) {
        return Table.userKey(userId, prefix + month);
    }
}
