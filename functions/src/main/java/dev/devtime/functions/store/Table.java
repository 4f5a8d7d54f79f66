package dev.devtime.functions.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

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

    /**
     * Creates the table as the CDK app defines it (string {@link #PK} and {@link #SK}, on demand) and waits
     * until it exists: the emulators' set-up, local's and the tests'.
     */
    public static void create(DynamoDbClient dynamo, String name) {
        dynamo.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder()
                                .attributeName(PK)
                                .attributeType(ScalarAttributeType.S)
                                .build(),
                        AttributeDefinition.builder()
                                .attributeName(SK)
                                .attributeType(ScalarAttributeType.S)
                                .build())
                .keySchema(
                        KeySchemaElement.builder()
                                .attributeName(PK)
                                .keyType(KeyType.HASH)
                                .build(),
                        KeySchemaElement.builder()
                                .attributeName(SK)
                                .keyType(KeyType.RANGE)
                                .build()));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
    }

    public static String userPk(String userId) {
        return "U#" + userId;
    }

    /** The key of the user's item {@code sk}. */
    public static Map<String, AttributeValue> userKey(String userId, String sk) {
        return Map.of(PK, AttributeValue.fromS(userPk(userId)), SK, AttributeValue.fromS(sk));
    }

    /** Every item of the user's partition with a sort key in [fromSk, toSk], all pages. */
    public List<Map<String, AttributeValue>> between(String userId, String fromSk, String toSk, boolean consistent) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        client.queryPaginator(QueryRequest.builder()
                        .tableName(name)
                        .consistentRead(consistent)
                        .keyConditionExpression("pk = :pk AND sk BETWEEN :a AND :b")
                        .expressionAttributeValues(Map.of(
                                ":pk",
                                AttributeValue.fromS(userPk(userId)),
                                ":a",
                                AttributeValue.fromS(fromSk),
                                ":b",
                                AttributeValue.fromS(toSk)))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .build())
                .items()
                .forEach(out::add);
        return out;
    }
}
