package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.aggregate.AggregatorHandler;
import dev.devtime.functions.auth.ApiKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * Failures between SQS and DynamoDB: an aggregator that dies after writing, DynamoDB throttling part of
 * a batch, and a poison message. Totals must come out exact: nothing lost, nothing counted twice.
 */
class FaultToleranceTest {

    enum Fault {
        NONE,
        DIE_AFTER_WRITE,
        THROTTLE_WRITES
    }

    static final AtomicReference<Fault> FAULT = new AtomicReference<>(Fault.NONE);
    static final AtomicInteger INJECTED = new AtomicInteger();

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(o -> o
            // Five receives before the dead-letter queue, as deployed; each fault is injected at most
            // three times, so no healthy message can fail often enough to end there.
            .withQueue(2, 5)
            .withBatching(20, Duration.ofMillis(100), 2)
            .withAggregatorFilter(FaultToleranceTest::faulty));

    /**
     * The real aggregator, over a DynamoDB client that throttles every other write while THROTTLE_WRITES is
     * on, and an invocation that throws after its work is done while DIE_AFTER_WRITE is on. Each fault is
     * injected a bounded number of times.
     */
    static Function<SQSEvent, SQSBatchResponse> faulty(Function<SQSEvent, SQSBatchResponse> unused) {
        AtomicReference<AggregatorHandler> handler = new AtomicReference<>();
        return event -> {
            handler.compareAndSet(null, new AggregatorHandler(throttlingWiring()));
            SQSBatchResponse response = handler.get().handleRequest(event, null);
            if (FAULT.get() == Fault.DIE_AFTER_WRITE && INJECTED.getAndIncrement() < 3) {
                throw new IllegalStateException("injected: died after writing, before acknowledging");
            }
            return response;
        };
    }

    static Wiring throttlingWiring() {
        AtomicInteger puts = new AtomicInteger();
        ExecutionInterceptor throttle = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                if (FAULT.get() == Fault.THROTTLE_WRITES
                        && op.equals("PutItem")
                        && puts.incrementAndGet() % 2 == 0
                        && INJECTED.getAndIncrement() < 3) {
                    throw ProvisionedThroughputExceededException.builder()
                            .message("injected throttling")
                            .build();
                }
            }
        };
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(java.net.URI.create(STACK.deployment().backend.dynamoEndpoint()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(throttle))
                .build();
        return new Wiring(dynamo, LocalDeployment.TABLE, null, null, null, Wiring.Config.defaults(), Clock.systemUTC());
    }

    ApiClient api;
    String auth;
    final LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    final long noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

    @BeforeEach
    void newUser() {
        FAULT.set(Fault.NONE);
        INJECTED.set(0);
        api = new ApiClient(STACK.deployment().baseUrl());
        String key = ApiKeys.generate();
        auth = ApiClient.basic(key);
        STACK.deployment().seedKey("user-" + UUID.randomUUID(), key, "test");
    }

    void sendMinutes(int from, int count) {
        List<String> items = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            items.add(ApiClient.waka(noon + i * 60_000L, "p", "Java", "/a"));
        }
        assertEquals(
                202,
                api.post("/api/v1/users/current/heartbeats.bulk", auth, "[" + String.join(",", items) + "]")
                        .status());
    }

    double total() {
        return api.get("/api/stats?start=" + day + "&end=" + day, auth)
                .json()
                .get("total_seconds")
                .asDouble();
    }

    void awaitQuiet() {
        STACK.deployment().awaitDrained(Duration.ofSeconds(60));
    }

    @Test
    void anAggregatorThatDiesAfterWritingIsRedeliveredWithoutDoubleCounting() {
        FAULT.set(Fault.DIE_AFTER_WRITE);
        for (int i = 0; i < 5; i++) {
            sendMinutes(i * 4, 4);
        }
        awaitQuiet();
        assertTrue(INJECTED.get() >= 3, "the fault was injected");
        assertEquals(19 * 60.0, total());
    }

    @Test
    void throttledWritesFailOnlyTheirMessagesAndAreRetriedToExactTotals() {
        FAULT.set(Fault.THROTTLE_WRITES);
        for (int i = 0; i < 6; i++) {
            sendMinutes(i * 5, 5);
        }
        awaitQuiet();
        assertTrue(INJECTED.get() >= 1, "the fault was injected");
        assertEquals(29 * 60.0, total());
    }

    @Test
    void aPoisonMessageEndsInTheDeadLetterQueueAndTheRestOfItsBatchIsStored() {
        STACK.deployment()
                .sqs
                .sendMessage(b -> b.queueUrl(STACK.deployment().queueUrl)
                        .messageBody("{\"this is\": \"not a heartbeat message\"}"));
        sendMinutes(0, 3);
        PipelineContract.await(
                () -> STACK
                        .deployment()
                        .sqs
                        .receiveMessage(b -> b.queueUrl(STACK.deployment().dlqUrl)
                                .waitTimeSeconds(1)
                                .visibilityTimeout(0))
                        .messages()
                        .stream()
                        .anyMatch(m -> m.body().contains("not a heartbeat")),
                Duration.ofSeconds(60));
        awaitQuiet();
        assertEquals(120.0, total());
        STACK.deployment().sqs.purgeQueue(b -> b.queueUrl(STACK.deployment().dlqUrl));
    }
}
