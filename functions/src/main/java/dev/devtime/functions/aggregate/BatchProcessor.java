package dev.devtime.functions.aggregate;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.devtime.functions.Log;
import dev.devtime.functions.queue.QueueMessage;
import dev.devtime.model.Heartbeat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One SQS batch: groups messages by user so each user's buckets and days are written once per batch,
 * and reports exactly the messages that failed, so SQS redelivers those and deletes the rest.
 */
public final class BatchProcessor {

    private final Aggregator aggregator;

    public BatchProcessor(Aggregator aggregator) {
        this.aggregator = aggregator;
    }

    public SQSBatchResponse process(SQSEvent event) {
        Map<String, List<Heartbeat>> heartbeatsByUser = new LinkedHashMap<>();
        Map<String, List<String>> messagesByUser = new LinkedHashMap<>();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            try {
                QueueMessage msg = QueueMessage.decode(m.getBody());
                heartbeatsByUser.computeIfAbsent(msg.userId(), k -> new ArrayList<>()).addAll(msg.heartbeats());
                messagesByUser.computeIfAbsent(msg.userId(), k -> new ArrayList<>()).add(m.getMessageId());
            } catch (IllegalArgumentException e) {
                // A poison message fails on every delivery until SQS moves it to the dead-letter queue.
                Log.error("undecodable message", e, "messageId", m.getMessageId());
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        int heartbeats = 0;
        int added = 0;
        for (Map.Entry<String, List<Heartbeat>> e : heartbeatsByUser.entrySet()) {
            try {
                Aggregator.Outcome o = aggregator.apply(e.getKey(), e.getValue());
                heartbeats += o.received();
                added += o.added();
            } catch (RuntimeException ex) {
                Log.error("aggregation failed; messages will be redelivered", ex, "user", e.getKey(),
                        "messages", messagesByUser.get(e.getKey()).size());
                messagesByUser.get(e.getKey()).forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
            }
        }
        Log.info("batch aggregated", "messages", event.getRecords().size(), "users", heartbeatsByUser.size(),
                "heartbeats", heartbeats, "new", added, "failed", failures.size());
        return new SQSBatchResponse(failures);
    }
}
