package dev.devtime.local;

import dev.devtime.functions.store.Table;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Creates the table the CDK app creates in AWS (same keys, on-demand), if it is not there yet. */
final class TableSetup {

    private TableSetup() {}

    static void ensure(DynamoDbClient dynamo, String table) {
        try {
            dynamo.describeTable(b -> b.tableName(table));
            return;
        } catch (ResourceNotFoundException e) {
            // first start
        }
        Table.create(dynamo, table);
    }
}
