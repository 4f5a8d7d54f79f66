package dev.devtime.local.emulator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;

/**
 * ElasticMQ, an SQS-compatible server, in this JVM. Messages are stored in an H2 database under the data
 * directory and written before SQS's answer goes out (ElasticMQ persists synchronously, and H2 is told
 * not to delay writes), so a heartbeat answered 202 survives a SIGKILL.
 */
public final class ElasticMq implements AutoCloseable {

    private static final String PEKKO_HOOK = "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook";

    private final Function0<?> shutdown;
    private final int port;

    private ElasticMq(Function0<?> shutdown, int port) {
        this.shutdown = shutdown;
        this.port = port;
    }

    /** @param dataDir where queues and messages are stored; null keeps them in memory */
    public static ElasticMq start(Path dataDir, int port) throws Exception {
        StringBuilder conf = new StringBuilder();
        conf.append("node-address { protocol = http, host = \"127.0.0.1\", port = ").append(port).append(", context-path = \"\" }\n");
        conf.append("rest-sqs { enabled = true, bind-port = ").append(port).append(", bind-hostname = \"127.0.0.1\", sqs-limits = strict }\n");
        conf.append("rest-stats { enabled = false }\n");
        conf.append("generate-node-address = false\n");
        conf.append("aws { region = us-east-1, accountId = \"000000000000\" }\n");
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            String uri = "jdbc:h2:" + dataDir.toAbsolutePath().resolve("messages") + ";WRITE_DELAY=0";
            // ElasticMQ carries on in memory when its store cannot be opened: refuse instead, so nothing
            // answered 202 lives only in memory (another process holds the files while it runs).
            try (Connection c = DriverManager.getConnection(uri, "", "")) {
                c.isValid(1);
            }
            conf.append("messages-storage { enabled = true, driver-class = \"org.h2.Driver\", uri = \"")
                    .append(uri.replace("\\", "/")).append("\", username = \"\", password = \"\", prune-data-on-init = false }\n");
        }
        // ElasticMQ's actor system reads Pekko's settings from the defaults: stopped from DevTime's own shutdown
        // hook, it would try to add Pekko's hook too and warn "Could not addJvmShutdownHook"; DevTime stops it.
        if (System.getProperty(PEKKO_HOOK) == null) {
            System.setProperty(PEKKO_HOOK, "off");
            ConfigFactory.invalidateCaches();
        }
        Config config = ConfigFactory.parseString(conf.toString()).withFallback(ConfigFactory.load()).resolve();
        Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        return new ElasticMq(shutdown, port);
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
