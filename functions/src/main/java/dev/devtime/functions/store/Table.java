package dev.devtime.functions.store;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DevTime's one DynamoDB table. Everything of a user lives under partition {@code U#<user>} (raw heartbeat
 * buckets {@code B#...}, days {@code D#...}, settings, key listings), so a user's data is one Query away
 * for export and deletion; API keys are found by hash under {@code KEY#<sha256>}.
 */
public record Table(DynamoDbClient client, String name) {

    public static final String PK = "pk";
    public static final String SK = "sk";
    /** Epoch seconds after which DynamoDB's TTL deletes an item (raw heartbeat retention). */
    public static final String TTL = "ttl";

    public static String userPk(String userId) {
        return "U#" + userId;
    }
}
