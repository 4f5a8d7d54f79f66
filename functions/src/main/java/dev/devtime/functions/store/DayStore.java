package dev.devtime.functions.store;

import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DayRollupCodec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * One item per user and local day: the day's rollup, plus where it was computed from. {@code src} is the
 * sum of the versions of the buckets read and {@code sv} the settings version; a write only lands if it
 * was computed from fresher data, so concurrent or redelivered aggregations converge on the latest state.
 */
public final class DayStore {

    private final Table table;

    public DayStore(Table table) {
        this.table = table;
    }

    /**
     * What a stored day was computed from.
     *
     * @param rawExpiresAtSeconds when the first of those buckets expires (epoch seconds; 0 when none does;
     *                            null for a day stored before this was recorded)
     */
    public record Source(long settingsVersion, long bucketVersionSum, Long rawExpiresAtSeconds) {

        /** True when this source is at least as fresh as {@code other}. */
        public boolean covers(Source other) {
            return settingsVersion > other.settingsVersion
                    || (settingsVersion == other.settingsVersion && bucketVersionSum >= other.bucketVersionSum);
        }
    }

    static String sk(LocalDate day) {
        return "D#" + day;
    }

    public Source source(String userId, LocalDate day) {
        GetItemResponse r = table.client()
                .getItem(b -> b.tableName(table.name())
                        .key(key(userId, day))
                        .projectionExpression("src, sv, #exp")
                        .expressionAttributeNames(Map.of("#exp", "exp"))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        if (!r.hasItem() || r.item().isEmpty()) {
            return null;
        }
        AttributeValue exp = r.item().get("exp");
        return new Source(
                Long.parseLong(r.item().get("sv").n()),
                Long.parseLong(r.item().get("src").n()),
                exp == null ? null : Long.parseLong(exp.n()));
    }

    /** Stores the rollup unless a fresher one is already there; false when it was not written. */
    public boolean put(String userId, DayRollup rollup, Source source) {
        Map<String, AttributeValue> item = new HashMap<>(key(userId, rollup.date()));
        item.put("src", AttributeValue.fromN(Long.toString(source.bucketVersionSum())));
        item.put("sv", AttributeValue.fromN(Long.toString(source.settingsVersion())));
        item.put(
                "exp",
                AttributeValue.fromN(
                        Long.toString(source.rawExpiresAtSeconds() == null ? 0 : source.rawExpiresAtSeconds())));
        item.put("ms", AttributeValue.fromN(Long.toString(rollup.totalMs())));
        item.put("r", AttributeValue.fromB(SdkBytes.fromByteArray(Gzip.compress(DayRollupCodec.encode(rollup)))));
        try {
            table.client()
                    .putItem(b -> b.tableName(table.name())
                            .item(ItemSizes.check(item))
                            .conditionExpression("attribute_not_exists(pk) OR sv < :sv OR (sv = :sv AND src < :src)")
                            .expressionAttributeValues(Map.of(
                                    ":sv", AttributeValue.fromN(Long.toString(source.settingsVersion())),
                                    ":src", AttributeValue.fromN(Long.toString(source.bucketVersionSum()))))
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The stored days in [from, to]; eventually consistent, as a dashboard read may be. */
    public List<DayRollup> query(String userId, LocalDate from, LocalDate to) {
        return query(userId, from, to, false);
    }

    /** As {@link #query(String, LocalDate, LocalDate)}; strongly consistent when a month rollup is built. */
    public List<DayRollup> query(String userId, LocalDate from, LocalDate to, boolean consistent) {
        List<DayRollup> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : table.between(userId, sk(from), sk(to), consistent)) {
            out.add(rollupOf(i));
        }
        return out;
    }

    /** The rollup a day item holds. */
    static DayRollup rollupOf(Map<String, AttributeValue> item) {
        LocalDate date = LocalDate.parse(item.get(Table.SK).s().substring(2));
        return DayRollupCodec.decode(date, Gzip.decompress(item.get("r").b().asByteArray()));
    }

    /** A stored day with what it was computed from. */
    public record Stored(DayRollup rollup, Source source) {}

    /** The stored days in [from, to] with their sources; eventually consistent. */
    public List<Stored> stored(String userId, LocalDate from, LocalDate to) {
        List<Stored> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : table.between(userId, sk(from), sk(to), false)) {
            AttributeValue exp = i.get("exp");
            out.add(new Stored(
                    rollupOf(i),
                    new Source(
                            Long.parseLong(i.get("sv").n()),
                            Long.parseLong(i.get("src").n()),
                            exp == null ? null : Long.parseLong(exp.n()))));
        }
        return out;
    }

    /** The first day with stored data, for {@code range=all}; null when there is none. */
    public LocalDate firstDay(String userId) {
        QueryResponse r = table.client()
                .query(QueryRequest.builder()
                        .tableName(table.name())
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :d)")
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(Table.userPk(userId)), ":d", AttributeValue.fromS("D#")))
                        .projectionExpression("sk")
                        .limit(1)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .build());
        return r.items().isEmpty()
                ? null
                : LocalDate.parse(r.items().get(0).get(Table.SK).s().substring(2));
    }

    private static Map<String, AttributeValue> key(String userId, LocalDate day) {
        return Table.userKey(userId, sk(day));
    }
}
