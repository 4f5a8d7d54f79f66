package dev.devtime.local.emulator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * ElasticMQ, an SQS-compatible server, in this JVM. Messages are stored in an H2 database under the data
 * directory and written before SQS's answer goes out (ElasticMQ persists synchronously, and H2 is told
 * not to delay writes), so a heartbeat answered 202 survives a SIGKILL. Users' message bodies arrive here
 * encrypted ({@link QueueEncryption}), under keys kept beside the store ({@link #keys()}).
 */
public final class ElasticMq implements AutoCloseable {

    private static final String PEKKO_HOOK = "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook";
    /** The folder of the message store this JVM's servers use: the first one opened (see {@link #close()}). */
    private static Path storeInUse;
    /** How long a start may take to restore the stored queues (a busy 2-core machine, hundreds of queues). */
    private static final long RESTORE_TIMEOUT_MS = 120_000;

    private final Function0<?> shutdown;
    private final int port;
    private final QueueKeys keys;

    private ElasticMq(Function0<?> shutdown, int port, QueueKeys keys) {
        this.shutdown = shutdown;
        this.port = port;
        this.keys = keys;
    }

    /** @param dataDir where queues and messages are stored; null keeps them in memory */
    public static synchronized ElasticMq start(Path dataDir, int port) throws Exception {
        StringBuilder conf = new StringBuilder();
        conf.append("node-address { protocol = http, host = \"127.0.0.1\", port = ")
                .append(port)
                .append(", context-path = \"\" }\n");
        conf.append("rest-sqs { enabled = true, bind-port = ")
                .append(port)
                .append(", bind-hostname = \"127.0.0.1\", sqs-limits = strict }\n");
        conf.append("rest-stats { enabled = false }\n");
        conf.append("generate-node-address = false\n");
        conf.append("aws { region = us-east-1, accountId = \"000000000000\" }\n");
        QueueKeys keys = QueueKeys.inMemory();
        List<String> stored = List.of();
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            // Beside the messages they encrypt: a later server in this JVM stores its messages in the first one's file.
            keys = QueueKeys.open(storeInUse != null ? storeInUse : dataDir);
            String uri = uri(dataDir);
            // ElasticMQ carries on in memory when its store cannot be opened: refuse instead, so nothing
            // answered 202 lives only in memory (another process holds the files while it runs).
            try (Connection c = DriverManager.getConnection(uri, "", "")) {
                c.isValid(1);
            }
            stored = storedQueues(storeInUse != null ? uri(storeInUse) : uri);
            conf.append("messages-storage { enabled = true, driver-class = \"org.h2.Driver\", uri = \"")
                    .append(uri.replace("\\", "/"))
                    .append("\", username = \"\", password = \"\", prune-data-on-init = false }\n");
        }
        // ElasticMQ's actor system reads Pekko's settings from the defaults: stopped from DevTime's own shutdown
        // hook, it would try to add Pekko's hook too and warn "Could not addJvmShutdownHook"; DevTime stops it.
        if (System.getProperty(PEKKO_HOOK) == null) {
            System.setProperty(PEKKO_HOOK, "off");
            ConfigFactory.invalidateCaches();
        }
        Config config = ConfigFactory.parseString(conf.toString())
                .withFallback(ConfigFactory.load())
                .resolve();
        Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        if (dataDir != null && storeInUse == null) {
            storeInUse = dataDir;
        }
        ElasticMq mq = new ElasticMq(shutdown, port, keys);
        try {
            mq.awaitRestored(stored);
        } catch (RuntimeException e) {
            mq.close();
            throw e;
        }
        return mq;
    }

    private static String uri(Path dataDir) {
        return "jdbc:h2:" + dataDir.toAbsolutePath().resolve("messages") + ";WRITE_DELAY=0";
    }

    /** The queues ElasticMQ's store holds (its table {@code queue}), which a start restores. */
    private static List<String> storedQueues(String uri) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(uri, "", "")) {
            if (!c.getMetaData().getTables(null, null, "QUEUE", null).next()) {
                return names;
            }
            try (ResultSet r = c.createStatement().executeQuery("select name from queue")) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
        }
        return names;
    }

    /**
     * ElasticMQ answers before it has restored the stored queues: a queue created meanwhile (DevTime's set-up
     * asks for its queues at once) makes the restore fail with QueueAlreadyExists, and the server stops. So a
     * start returns only once every stored queue is there again.
     */
    private void awaitRestored(List<String> names) throws InterruptedException {
        if (names.isEmpty()) {
            return;
        }
        long end = System.currentTimeMillis() + RESTORE_TIMEOUT_MS;
        try (SqsClient sqs = dev.devtime.functions.aws.AwsClients.sqs(endpoint())) {
            for (String name : names) {
                while (true) {
                    try {
                        sqs.getQueueUrl(b -> b.queueName(name));
                        break;
                    } catch (QueueDoesNotExistException | software.amazon.awssdk.core.exception.SdkClientException e) {
                        if (System.currentTimeMillis() > end) {
                            throw new IllegalStateException("ElasticMQ did not restore queue " + name + " within "
                                    + RESTORE_TIMEOUT_MS / 1000 + " s");
                        }
                        Thread.sleep(20);
                    }
                }
            }
        }
    }

    /** The keys of this server's messages, kept beside its message store (in memory when it has none). */
    public QueueKeys keys() {
        return keys;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        // The H2 database stays open (its files locked) until the JVM exits: ElasticMQ keeps one connection
        // pool per JVM, set up by the first server, and a later server in this JVM goes on using it.
        shutdown.apply();
    }
}
