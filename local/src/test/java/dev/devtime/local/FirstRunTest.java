package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first run, replayed from the README: its start command (run from the test's classpath, as
 * the jar is only packaged after the tests), its examples run by bash with a fresh home folder, the
 * backup and restore it documents, and each start-up mistake, which must end in one line, a non-zero
 * exit and an unchanged disk. The commands are read from README.md, so the README stays true.
 */
class FirstRunTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path MAIN = Path.of("src", "main", "java", "dev", "devtime", "local", "DevTimeLocal.java");
    private static final String JAR = "java -jar local/target/devtime-local.jar";
    private static final Pattern RUNNING = Pattern.compile("DevTime is running at (http://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theReadmeWalk() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        List<String> blocks = codeBlocks(readme);
        // The two set-up commands come first: start on one machine, and run every test.
        String first = blocks.get(0);
        assertTrue(first.lines().anyMatch(l -> l.strip().startsWith("mvn -B verify -ntp")), first);
        String startLine =
                first.lines().filter(l -> l.contains(JAR)).findFirst().orElseThrow();
        List<String> readmeArgs = args(startLine.substring(startLine.indexOf(JAR) + JAR.length()));

        Path home = Files.createDirectories(tmp.resolve("home"));
        List<String> args = new ArrayList<>(readmeArgs);
        args.addAll(List.of("--port", "0"));
        Run devtime = start(home, args);
        String banner = devtime.awaitOutput(RUNNING, Duration.ofSeconds(120));
        Matcher m = RUNNING.matcher(banner);
        assertTrue(m.find());
        String base = m.group(1);
        Path dataDir = home.resolve(".local/share/devtime");
        assertTrue(banner.contains("Data: " + dataDir), banner);
        String key = Files.readString(dataDir.resolve("api-key")).trim();
        assertTrue(banner.contains(key), banner);

        // The WakaTime settings the README shows are the ones the banner prints (on this run's port).
        String cfg = blocks.stream()
                .filter(b -> b.contains("[settings]"))
                .findFirst()
                .orElseThrow();
        String apiUrl =
                cfg.lines().filter(l -> l.startsWith("api_url")).findFirst().orElseThrow();
        assertTrue(banner.contains(onPort(apiUrl, base)), banner + "\nwants " + apiUrl);

        // The example: two heartbeats a minute apart, and today's stats show the minute between them.
        awayFromMidnight();
        String example = blocks.stream()
                .filter(b -> b.contains("heartbeats.bulk"))
                .findFirst()
                .orElseThrow();
        String out = bash(home, onPort(example, base));
        String read = "KEY=" + key + "\n"
                + onPort(
                        example.lines()
                                .filter(l -> l.contains("/api/stats"))
                                .findFirst()
                                .orElseThrow(),
                        base);
        assertEquals(60.0, total(out, home, read), out);

        // Stopping says so, without the actor system's shutdown warning.
        devtime.stop();
        assertTrue(devtime.stdout().contains("DevTime stopped."), devtime.stdout());
        assertFalse(devtime.all().contains("CoordinatedShutdown"), devtime.all());
        assertFalse(devtime.all().contains("Exception"), devtime.all());
        // No per-batch log line by default, no DynamoDB Local configuration banner.
        assertFalse(devtime.stdout().contains("batch aggregated"), devtime.stdout());
        assertFalse(devtime.stdout().contains("Initializing DynamoDB Local"), devtime.stdout());

        // Backup, then a restore into a fresh home: the same key and the same minute.
        String block =
                blocks.stream().filter(b -> b.contains("# back up")).findFirst().orElseThrow();
        String backup = block.substring(0, block.indexOf("# restore"));
        String restore = block.substring(block.indexOf("# restore"));
        bash(home, backup);
        Path other = Files.createDirectories(tmp.resolve("other-home"));
        try (Stream<Path> s = Files.list(home)) {
            for (Path p :
                    s.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                Files.move(p, other.resolve(p.getFileName()));
            }
        }
        bash(other, restore);
        Run restored = start(other, args);
        String again = restored.awaitOutput(RUNNING, Duration.ofSeconds(120));
        Matcher m2 = RUNNING.matcher(again);
        assertTrue(m2.find());
        assertTrue(again.contains(key), again);
        String reread = "KEY=" + key + "\n"
                + onPort(
                        example.lines()
                                .filter(l -> l.contains("/api/stats"))
                                .findFirst()
                                .orElseThrow(),
                        m2.group(1));
        assertEquals(60.0, total(bash(other, reread), other, reread));
        restored.stop();
    }

    @Test
    void helpListsEveryOption() throws Exception {
        String source = Files.readString(MAIN, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("case (\"-[^:>]+)->").matcher(source);
        List<String> options = new ArrayList<>();
        while (m.find()) {
            Matcher o = Pattern.compile("\"(-[-a-z]+)\"").matcher(m.group(1));
            while (o.find()) {
                options.add(o.group(1));
            }
        }
        assertTrue(options.size() > 10, options.toString());
        Run help = start(tmp, List.of("--help"));
        assertEquals(0, help.exit());
        for (String option : options) {
            assertTrue(
                    help.stdout().contains(option + " ") || help.stdout().contains(option + ","),
                    option + " missing from --help:\n" + help.stdout());
        }
        assertFalse(Files.exists(tmp.resolve(".local")), "--help created the data directory");
    }

    @Test
    void gatewayPortTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Assumptions.assumeTrue(free(port + 1), "the next port is in use too");
            assertMistake(List.of("--port", Integer.toString(port)), "port " + port, "--port");
        }
    }

    @Test
    void signInPortTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertMistake(List.of("--port", "0", "--oidc-port", Integer.toString(port)), "port " + port, "--oidc-port");
        }
    }

    @Test
    void dataDirIsAFile() throws Exception {
        Files.createDirectories(tmp.resolve("home"));
        Path file = Files.writeString(
                tmp.resolve("home/notes"),
                "mine",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE);
        assertMistake(List.of("--port", "0", "--data-dir", file.toString()), "is a file", "--data-dir");
    }

    @Test
    void dataDirNotWritable() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("home/locked"));
        // root ignores permission bits; the immutable attribute stops it too.
        boolean immutable =
                new ProcessBuilder("chattr", "+i", dir.toString()).start().waitFor() == 0;
        if (!immutable) {
            Assumptions.assumeFalse(
                    "root".equals(System.getProperty("user.name")), "no way to make a folder unwritable for root");
            dir.toFile().setWritable(false, false);
        }
        try {
            assertMistake(
                    List.of("--port", "0", "--data-dir", dir.resolve("devtime").toString()),
                    "not writable",
                    "--data-dir");
            assertMistake(List.of("--port", "0", "--data-dir", dir.toString()), "not writable", "--data-dir");
        } finally {
            if (immutable) {
                new ProcessBuilder("chattr", "-i", dir.toString()).start().waitFor();
            } else {
                dir.toFile().setWritable(true, true);
            }
        }
    }

    @Test
    void sameDataDirTwice() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path dir = tmp.resolve("shared");
        Run first = start(home, List.of("--port", "0", "--data-dir", dir.toString(), "--quiet"));
        first.awaitOutput(RUNNING, Duration.ofSeconds(120));
        assertMistake(List.of("--port", "0", "--data-dir", dir.toString()), "another DevTime is using", "--data-dir");
        first.stop();
    }

    /** Runs DevTime with a mistake in {@code args}: one line naming it and the fix, exit 1, nothing written. */
    private void assertMistake(List<String> args, String says, String fix) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> before = tree(tmp);
        Run run = start(home, args);
        int exit = run.exit();
        assertNotEquals(0, exit, run.all());
        List<String> lines = run.all().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run.all());
        assertTrue(
                lines.get(0).startsWith("error: ")
                        && lines.get(0).contains(says)
                        && lines.get(0).contains(fix),
                lines.get(0));
        assertEquals(before, tree(tmp), "the disk changed");
    }

    private Run start(Path home, List<String> args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Duser.home=" + home,
                "-cp",
                System.getProperty("java.class.path"),
                DevTimeLocal.class.getName()));
        command.addAll(args);
        Path out = Files.createTempFile("devtime-out", ".log");
        Path err = Files.createTempFile("devtime-err", ".log");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("XDG_DATA_HOME");
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        started.add(p);
        return new Run(p, out, err);
    }

    private static String bash(Path home, String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                .directory(home.toFile())
                .redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("XDG_DATA_HOME");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), script + "\n" + out);
        return out;
    }

    /**
     * today's total_seconds from the example's last line; asked again for up to 30 s while it is lower, as a
     * busy machine may take longer than the example's pause to aggregate.
     */
    private static double total(String out, Path home, String read) throws Exception {
        double total = JSON.readTree(lastLine(out)).path("total_seconds").asDouble();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (total < 60 && System.nanoTime() < end) {
            Thread.sleep(500);
            total = JSON.readTree(lastLine(bash(home, read)))
                    .path("total_seconds")
                    .asDouble();
        }
        return total;
    }

    /** The README's examples use the default port; this run has its own. */
    private static String onPort(String text, String base) {
        return text.replace("http://127.0.0.1:8080", base);
    }

    private static String lastLine(String out) {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }

    /** Fenced code blocks in order. */
    static List<String> codeBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```").matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Shell words of a command line up to a comment (the README's start line has only plain words). */
    private static List<String> args(String rest) {
        String words = rest.contains("#") ? rest.substring(0, rest.indexOf('#')) : rest;
        return words.isBlank() ? List.of() : List.of(words.trim().split("\\s+"));
    }

    /** Two heartbeats a minute apart fall on two days in the minute after midnight. */
    private static void awayFromMidnight() throws InterruptedException {
        int s = LocalTime.now(ZoneOffset.UTC).toSecondOfDay();
        if (s < 90) {
            Thread.sleep((91 - s) * 1000L);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every path under {@code root} with its size and modification time. */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                out.put(root.relativize(p).toString(), a.size() + " " + a.lastModifiedTime());
            }
        }
        return out;
    }

    private record Run(Process process, Path out, Path err) {

        String awaitOutput(Pattern pattern, Duration timeout) throws Exception {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                if (pattern.matcher(stdout()).find()) {
                    Thread.sleep(300); // the rest of the banner
                    return stdout();
                }
                if (!process.isAlive()) {
                    throw new AssertionError("DevTime exited " + process.exitValue() + ":\n" + all());
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no " + pattern + " within " + timeout + ":\n" + all());
        }

        int exit() throws Exception {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running after 60 s:\n" + all());
            return process.exitValue();
        }

        void stop() throws Exception {
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not stop:\n" + all());
        }

        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String all() throws IOException {
            return stdout() + Files.readString(err, StandardCharsets.UTF_8);
        }
    }
}
