package dev.devtime.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.functions.aws.AwsClients;
import dev.devtime.functions.queue.QueueMessage;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.wire.HeartbeatParser;
import dev.devtime.model.wire.RequestMeta;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The encryption of queued messages on real SDK clients against ElasticMQ: what ElasticMQ holds is sealed,
 * what the aggregator receives is the message as sent (the SDK checks both MD5s), the keys survive a restart,
 * the account function's deletion destroys a user's key and that user's messages are then deleted unread.
 */
class QueueEncryptionTest {

    static ElasticMq mq;
    /** A client without encryption: sees the bodies as ElasticMQ stores them. */
    static SqsClient raw;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        mq = ElasticMq.start(null, EmbeddedBackend.freePort());
        raw = AwsClients.sqs(mq.endpoint());
    }

    @AfterAll
    static void stop() {
        raw.close();
        mq.close();
    }

    static SqsClient sealing(QueueKeys keys, boolean destroysOnDeletion) {
        return AwsClients.sqs(mq.endpoint(), new QueueEncryption(keys, () -> raw, destroysOnDeletion));
    }

    static String queue() {
        return raw.createQueue(b -> b.queueName("q-" + UUID.randomUUID())).queueUrl();
    }

    static String heartbeats(String user, String entity) throws Exception {
        long now = System.currentTimeMillis();
        Heartbeat h = HeartbeatParser.parse(
                        new ObjectMapper()
                                .readTree("{\"entity\":\"" + entity + "\",\"type\":\"file\",\"time\":"
                                        + (now - 60_000) / 1000.0 + ",\"project\":\"secret-project\"}"),
                        RequestMeta.of("wakatime/1.0", "box", now))
                .heartbeat();
        return QueueMessage.heartbeats(user, List.of(h), now).encode();
    }

    static List<Message> receiveAll(SqsClient sqs, String url) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
    }

    static int depth(String url) {
        var a = raw.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void messagesAreSealedInTheQueueAndReceivedAsSentAlsoAfterARestart() throws Exception {
        String url = queue();
        String one = heartbeats("alice", "/home/alice/secret/One.java");
        String two = heartbeats("alice", "/home/alice/secret/Two.java");
        try (SqsClient ingest = sealing(QueueKeys.read(dir), false)) {
            ingest.sendMessage(b -> b.queueUrl(url).messageBody(one));
            ingest.sendMessageBatch(b -> b.queueUrl(url)
                    .entries(SendMessageBatchRequestEntry.builder()
                            .id("0")
                            .messageBody(two)
                            .build()));
        }
        List<Message> stored = raw.receiveMessage(b -> b.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(1)
                        .visibilityTimeout(0))
                .messages();
        assertEquals(2, stored.size());
        for (Message m : stored) {
            assertTrue(m.body().startsWith(QueueEncryption.PREFIX), m.body());
            assertFalse(m.body().contains("secret") || m.body().contains("alice"), m.body());
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(QueueKeys.FILE))));
        }
        // A restart: the keys as read from the file open what was sealed before.
        try (SqsClient aggregator = sealing(QueueKeys.read(dir), false)) {
            List<Message> received = receiveAll(aggregator, url);
            assertEquals(
                    java.util.Set.of(one, two),
                    received.stream().map(Message::body).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void theAccountFunctionsDeletionDestroysTheKeyAndTheUsersQueuedMessagesAreDeletedUnread() throws Exception {
        String url = queue();
        QueueKeys keys = QueueKeys.read(dir);
        String alice = heartbeats("alice", "/home/alice/secret/Plan.java");
        String bob = heartbeats("bob", "/home/bob/Main.java");
        String deletion =
                QueueMessage.deleteAccount("alice", System.currentTimeMillis()).encode();
        try (SqsClient ingest = sealing(keys, false);
                SqsClient aggregator = sealing(keys, false);
                SqsClient account = sealing(keys, true)) {
            ingest.sendMessage(b -> b.queueUrl(url).messageBody(alice));
            ingest.sendMessage(b -> b.queueUrl(url).messageBody(bob));
            String aliceKey = keys.forUser("alice").id();
            // The aggregator's next part of a deletion leaves the key: the user may have come back meanwhile.
            aggregator.sendMessage(b -> b.queueUrl(url).messageBody(deletion));
            assertEquals(aliceKey, keys.forUser("alice").id());
            account.sendMessage(b -> b.queueUrl(url).messageBody(deletion));
            assertNull(keys.byId(aliceKey));
            assertTrue(QueueKeys.read(dir).destroyed(aliceKey), "destroyed on disk before the deletion was queued");
            assertNull(QueueKeys.read(dir).byId(aliceKey));

            List<Message> received = new java.util.ArrayList<>();
            for (int i = 0; i < 3 && received.size() < 3; i++) {
                received.addAll(receiveAll(aggregator, url));
            }
            assertEquals(
                    java.util.stream.Stream.of(bob, deletion, deletion).sorted().toList(),
                    received.stream().map(Message::body).sorted().toList(),
                    "bob's heartbeats and both deletions, in plain; alice's heartbeats not at all");
            for (Message m : received) {
                aggregator.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
            assertEquals(
                    0,
                    depth(url),
                    "alice's message was deleted from the queue, not left to reach the dead-letter queue");

            // Alice comes back: a new key, and her new heartbeats go through.
            String back = heartbeats("alice", "/home/alice/new/Start.java");
            ingest.sendMessage(b -> b.queueUrl(url).messageBody(back));
            assertNotEquals(aliceKey, keys.forUser("alice").id());
            assertEquals(
                    List.of(back),
                    receiveAll(aggregator, url).stream().map(Message::body).toList());
        }
    }

    @Test
    void keysAreStoredEvenWhenTheirFolderWasRemovedUnderTheRunningStore() throws Exception {
        Path gone = dir.resolve("queue");
        QueueKeys keys = QueueKeys.read(gone);
        assertFalse(Files.exists(gone));
        String id = keys.forUser("erin").id();
        assertEquals(id, QueueKeys.read(gone).forUser("erin").id(), "stored, and read back as a restart would");
    }

    @Test
    void aMessageUnderAKeyTheseKeysNeverHeldIsLeftInTheQueue(@TempDir Path other) throws Exception {
        String url = queue();
        try (SqsClient ingest = sealing(QueueKeys.read(dir), false);
                SqsClient elsewhere = sealing(QueueKeys.read(other), false)) {
            String carol = heartbeats("carol", "/c.java");
            ingest.sendMessage(b -> b.queueUrl(url).messageBody(carol));
            List<Message> received = receiveAll(elsewhere, url);
            assertEquals(1, received.size());
            assertTrue(
                    received.get(0).body().startsWith(QueueEncryption.PREFIX),
                    "left as it is, for the dead-letter queue");
            assertEquals(1, depth(url));
        }
    }

    @Test
    void bodiesThatAreNotAUsersMessageAndDeletionsPassAsTheyAre() throws Exception {
        String url = queue();
        QueueKeys keys = QueueKeys.read(dir);
        try (SqsClient sqs = sealing(keys, true)) {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"this is\": \"not a heartbeat message\"}"));
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("not json"));
            sqs.sendMessage(b -> b.queueUrl(url)
                    .messageBody(QueueMessage.deleteAccount("dave", 1).encode()));
        }
        List<String> stored =
                receiveAll(raw, url).stream().map(Message::body).sorted().toList();
        assertEquals(
                List.of(
                        "not json",
                        "{\"this is\": \"not a heartbeat message\"}",
                        "{\"v\":1,\"u\":\"dave\",\"s\":1,\"k\":\"delete\"}"),
                stored);
        assertNotNull(
                QueueEncryption.owner(QueueMessage.deleteAccount("dave", 1).encode()));
    }
}
