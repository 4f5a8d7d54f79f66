package dev.devtime.functions.store;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB counts it ("DynamoDB item sizes and formats", CapacityUnitCalculations in the
 * developer guide): attribute names plus values, numbers at one byte per two significant digits plus one,
 * lists and maps 3 bytes plus one per element. The stores check an item against DynamoDB's limits with it
 * before writing, since DynamoDB Local does not enforce them exactly as AWS does; and DynamoDB Local does
 * not report billed sizes, so the benchmark sums storage with it.
 */
public final class ItemSizes {

    /** DynamoDB's item limit: 400 KB, attribute names and values together. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    public static final int MAX_PARTITION_KEY_BYTES = 2048;
    public static final int MAX_SORT_KEY_BYTES = 1024;
    /** What DynamoDB adds to every item for its indexes when billing storage. */
    static final int STORAGE_OVERHEAD_BYTES = 100;

    private ItemSizes() {}

    /**
     * Refuses an item DynamoDB would refuse for its size or its key lengths, before the call: the caller
     * decides what to do instead of getting a ValidationException for a whole batch.
     *
     * @throws IllegalArgumentException naming the limit passed
     */
    public static Map<String, AttributeValue> check(Map<String, AttributeValue> item) {
        long size = itemBytes(item);
        if (size > MAX_ITEM_BYTES) {
            throw new IllegalArgumentException(
                    "item of " + size + " bytes passes DynamoDB's " + MAX_ITEM_BYTES + "-byte limit");
        }
        AttributeValue pk = item.get(Table.PK);
        if (pk != null && valueBytes(pk) > MAX_PARTITION_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "partition key of " + valueBytes(pk) + " bytes passes DynamoDB's " + MAX_PARTITION_KEY_BYTES);
        }
        AttributeValue sk = item.get(Table.SK);
        if (sk != null && valueBytes(sk) > MAX_SORT_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "sort key of " + valueBytes(sk) + " bytes passes DynamoDB's " + MAX_SORT_KEY_BYTES);
        }
        return item;
    }

    public static long itemBytes(Map<String, AttributeValue> item) {
        long n = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            n += utf8(e.getKey()) + valueBytes(e.getValue());
        }
        return n;
    }

    /** The bytes storage is billed for: the item plus the per-item overhead. */
    public static long storedBytes(Map<String, AttributeValue> item) {
        return itemBytes(item) + STORAGE_OVERHEAD_BYTES;
    }

    static long valueBytes(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8(v.s());
            case N -> numberBytes(v.n());
            case B -> v.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case SS -> v.ss().stream().mapToLong(ItemSizes::utf8).sum();
            case NS -> v.ns().stream().mapToLong(ItemSizes::numberBytes).sum();
            case BS -> v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
            case L -> 3 + v.l().stream().mapToLong(e -> 1 + valueBytes(e)).sum();
            case M ->
                3
                        + v.m().entrySet().stream()
                                .mapToLong(e -> 1 + utf8(e.getKey()) + valueBytes(e.getValue()))
                                .sum();
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown attribute type: " + v);
        };
    }

    /** One byte per two significant digits (leading and trailing zeros trimmed), plus one. */
    static long numberBytes(String number) {
        BigDecimal d = new BigDecimal(number).stripTrailingZeros();
        int digits = d.signum() == 0 ? 1 : d.precision();
        return (digits + 1) / 2 + 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
