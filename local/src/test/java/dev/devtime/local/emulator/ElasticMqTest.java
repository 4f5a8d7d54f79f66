package dev.devtime.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devtime.functions.aws.AwsClients;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A start on a stored queue database, as after every restart of {@code local}: once {@link ElasticMq#start}
 * returns, every stored queue is there with its messages, and creating one of them at once (as DevTime's
 * set-up does) neither fails nor stops the server.
 */
class ElasticMqTest {

    static final int QUEUES = 40;

    @Test
    void aStartReturnsWithEveryStoredQueueRestored(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("queue");
        List<String> names = new ArrayList<>();
        ElasticMq first = ElasticMq.start(store, EmbeddedBackend.freePort());
        try (SqsClient sqs = AwsClients.sqs(first.endpoint())) {
            for (int i = 0; i < QUEUES; i++) {
                String name = "stored-" + i;
                String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("kept " + name));
                names.add(name);
            }
        } finally {
            first.close();
        }

        ElasticMq second = ElasticMq.start(store, EmbeddedBackend.freePort());
        try (SqsClient sqs = AwsClients.sqs(second.endpoint())) {
            String last = names.get(QUEUES - 1);
            // What DevTime's queue set-up does first: find the queue, or create it.
            sqs.createQueue(b -> b.queueName(last));
            for (String name : names) {
                String u = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
                assertEquals(
                        List.of("kept " + name),
                        sqs.receiveMessage(b -> b.queueUrl(u).waitTimeSeconds(1)).messages().stream()
                                .map(m -> m.body())
                                .toList());
            }
            // Gone again, so later servers in this JVM (which share the store) do not restore them.
            for (String name : names) {
                sqs.deleteQueue(
                        b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName(name)).queueUrl()));
            }
        } finally {
            second.close();
        }
    }
}
