package dev.devtime.local.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * AWS's DynamoDB Local in this JVM, storing its tables (SQLite) under the data directory, so they
 * survive restarts and crashes. Spoken to over HTTP by the real SDK, like the real service.
 */
public final class DynamoDbLocal implements AutoCloseable {

    private static final List<String> NATIVES =
            List.of("libsqlite4java-linux-amd64.so", "libsqlite4java-osx.dylib", "sqlite4java-win32-x64.dll");

    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocal(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** @param dataDir where tables are stored; null keeps them in memory (tests that need no restart) */
    public static DynamoDbLocal start(Path dataDir, int port) throws Exception {
        Path natives = extractNatives();
        System.setProperty("sqlite4java.library.path", natives.toString());
        String[] args = dataDir == null
                ? new String[] {"-inMemory", "-sharedDb", "-port", Integer.toString(port), "-disableTelemetry"}
                : new String[] {"-sharedDb", "-dbPath", dataDir.toString(), "-port", Integer.toString(port), "-disableTelemetry"};
        if (dataDir != null) {
            Files.createDirectories(dataDir);
        }
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args);
        server.start();
        return new DynamoDbLocal(server, port);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
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
