package dev.devtime.local.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB counts it ("DynamoDB item sizes and formats", CapacityUnitCalculations in the
 * developer guide): attribute names plus values, numbers at one byte per two significant digits plus one,
 * lists and maps 3 bytes plus one per element. DynamoDB Local stores items but does not report their billed
 * size, so storage per developer is summed from the items with these rules.
 */
final class ItemSizes {

    /** What DynamoDB adds to every item for its indexes when billing storage. */
    static final int STORAGE_OVERHEAD_BYTES = 100;

    private ItemSizes() {
    }

    static long itemBytes(Map<String, AttributeValue> item) {
        long n = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            n += utf8(e.getKey()) + valueBytes(e.getValue());
        }
        return n;
    }

    /** The bytes storage is billed for: the item plus the per-item overhead. */
    static long storedBytes(Map<String, AttributeValue> item) {
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
            case M -> 3 + v.m().entrySet().stream().mapToLong(e -> 1 + utf8(e.getKey()) + valueBytes(e.getValue())).sum();
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
