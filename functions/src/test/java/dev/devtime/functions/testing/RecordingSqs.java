package dev.devtime.functions.testing;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.devtime.functions.aggregate.BatchProcessor;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * The queue side of the SQS API as a list: what the services send is kept in order, and a test hands it to
 * the aggregator's batch processor itself ({@link #drain}), as Lambda's event source would.
 */
public final class RecordingSqs implements SqsClient {

    public static final String QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/000000000000/devtime-test";

    private final List<String> bodies = new ArrayList<>();

    @Override
    public synchronized SendMessageResponse sendMessage(SendMessageRequest request) {
        bodies.add(request.messageBody());
        return SendMessageResponse.builder()
                .messageId(Integer.toString(bodies.size()))
                .build();
    }

    @Override
    public synchronized SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        request.entries().forEach(e -> bodies.add(e.messageBody()));
        return SendMessageBatchResponse.builder().build();
    }

    /** The bodies sent since the last call, oldest first. */
    public synchronized List<String> drain() {
        List<String> out = List.copyOf(bodies);
        bodies.clear();
        return out;
    }

    /**
     * Hands everything queued to the aggregator, in batches of ten as Lambda's event source does, until the
     * queue stays empty (an account deletion queues its next part); returns how many messages were delivered.
     */
    public int deliverTo(BatchProcessor processor) {
        int delivered = 0;
        for (List<String> sent = drain(); !sent.isEmpty(); sent = drain()) {
            for (int i = 0; i < sent.size(); i += 10) {
                List<SQSEvent.SQSMessage> records = new ArrayList<>();
                for (String body : sent.subList(i, Math.min(i + 10, sent.size()))) {
                    SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
                    m.setMessageId("m" + delivered++);
                    m.setBody(body);
                    records.add(m);
                }
                SQSEvent event = new SQSEvent();
                event.setRecords(records);
                SQSBatchResponse r = processor.process(event);
                if (!r.getBatchItemFailures().isEmpty()) {
                    throw new AssertionError(
                            "the aggregator failed " + r.getBatchItemFailures().size() + " message(s)");
                }
            }
        }
        return delivered;
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {}
}
