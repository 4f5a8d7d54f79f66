package dev.devtime.functions.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Sizes worked out by hand from DynamoDB's rules (developer guide, "DynamoDB item sizes and formats"). */
class ItemSizesTest {

    @Test
    void numbersCountOneBytePerTwoSignificantDigitsPlusOne() {
        assertEquals(2, ItemSizes.numberBytes("0")); // 1 digit
        assertEquals(2, ItemSizes.numberBytes("7"));
        assertEquals(2, ItemSizes.numberBytes("10")); // trailing zero trimmed: 1 digit
        assertEquals(2, ItemSizes.numberBytes("-0.001")); // leading zeros trimmed: 1 digit
        assertEquals(4, ItemSizes.numberBytes("123.450")); // 12345: 5 digits -> 3 + 1
        assertEquals(4, ItemSizes.numberBytes("1763280000000")); // 176328: 6 digits -> 3 + 1
        assertEquals(8, ItemSizes.numberBytes("1763280000123")); // 13 digits -> 7 + 1
    }

    @Test
    void anItemIsItsNamesAndValuesAndStorageAddsAHundredBytes() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS("U#alice")); // 2 + 7
        item.put("sk", AttributeValue.fromS("B#2026-11-16#09")); // 2 + 15
        item.put("n", AttributeValue.fromN("61")); // 1 + 2
        item.put("z", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[300]))); // 1 + 300
        item.put("ok", AttributeValue.fromBool(true)); // 2 + 1
        item.put(
                "l",
                AttributeValue.fromL(
                        List.of(AttributeValue.fromS("ab"), AttributeValue.fromN("5")))); // 1 + 3 + (1+2) + (1+2)
        item.put("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v")))); // 1 + 3 + (1 + 1 + 1)
        long expected = (2 + 7) + (2 + 15) + (1 + 2) + (1 + 300) + (2 + 1) + (1 + 3 + 3 + 3) + (1 + 3 + 3);
        assertEquals(expected, ItemSizes.itemBytes(item));
        assertEquals(expected + 100, ItemSizes.storedBytes(item));
    }

    @Test
    void checkRefusesWhatDynamoDbRefusesAndPassesWhatItTakes() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS("U#a")); // 2 + 3
        item.put("sk", AttributeValue.fromS("B#1")); // 2 + 3
        item.put("h", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[ItemSizes.MAX_ITEM_BYTES - 11]))); // 1 + ...
        assertEquals(ItemSizes.MAX_ITEM_BYTES, ItemSizes.itemBytes(item));
        assertEquals(item, ItemSizes.check(item), "exactly 400 KB is allowed");
        item.put("h", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[ItemSizes.MAX_ITEM_BYTES - 10])));
        assertThrows(IllegalArgumentException.class, () -> ItemSizes.check(item));

        // Keys count in UTF-8 bytes: 'é' is two.
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put("pk", AttributeValue.fromS("é".repeat(1024)));
        key.put("sk", AttributeValue.fromS("x".repeat(1024)));
        ItemSizes.check(key);
        key.put("sk", AttributeValue.fromS("é".repeat(512) + "x"));
        assertThrows(IllegalArgumentException.class, () -> ItemSizes.check(key), "sort key of 1,025 bytes");
        key.put("sk", AttributeValue.fromS("x"));
        key.put("pk", AttributeValue.fromS("é".repeat(1024) + "x"));
        assertThrows(IllegalArgumentException.class, () -> ItemSizes.check(key), "partition key of 2,049 bytes");
    }
}
