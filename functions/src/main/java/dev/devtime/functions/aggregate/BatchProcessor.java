package dev.devtime.functions.aggregate;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.devtime.functions.Log;
import dev.devtime.functions.queue.QueueMessage;
import dev.devtime.functions.store.SettingsStore;
import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;
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
    private final SettingsStore settings;

    public BatchProcessor(Aggregator aggregator, SettingsStore settings) {
        this.aggregator = aggregator;
        this.settings = settings;
    }

    public SQSBatchResponse process(SQSEvent event) {
        Map<String, List<QueueMessage>> byUser = new LinkedHashMap<>();
        Map<String, List<String>> messagesByUser = new LinkedHashMap<>();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            try {
                QueueMessage msg = QueueMessage.decode(m.getBody());
                byUser.computeIfAbsent(msg.userId(), k -> new ArrayList<>()).add(msg);
                messagesByUser.computeIfAbsent(msg.userId(), k -> new ArrayList<>()).add(m.getMessageId());
            } catch (IllegalArgumentException e) {
                // A poison message fails on every delivery until SQS moves it to the dead-letter queue.
                Log.error("undecodable message", e, "messageId", m.getMessageId());
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        int heartbeats = 0;
        int added = 0;
        for (Map.Entry<String, List<QueueMessage>> e : byUser.entrySet()) {
            try {
                // Messages queued before the account was deleted must not bring its data back.
                long deletedAt = settings.deletedAt(e.getKey());
                List<Heartbeat> live = new ArrayList<>();
                Set<LocalDate> recompute = new TreeSet<>();
                for (QueueMessage msg : e.getValue()) {
                    if (deletedAt == 0 || msg.sentAtMs() > deletedAt) {
                        live.addAll(msg.heartbeats());
                        recompute.addAll(msg.recompute());
                    }
                }
                if (live.isEmpty() && recompute.isEmpty()) {
                    continue;
                }
                Aggregator.Outcome o = aggregator.apply(e.getKey(), live, recompute);
                heartbeats += o.received();
                added += o.added();
            } catch (RuntimeException ex) {
                Log.error("aggregation failed; messages will be redelivered", ex, "user", e.getKey(),
                        "messages", messagesByUser.get(e.getKey()).size());
                messagesByUser.get(e.getKey()).forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
            }
        }
        Log.info("batch aggregated", "messages", event.getRecords().size(), "users", byUser.size(),
                "heartbeats", heartbeats, "new", added, "failed", failures.size());
        return new SQSBatchResponse(failures);
    }
}
