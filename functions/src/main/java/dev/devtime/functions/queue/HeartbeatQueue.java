package dev.devtime.functions.queue;

import dev.devtime.model.Heartbeat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Puts accepted heartbeats on the queue in as few requests as SQS's limits allow: one message per
 * request's worth of heartbeats while it fits in a message, up to ten messages in one batch call.
 */
public final class HeartbeatQueue {

    /** SQS allows 256 KiB per message and per batch; keep a margin for attributes and encoding. */
    static final int MAX_MESSAGE_BYTES = 200 * 1024;

    static final int MAX_BATCH_BYTES = 240 * 1024;
    static final int MAX_BATCH_ENTRIES = 10;

    private final SqsClient sqs;
    private final String queueUrl;

    public HeartbeatQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** @throws QueueUnavailable when any part could not be queued (the client should retry all of it) */
    public void send(String userId, List<Heartbeat> heartbeats, long nowMs) {
        if (heartbeats.isEmpty()) {
            return;
        }
        sendBodies(split(userId, heartbeats, nowMs));
    }

    /** Asks the aggregator to recompute these days (after a settings change), in messages of 100 days. */
    public void recompute(String userId, List<java.time.LocalDate> days, long nowMs) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < days.size(); i += 100) {
            bodies.add(new QueueMessage(userId, List.of(), days.subList(i, Math.min(i + 100, days.size())), nowMs)
                    .encode());
        }
        if (!bodies.isEmpty()) {
            sendBodies(bodies);
        }
    }

    /** Asks the aggregator to delete (the next part of) a deleted account's data. */
    public void deleteAccount(String userId, long nowMs) {
        sendBodies(List.of(QueueMessage.deleteAccount(userId, nowMs).encode()));
    }

    /** Asks the aggregator to delete (the next part of) a deleted team's remaining items. */
    public void deleteTeam(String teamId, long nowMs) {
        sendBodies(List.of(QueueMessage.deleteTeam(teamId, nowMs).encode()));
    }

    private void sendBodies(List<String> bodies) {
        if (bodies.size() == 1) {
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(bodies.get(0)));
            return;
        }
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
        int batchBytes = 0;
        for (String body : bodies) {
            int size = body.getBytes(StandardCharsets.UTF_8).length;
            if (batch.size() == MAX_BATCH_ENTRIES || batchBytes + size > MAX_BATCH_BYTES) {
                sendBatch(batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(batch.size()))
                    .messageBody(body)
                    .build());
            batchBytes += size;
        }
        sendBatch(batch);
    }

    private void sendBatch(List<SendMessageBatchRequestEntry> entries) {
        SendMessageBatchResponse r =
                sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        if (r.hasFailed() && !r.failed().isEmpty()) {
            // A retry resends the whole request; the aggregator deduplicates what did get through.
            throw new QueueUnavailable("SQS refused " + r.failed().size() + " message(s): "
                    + r.failed().get(0).message());
        }
    }

    /** Splits into message bodies no larger than {@link #MAX_MESSAGE_BYTES}. */
    static List<String> split(String userId, List<Heartbeat> heartbeats, long nowMs) {
        String whole = QueueMessage.heartbeats(userId, heartbeats, nowMs).encode();
        if (whole.getBytes(StandardCharsets.UTF_8).length <= MAX_MESSAGE_BYTES || heartbeats.size() == 1) {
            return List.of(whole);
        }
        int mid = heartbeats.size() / 2;
        List<String> out = new ArrayList<>(split(userId, heartbeats.subList(0, mid), nowMs));
        out.addAll(split(userId, heartbeats.subList(mid, heartbeats.size()), nowMs));
        return out;
    }

    /** The queue could not take the heartbeats; the request fails as a whole and the client retries. */
    public static final class QueueUnavailable extends RuntimeException {
        public QueueUnavailable(String message) {
            super(message);
        }
    }
}
