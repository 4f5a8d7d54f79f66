package dev.devtime.local.emulator;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** DynamoDB Local and ElasticMQ in this JVM, persisted under a data directory (or in memory). */
public final class EmbeddedBackend implements Backend {

    private final DynamoDbLocal dynamo;
    private final ElasticMq queue;

    private EmbeddedBackend(DynamoDbLocal dynamo, ElasticMq queue) {
        this.dynamo = dynamo;
        this.queue = queue;
    }

    /** @param dataDir null keeps tables and messages in memory */
    public static EmbeddedBackend start(Path dataDir) throws Exception {
        DynamoDbLocal d = DynamoDbLocal.start(dataDir == null ? null : dataDir.resolve("dynamodb"), 0);
        try {
            return new EmbeddedBackend(
                    d, ElasticMq.start(dataDir == null ? null : dataDir.resolve("queue"), freePort()));
        } catch (Exception e) {
            d.close();
            throw e;
        }
    }

    @Override
    public String dynamoEndpoint() {
        return dynamo.endpoint();
    }

    @Override
    public String sqsEndpoint() {
        return queue.endpoint();
    }

    @Override
    public QueueKeys queueKeys() {
        return queue.keys();
    }

    @Override
    public void close() throws Exception {
        queue.close();
        dynamo.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
