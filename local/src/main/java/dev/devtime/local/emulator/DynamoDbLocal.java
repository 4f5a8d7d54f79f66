package dev.devtime.local.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import software.amazon.dynamodb.services.local.main.CommandLineInput;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;

/**
 * AWS's DynamoDB Local in this JVM, storing its tables (SQLite) under the data directory, so they
 * survive restarts and crashes. Spoken to over HTTP by the real SDK, like the real service, on the
 * loopback interface only: the table holds every user's heartbeats and key hashes.
 */
public final class DynamoDbLocal implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private static final List<String> NATIVES =
            List.of("libsqlite4java-linux-amd64.so", "libsqlite4java-osx.dylib", "sqlite4java-win32-x64.dll");

    private final Server server;
    private final LocalDynamoDBServerHandler handler;
    private final int port;

    private DynamoDbLocal(Server server, LocalDynamoDBServerHandler handler, int port) {
        this.server = server;
        this.handler = handler;
        this.port = port;
    }

    /**
     * @param dataDir where tables are stored; null keeps them in memory (tests that need no restart)
     * @param port    0 for any free port
     */
    public static DynamoDbLocal start(Path dataDir, int port) throws Exception {
        Path natives = extractNatives();
        System.setProperty("sqlite4java.library.path", natives.toString());
        String[] args = dataDir == null
                ? new String[] {"-inMemory", "-sharedDb", "-disableTelemetry"}
                : new String[] {"-sharedDb", "-dbPath", dataDir.toString(), "-disableTelemetry"};
        if (dataDir != null) {
            Files.createDirectories(dataDir);
        }
        // DynamoDB Local's own server (ServerRunner, DynamoDBProxyServer) listens on every interface and has no
        // option to bind one, so its request handler is mounted, as ServerRunner mounts it, on a Jetty server
        // of ours bound to loopback.
        CommandLineInput in = new CommandLineInput(args);
        if (!in.init()) {
            throw new IllegalArgumentException("DynamoDB Local refused its options " + List.of(args));
        }
        LocalDynamoDBServerHandler handler = new LocalDynamoDBServerHandler(
                new LocalDynamoDBRequestHandler(
                        0, in.isInMemory(), in.getDbPath(), in.getSharedDb(), in.shouldDelayTransientStatuses()),
                in.getCorsParams());
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(HOST);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new ContextHandler(handler));
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            handler.close();
            throw e;
        }
        return new DynamoDbLocal(server, handler, connector.getLocalPort());
    }

    public String endpoint() {
        return "http://" + HOST + ":" + port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        handler.close();
    }

    /** sqlite4java loads its library from a directory: copy the bundled ones to a temp directory once. */
    private static synchronized Path extractNatives() throws IOException {
        String existing = System.getProperty("sqlite4java.library.path");
        if (existing != null && Files.isDirectory(Path.of(existing))) {
            return Path.of(existing);
        }
        Path dir = Files.createTempDirectory("devtime-sqlite4java");
        dir.toFile().deleteOnExit();
        for (String name : NATIVES) {
            try (InputStream in = DynamoDbLocal.class.getResourceAsStream("/native/" + name)) {
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
