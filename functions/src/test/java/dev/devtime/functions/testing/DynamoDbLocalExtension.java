package dev.devtime.functions.testing;

import dev.devtime.functions.Wiring;
import dev.devtime.functions.aws.AwsClients;
import dev.devtime.functions.store.Table;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.main.CommandLineInput;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;

/**
 * AWS's DynamoDB Local in the test JVM, in memory, spoken to over HTTP by the real SDK; each test gets a
 * table of its own, created as the CDK app creates it (string {@code pk} and {@code sk}, on demand, TTL on
 * {@code ttl}). One emulator serves every test class of the run.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final DynamoDbLocalExtension DYNAMO = new DynamoDbLocalExtension();
 * ... DYNAMO.wiring(clock, sqs) ... DYNAMO.table() ...
 * </pre>
 */
public final class DynamoDbLocalExtension implements BeforeEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(DynamoDbLocalExtension.class);
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final List<String> NATIVES =
            List.of("libsqlite4java-linux-amd64.so", "libsqlite4java-osx.dylib", "sqlite4java-win32-x64.dll");

    private Emulator emulator;
    private String table;

    @Override
    public void beforeEach(ExtensionContext context) {
        emulator = context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Emulator.class, k -> Emulator.start(), Emulator.class);
        table = "devtime-test-" + TABLES.incrementAndGet();
        createTable(emulator.client, table);
    }

    /** A client of the emulator; it serves every test, so close nothing. */
    public DynamoDbClient client() {
        return emulator.client;
    }

    /** This test's table. */
    public String table() {
        return table;
    }

    /** The services as a function builds them, over this test's table; {@code sqs} may be null (no queue). */
    public Wiring wiring(Clock clock, RecordingSqs sqs) {
        return new Wiring(
                client(),
                table,
                sqs,
                sqs == null ? null : RecordingSqs.QUEUE_URL,
                null,
                Wiring.Config.defaults(),
                clock);
    }

    /** As the CDK app defines the table, with TTL on as there. */
    static void createTable(DynamoDbClient dynamo, String table) {
        Table.create(dynamo, table);
        dynamo.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(Table.TTL).enabled(true)));
    }

    /** The emulator and its client, closed by JUnit when the run ends. */
    private static final class Emulator implements AutoCloseable {

        final Server server;
        final LocalDynamoDBServerHandler handler;
        final DynamoDbClient client;

        private Emulator(Server server, LocalDynamoDBServerHandler handler, DynamoDbClient client) {
            this.server = server;
            this.handler = handler;
            this.client = client;
        }

        static Emulator start() {
            try {
                System.setProperty("sqlite4java.library.path", extractNatives().toString());
                String[] args = {"-inMemory", "-sharedDb", "-disableTelemetry"};
                CommandLineInput in = new CommandLineInput(args);
                if (!in.init()) {
                    throw new IllegalStateException("DynamoDB Local refused its options " + List.of(args));
                }
                // Mounted on a Jetty server of ours, as local does: DynamoDB Local's own listens on every
                // interface and cannot pick a free port.
                LocalDynamoDBServerHandler handler = new LocalDynamoDBServerHandler(
                        new LocalDynamoDBRequestHandler(
                                0,
                                in.isInMemory(),
                                in.getDbPath(),
                                in.getSharedDb(),
                                in.shouldDelayTransientStatuses()),
                        in.getCorsParams());
                Server server = new Server();
                ServerConnector connector = new ServerConnector(server);
                connector.setHost("127.0.0.1");
                connector.setPort(0);
                server.addConnector(connector);
                server.setHandler(new ContextHandler(handler));
                server.start();
                DynamoDbClient client = AwsClients.dynamo("http://127.0.0.1:" + connector.getLocalPort());
                return new Emulator(server, handler, client);
            } catch (Exception e) {
                throw new IllegalStateException("DynamoDB Local did not start", e);
            }
        }

        @Override
        public void close() throws Exception {
            client.close();
            server.stop();
            handler.close();
        }

        /** sqlite4java loads its library from a directory: the test resources' copies, in a temp directory. */
        private static Path extractNatives() throws IOException {
            Path dir = Files.createTempDirectory("devtime-sqlite4java");
            dir.toFile().deleteOnExit();
            for (String name : NATIVES) {
                try (InputStream in = DynamoDbLocalExtension.class.getResourceAsStream("/native/" + name)) {
                    if (in != null) {
                        Path target = dir.resolve(name);
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                        target.toFile().deleteOnExit();
                    }
                }
            }
            return dir;
        }
    }
}
