package dev.devtime.functions.aggregate;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.devtime.functions.Log;
import dev.devtime.functions.queue.QueueMessage;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Heartbeat;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * One SQS batch: groups messages by user so each user's buckets and days are written once per batch,
 * and reports exactly the messages that failed, so SQS redelivers those and deletes the rest. A deleted
 * account's messages delete the next part of its data ({@link AccountDeletion}).
 */
public final class BatchProcessor {

    static final int PARALLEL_USERS = 8;

    private final Aggregator aggregator;
    private final SettingsStore settings;
    private final AccountDeletion deletion;

    public BatchProcessor(Aggregator aggregator, SettingsStore settings, AccountDeletion deletion) {
        this.aggregator = aggregator;
        this.settings = settings;
        this.deletion = deletion;
    }

    public SQSBatchResponse process(SQSEvent event) {
        Map<String, List<QueueMessage>> byUser = new LinkedHashMap<>();
        Map<String, List<String>> messagesByUser = new LinkedHashMap<>();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            try {
                QueueMessage msg = QueueMessage.decode(m.getBody());
                if (msg.kind() == QueueMessage.Kind.DELETE_TEAM) {
                    deleteTeamPart(msg.userId(), m.getMessageId(), failures);
                    continue;
                }
                byUser.computeIfAbsent(msg.userId(), k -> new ArrayList<>()).add(msg);
                messagesByUser
                        .computeIfAbsent(msg.userId(), k -> new ArrayList<>())
                        .add(m.getMessageId());
            } catch (IllegalArgumentException e) {
                // A poison message fails on every delivery until SQS moves it to the dead-letter queue.
                Log.error("undecodable message", e, "messageId", m.getMessageId());
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        // Users are independent: their I/O runs side by side, so a batch of many users takes about as
        // long as its busiest user instead of the sum of all of them.
        List<Callable<Aggregator.Outcome>> work = new ArrayList<>();
        List<String> users = new ArrayList<>(byUser.keySet());
        for (String user : users) {
            work.add(() -> applyUser(user, byUser.get(user)));
        }
        int heartbeats = 0;
        int added = 0;
        List<Future<Aggregator.Outcome>> results = invokeAll(work);
        for (int i = 0; i < users.size(); i++) {
            try {
                Aggregator.Outcome o = results.get(i).get();
                heartbeats += o.received();
                added += o.added();
            } catch (ExecutionException | InterruptedException ex) {
                Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
                Log.error(
                        "aggregation failed; messages will be redelivered",
                        cause,
                        "user",
                        users.get(i),
                        "messages",
                        messagesByUser.get(users.get(i)).size());
                messagesByUser.get(users.get(i)).forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
            }
        }
        Object[] fields = {
            "messages",
            event.getRecords().size(),
            "users",
            byUser.size(),
            "heartbeats",
            heartbeats,
            "new",
            added,
            "failed",
            failures.size()
        };
        // A line per batch is detail (verbose only); a batch with failures is worth a line by default.
        if (failures.isEmpty()) {
            Log.debug("batch aggregated", fields);
        } else {
            Log.info("batch aggregated", fields);
        }
        return new SQSBatchResponse(failures);
    }

    /** A part of a deleted team's items; the next part is queued before this message is acknowledged. */
    private void deleteTeamPart(String team, String messageId, List<SQSBatchResponse.BatchItemFailure> failures) {
        try {
            deletion.teamPart(team);
        } catch (RuntimeException e) {
            Log.error("team deletion failed; the message will be redelivered", e, "team", team);
            failures.add(new SQSBatchResponse.BatchItemFailure(messageId));
        }
    }

    private Aggregator.Outcome applyUser(String user, List<QueueMessage> messages) {
        // Messages queued around an account's deletion must not bring its data back.
        SettingsStore.UserState state = settings.load(user);
        List<Heartbeat> live = new ArrayList<>();
        Set<LocalDate> recompute = new TreeSet<>();
        boolean delete = false;
        for (QueueMessage msg : messages) {
            if (msg.kind() == QueueMessage.Kind.DELETE_ACCOUNT) {
                delete = true;
            } else if (state.accepts(msg.sentAtMs())) {
                live.addAll(msg.heartbeats());
                recompute.addAll(msg.recompute());
            }
        }
        Aggregator.Outcome outcome = live.isEmpty() && recompute.isEmpty()
                ? new Aggregator.Outcome(0, 0, 0, 0)
                : aggregator.apply(user, state, live, recompute);
        // Several deletion messages of one user in a batch (a second deletion request) take one part, one chain on.
        if (delete) {
            deletion.step(user, state);
        }
        return outcome;
    }

    private List<Future<Aggregator.Outcome>> invokeAll(List<Callable<Aggregator.Outcome>> work) {
        if (work.size() == 1) {
            FutureTask<Aggregator.Outcome> only = new FutureTask<>(work.get(0));
            only.run();
            return List.of(only);
        }
        try {
            return WORKERS.invokeAll(work);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Shared by all invocations of the container; DynamoDB calls are blocking, so threads, not cores. */
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(PARALLEL_USERS, r -> {
        Thread t = new Thread(r, "aggregate-user");
        t.setDaemon(true);
        return t;
    });
}
