package dev.devtime.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code local} as a user runs it: {@link DevTimeLocal} in a JVM of its own, on this test's class path. */
final class LocalProcess {

    private LocalProcess() {}

    /** A port free now, for a process that must be told its port before it starts. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The command that starts {@code local} with these arguments; the caller adds output and environment. */
    static ProcessBuilder command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DevTimeLocal.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    static void awaitHealthy(ApiClient api) {
        PipelineContract.await(
                () -> {
                    try {
                        return api.get("/api/health", null).status() == 200;
                    } catch (RuntimeException e) {
                        return false;
                    }
                    // A start replays DynamoDB Local's and H2's files: slow on a busy 2-core machine.
                },
                Duration.ofSeconds(180));
    }
}
