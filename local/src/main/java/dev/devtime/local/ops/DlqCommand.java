package dev.devtime.local.ops;

import dev.devtime.functions.Log;
import dev.devtime.functions.queue.QueueMessage;
import dev.devtime.local.LocalDeployment;
import dev.devtime.model.Heartbeat;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code java -jar devtime-local.jar dlq list|redrive [--data-dir DIR]}: the messages the aggregator gave
 * up on, and moving them back to the main queue once the cause is fixed. Works on a stopped DevTime: it
 * starts DevTime's queues, tables and aggregator on the data directory itself, so what it moves back is
 * processed before it exits (for up to 10 s; the rest at the next start).
 *
 * <p>{@code list} prints, per message, its id, when it was first sent, how often it was received, its
 * size and what it holds (user, heartbeat count and time range), never the heartbeats' file paths or
 * other content; a message that does not decode is shown as such, which is usually why it is there.
 */
public final class DlqCommand {

    private DlqCommand() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** @return the process exit code */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path dataDir = dev.devtime.local.startup.DataDirectory.resolve().path();
        String action = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "list", "redrive" -> action = args[i];
                case "--data-dir" -> {
                    if (++i >= args.length) {
                        return usage(err, "--data-dir needs a value");
                    }
                    dataDir = Path.of(args[i]);
                }
                default -> {
                    return usage(err, "unknown argument " + args[i]);
                }
            }
        }
        if (action == null) {
            return usage(err, "say list or redrive");
        }
        if (!Files.isDirectory(dataDir.resolve("queue"))) {
            err.println("error: no DevTime queue under " + dataDir + " (is --data-dir right?)");
            return 1;
        }
        // DevTime itself on the data directory (no port of its own to speak of): the same queue set-up as at
        // start-up, and the aggregator to process what is moved back.
        Log.setQuiet(true);
        LocalDeployment stack;
        try {
            stack = LocalDeployment.start(
                    LocalDeployment.Options.defaults(dataDir).withPorts(0, 0));
        } catch (Exception e) {
            err.println("error: could not open the data under " + dataDir + "; stop the running DevTime first ("
                    + e.getClass().getSimpleName() + ")");
            return 1;
        }
        try (stack) {
            SqsClient sqs = stack.sqs;
            List<Message> messages = drain(sqs, stack.dlqUrl);
            if (action.equals("list")) {
                list(messages, out);
                release(sqs, stack.dlqUrl, messages);
                return 0;
            }
            for (Message m : messages) {
                // Sent before deleted: a crash in between leaves a duplicate, which the aggregator absorbs.
                sqs.sendMessage(b -> b.queueUrl(stack.queueUrl).messageBody(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(stack.dlqUrl).receiptHandle(m.receiptHandle()));
            }
            // Give the aggregator a bounded while; what is left is processed at the next start.
            long end = System.nanoTime() + 10_000_000_000L;
            int left = depth(sqs, stack.queueUrl);
            while (left > 0 && System.nanoTime() < end) {
                Thread.sleep(250);
                left = depth(sqs, stack.queueUrl);
            }
            out.println("moved " + messages.size() + " message(s) from " + LocalDeployment.DLQ + " to "
                    + LocalDeployment.QUEUE
                    + "; " + (messages.size() - Math.min(left, messages.size())) + " processed so far, " + left
                    + " still queued for the next start (a message that fails again returns to " + LocalDeployment.DLQ
                    + ")");
        }
        return 0;
    }

    private static int depth(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Every message, each received once and kept invisible until released or deleted. */
    static List<Message> drain(SqsClient sqs, String url) {
        Map<String, Message> seen = new LinkedHashMap<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url)
                            .maxNumberOfMessages(10)
                            .visibilityTimeout(300)
                            .waitTimeSeconds(0)
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                    .messages();
            if (batch.isEmpty()) {
                return new ArrayList<>(seen.values());
            }
            batch.forEach(m -> seen.putIfAbsent(m.messageId(), m));
        }
    }

    private static void release(SqsClient sqs, String url, List<Message> messages) {
        for (Message m : messages) {
            sqs.changeMessageVisibility(
                    b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
    }

    private static void list(List<Message> messages, PrintStream out) {
        out.println(messages.size() + " message(s) in " + LocalDeployment.DLQ);
        for (Message m : messages) {
            Map<MessageSystemAttributeName, String> a = m.attributes();
            String sent = a.containsKey(MessageSystemAttributeName.SENT_TIMESTAMP)
                    ? Instant.ofEpochMilli(Long.parseLong(a.get(MessageSystemAttributeName.SENT_TIMESTAMP)))
                            .toString()
                    : "?";
            String received = a.getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?");
            out.println(m.messageId() + "  sent " + sent + "  received " + received + "x  "
                    + m.body().length() + " chars  " + summary(m.body()));
        }
    }

    static String summary(String body) {
        QueueMessage q;
        try {
            q = QueueMessage.decode(body);
        } catch (RuntimeException e) {
            return "not decodable (" + e.getClass().getSimpleName() + ")";
        }
        if (q.kind() == QueueMessage.Kind.DELETE_ACCOUNT) {
            return "user " + q.userId() + ", account deletion (redrive it, or delete the account again)";
        }
        if (q.heartbeats().isEmpty()) {
            return "user " + q.userId() + ", recompute " + q.recompute().size() + " day(s)";
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Heartbeat h : q.heartbeats()) {
            min = Math.min(min, h.timeMs());
            max = Math.max(max, h.timeMs());
        }
        return "user " + q.userId() + ", " + q.heartbeats().size() + " heartbeat(s) from " + Instant.ofEpochMilli(min)
                + " to " + Instant.ofEpochMilli(max);
    }

    private static int usage(PrintStream err, String error) {
        err.println("error: " + error);
        err.println("usage: java -jar devtime-local.jar dlq list|redrive [--data-dir DIR]");
        return 2;
    }
}
