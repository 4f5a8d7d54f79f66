package dev.devtime.local.events;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.devtime.functions.Log;
import dev.devtime.local.measure.HandlerTimings;
import dev.devtime.local.measure.QueueTraffic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * What Lambda's SQS event source mapping does, on one machine: long-polls the queue, gathers a batch (up
 * to a size, or until the batching window closes), invokes the aggregator, deletes the messages it did
 * not report as failed, and leaves the failed ones to reappear after the visibility timeout. A function
 * error (an exception) fails the whole batch, as in Lambda. The queue's redrive policy moves a message
 * that keeps failing to the dead-letter queue.
 */
public final class SqsEventSource implements AutoCloseable {

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final Function<SQSEvent, SQSBatchResponse> function;
    private final int batchSize;
    private final Duration window;
    private final List<Thread> pollers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    /**
     * @param concurrency how many batches may be processed at once (the mapping's maximum concurrency)
     */
    public SqsEventSource(
            SqsClient sqs,
            String queueUrl,
            String queueArn,
            Function<SQSEvent, SQSBatchResponse> function,
            int batchSize,
            Duration window,
            int concurrency) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.function = function;
        this.batchSize = batchSize;
        this.window = window;
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(this::poll, "sqs-event-source-" + i);
            t.setDaemon(true);
            pollers.add(t);
        }
    }

    public SqsEventSource start() {
        pollers.forEach(Thread::start);
        return this;
    }

    private void poll() {
        while (running.get()) {
            try {
                List<Message> batch = gather();
                if (!batch.isEmpty()) {
                    invoke(batch);
                }
            } catch (RuntimeException e) {
                if (running.get()) {
                    Log.error("event source poll failed; retrying", e);
                    sleep(1000);
                }
            }
        }
    }

    private List<Message> gather() {
        List<Message> batch = new ArrayList<>();
        long deadline = 0;
        while (running.get() && batch.size() < batchSize) {
            int waitSeconds = batch.isEmpty()
                    ? 1
                    : (int) Math.min(1, Math.max(0, (deadline - System.currentTimeMillis()) / 1000));
            ReceiveMessageResponse r = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                    .maxNumberOfMessages(Math.min(10, batchSize - batch.size()))
                    .waitTimeSeconds(waitSeconds)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL));
            if (!r.messages().isEmpty() && batch.isEmpty()) {
                deadline = System.currentTimeMillis() + window.toMillis();
            }
            QueueTraffic.received(r.messages().stream()
                    .mapToInt(m -> m.body().getBytes(StandardCharsets.UTF_8).length)
                    .toArray());
            batch.addAll(r.messages());
            if (!batch.isEmpty() && (r.messages().isEmpty() || System.currentTimeMillis() >= deadline)) {
                break;
            }
        }
        return batch;
    }

    private void invoke(List<Message> batch) {
        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : batch) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn);
            r.setAwsRegion("us-east-1");
            r.setAttributes(Map.copyOf(m.attributesAsStrings()));
            records.add(r);
        }
        event.setRecords(records);
        Set<String> failed = new HashSet<>();
        long started = System.nanoTime();
        try {
            SQSBatchResponse response = function.apply(event);
            if (response != null && response.getBatchItemFailures() != null) {
                response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
            }
        } catch (RuntimeException | Error e) {
            Log.error("aggregator invocation failed; the whole batch will be redelivered", e);
            return;
        } finally {
            HandlerTimings.record("aggregator", System.nanoTime() - started);
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message m : batch) {
            if (!failed.contains(m.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(done.size()))
                        .receiptHandle(m.receiptHandle())
                        .build());
            }
            if (done.size() == 10) {
                delete(done);
                done = new ArrayList<>();
            }
        }
        if (!done.isEmpty()) {
            delete(done);
        }
    }

    private void delete(List<DeleteMessageBatchRequestEntry> entries) {
        List<DeleteMessageBatchRequestEntry> copy = List.copyOf(entries);
        sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(copy));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling; a batch being processed is finished first. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : pollers) {
            t.join(5000);
        }
    }
}
