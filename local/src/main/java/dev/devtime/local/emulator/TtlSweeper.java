package dev.devtime.local.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * DynamoDB's Time to Live on one machine: deletes the items whose {@code ttl} (epoch seconds) has passed by
 * the stack's clock, as AWS does in the background (there within about two days; here once an hour, and
 * whenever {@link #sweep} is called). Without it the raw retention setting would keep nothing from growing.
 */
public final class TtlSweeper implements AutoCloseable {

    private final DynamoDbClient dynamo;
    private final String table;
    private final String attribute;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ttl-sweeper");
        t.setDaemon(true);
        return t;
    });

    public TtlSweeper(DynamoDbClient dynamo, String table, String attribute, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.attribute = attribute;
        this.clock = clock;
    }

    public TtlSweeper start(Duration every) {
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        sweep();
                    } catch (RuntimeException e) {
                        // The next round tries again; a stopped emulator at shutdown ends here too.
                    }
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** Deletes every expired item now; returns how many. */
    public int sweep() {
        AttributeValue now = AttributeValue.fromN(Long.toString(clock.millis() / 1000));
        int deleted = 0;
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(ScanRequest.builder()
                        .tableName(table)
                        .filterExpression("#t <= :now")
                        .projectionExpression("pk, sk")
                        .expressionAttributeNames(Map.of("#t", attribute))
                        .expressionAttributeValues(Map.of(":now", now))
                        .build())
                .items()) {
            try {
                // Only if still expired: a write since the scan may have given it a new expiry.
                dynamo.deleteItem(b -> b.tableName(table)
                        .key(item)
                        .conditionExpression("#t <= :now")
                        .expressionAttributeNames(Map.of("#t", attribute))
                        .expressionAttributeValues(Map.of(":now", now)));
                deleted++;
            } catch (ConditionalCheckFailedException e) {
                // rewritten in the meantime
            }
        }
        return deleted;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
