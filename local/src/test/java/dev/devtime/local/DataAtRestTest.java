package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devtime.functions.auth.ApiKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local} as a user runs it, in its own process: keys given through the environment and a file never
 * appear in the process list and work, and the data directory is readable by its owner only.
 */
@EnabledOnOs(OS.LINUX)
class DataAtRestTest {

    @TempDir
    Path tmp;

    @Test
    void keysStayOutOfTheProcessListAndDataStaysWithItsOwner() throws Exception {
        int port = LocalProcess.freePort();
        String envKey = ApiKeys.generate();
        String fileKey = ApiKeys.generate();
        Path usersFile = tmp.resolve("users");
        Files.writeString(usersFile, "bob:" + fileKey + "\n");
        Path data = tmp.resolve("data");
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        ProcessBuilder pb = LocalProcess.command(
                        "--port",
                        Integer.toString(port),
                        "--data-dir",
                        data.toString(),
                        "--users-file",
                        usersFile.toString(),
                        "--quiet")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("local.log").toFile());
        pb.environment().put("DEVTIME_API_KEY", envKey);
        Process local = pb.start();
        try {
            LocalProcess.awaitHealthy(api);
            String cmdline = Files.readString(Path.of("/proc/" + local.pid() + "/cmdline"));
            assertFalse(cmdline.contains(envKey) || cmdline.contains(fileKey), cmdline);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
            long t = System.currentTimeMillis() - 60_000;
            for (String key : new String[] {envKey, fileKey}) {
                ApiClient.Response r = api.post(
                        "/api/v1/users/current/heartbeats.bulk",
                        ApiClient.basic(key),
                        "[" + ApiClient.waka(t, "p", "Go", "/a.go") + "]");
                assertEquals(202, r.status(), r.body());
            }
        } finally {
            local.destroy();
            assertTrue(local.waitFor(60, TimeUnit.SECONDS), "local stops on SIGTERM");
        }
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.toList()) {
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", perms, p.toString());
            }
        }
    }
}
