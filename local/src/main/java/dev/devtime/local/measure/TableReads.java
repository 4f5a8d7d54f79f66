package dev.devtime.local.measure;

import dev.devtime.functions.store.ItemSizes;
import dev.devtime.local.LocalDeployment;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** What the benchmark reads straight from the table to check the pipeline: stored heartbeats, bytes. */
final class TableReads {

    private TableReads() {}

    /** Heartbeats stored for a user: the sum of the raw buckets' counts. */
    static long storedHeartbeats(LocalDeployment stack, String userId) {
        long[] n = {0};
        forEachItem(
                stack,
                b -> b.keyConditionExpression("pk = :pk AND begins_with(sk, :b)")
                        .expressionAttributeValues(
                                Map.of(":pk", AttributeValue.fromS("U#" + userId), ":b", AttributeValue.fromS("B#")))
                        .projectionExpression("n"),
                item -> n[0] += Long.parseLong(item.get("n").n()));
        return n[0];
    }

    /** Billed storage bytes (each item plus DynamoDB's 100-byte overhead) and item count of a user's partition. */
    static long[] partitionBytes(LocalDeployment stack, String userId) {
        long[] out = {0, 0};
        forEachItem(
                stack,
                b -> b.keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("U#" + userId))),
                item -> {
                    out[0] += ItemSizes.storedBytes(item);
                    out[1]++;
                });
        return out;
    }

    private static void forEachItem(
            LocalDeployment stack, Consumer<QueryRequest.Builder> query, Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = stack.dynamo.query(b -> {
                query.accept(b.tableName(LocalDeployment.TABLE).exclusiveStartKey(from));
            });
            r.items().forEach(each);
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
    }
}
