package dev.devtime.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

/** The IAM actions recorded for an SDK call are the ones IAM checks for it. */
class AwsCallRecorderTest {

    @Test
    void operationsMapToTheActionsIamAuthorizes() {
        assertEquals(
                Set.of("dynamodb:Query"),
                AwsCallRecorder.actions(
                        "DynamoDb", "Query", QueryRequest.builder().build()));
        assertEquals(
                Set.of("sqs:SendMessage"),
                AwsCallRecorder.actions(
                        "Sqs",
                        "SendMessageBatch",
                        SendMessageBatchRequest.builder().build()));
        // A transaction is authorized item by item: there is no dynamodb:TransactWriteItems action.
        TransactWriteItemsRequest t = TransactWriteItemsRequest.builder()
                .transactItems(
                        TransactWriteItem.builder().put(Put.builder().build()).build(),
                        TransactWriteItem.builder()
                                .update(Update.builder().build())
                                .build(),
                        TransactWriteItem.builder()
                                .delete(Delete.builder().build())
                                .build())
                .build();
        assertEquals(
                Set.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
                AwsCallRecorder.actions("DynamoDb", "TransactWriteItems", t));
    }
}
