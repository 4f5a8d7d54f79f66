package dev.devtime.local.emulator;

/**
 * Where DynamoDB and SQS are. The embedded emulators by default; the integration suite also runs against
 * LocalStack (Testcontainers) where Docker exists, through the same interface.
 */
public interface Backend extends AutoCloseable {

    String dynamoEndpoint();

    String sqsEndpoint();

    /** The keys that encrypt queued messages at rest ({@link QueueEncryption}); null where the queue is not ours. */
    default QueueKeys queueKeys() {
        return null;
    }
}
