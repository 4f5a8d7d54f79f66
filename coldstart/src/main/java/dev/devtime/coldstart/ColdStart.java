package dev.devtime.coldstart;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.deploy.LambdaFunction;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cold-start benchmark: every function's fresh-JVM init and first invocation against the trivial
 * baseline, repeated, reported as median and minimum; optionally the SDK HTTP clients compared the same
 * way. See coldstart/README.md.
 */
public final class ColdStart {

    /** The AWS SDK artifacts a DynamoDB client needs besides an HTTP client (mvn dependency:tree of dynamodb). */
    static final List<String> SDK_FOR_DYNAMODB = List.of(
            "dynamodb",
            "aws-json-protocol",
            "third-party-jackson-core",
            "protocol-core",
            "profiles",
            "retries-spi",
            "http-auth-aws",
            "checksums-spi",
            "checksums",
            "sdk-core",
            "retries",
            "slf4j-api",
            "reactive-streams",
            "auth",
            "http-auth-aws-eventstream",
            "eventstream",
            "http-auth-spi",
            "http-auth",
            "identity-spi",
            "http-client-spi",
            "regions",
            "annotations",
            "utils",
            "aws-core",
            "metrics-spi",
            "json-utils",
            "endpoints-spi");

    /** Each SDK HTTP client and the artifacts it brings. */
    static final Map<String, List<String>> HTTP_CLIENTS = new LinkedHashMap<>();

    static {
        HTTP_CLIENTS.put("url-connection-client", List.of("url-connection-client"));
        HTTP_CLIENTS.put(
                "apache-client",
                List.of("apache-client", "httpclient", "httpcore", "commons-logging", "commons-codec"));
        HTTP_CLIENTS.put("aws-crt-client", List.of("aws-crt-client", "crt-core", "aws-crt"));
    }

    private ColdStart() {}

    public static void main(String[] args) throws Exception {
        // The local stack's quiet logging, as its own launcher sets it (several jars ship a logback.xml).
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "devtime-logback.xml");
        }
        int runs = 5;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path buildDir = codeSource().getParent();
        Path jars = buildDir.resolve("../../functions/target").normalize();
        Path json = null;
        boolean httpClients = false;
        boolean primed = false;
        List<String> jvmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--java" -> java = Path.of(args[++i]);
                case "--jars" -> jars = Path.of(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                case "--http-clients" -> httpClients = true;
                case "--primed" -> primed = true;
                case "--jvm-arg" -> jvmArgs.add(args[++i]);
                default -> {
                    System.err.println(
                            "usage: java -jar devtime-coldstart.jar [--runs N] [--java PATH/bin/java]"
                                    + " [--jars functions/target] [--json FILE] [--http-clients] [--primed] [--jvm-arg FLAG]...");
                    System.exit(2);
                }
            }
        }
        ObjectNode report = JsonMapper.builder().build().createObjectNode();
        String version = javaVersion(java);
        List<String> flags = new ArrayList<>(Harness.LAMBDA_JVM_FLAGS);
        flags.addAll(jvmArgs);
        report.put("java", version)
                .put("runs", runs)
                .putPOJO("jvm_flags", flags)
                .put(
                        "load_average_at_start",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(
                "java: %s%nflags: %s%nruns per target: %d (median / min, ms from process start; CPU: all"
                        + " threads' CPU time by the end of the first call)%nload average: %.2f%n%n",
                version,
                String.join(" ", flags),
                runs,
                report.get("load_average_at_start").asDouble());
        try (Harness h = new Harness(java, jars, buildDir, true)) {
            h.extraJvmArgs(jvmArgs);
            List<Harness.Target> targets = new ArrayList<>();
            targets.add(h.trivial());
            for (LambdaFunction f : LambdaFunction.values()) {
                if (f == LambdaFunction.AGGREGATOR) {
                    // Its event is a message ingest queued: ingest has run once by now.
                    h.run(targets.get(1));
                }
                targets.add(h.target(f));
            }
            Map<String, List<Harness.Run>> results = new LinkedHashMap<>();
            // Round-robin, so that a noisy moment on the machine spreads over every target.
            for (int r = 0; r < runs; r++) {
                for (Harness.Target t : targets) {
                    results.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(h.run(t));
                }
            }
            double trivialTotal = median(results.get("trivial"), Harness.Run::totalMs);
            double trivialCpu = median(results.get("trivial"), Harness.Run::cpuMs);
            System.out.printf(
                    "%-11s %9s %13s %13s %13s %9s %13s %9s  %s%n",
                    "target", "jar KB", "init", "first call", "total", "x trivial", "CPU", "x trivial", "answer");
            ArrayNode rows = report.putArray("functions");
            for (Harness.Target t : targets) {
                List<Harness.Run> rs = results.get(t.name());
                long bytes = t.name().equals("trivial")
                        ? 0
                        : Files.size(h.jarOf(LambdaFunction.valueOf(t.name().toUpperCase(Locale.ROOT))));
                ObjectNode row = rows.addObject().put("name", t.name()).put("jar_bytes", bytes);
                stats(row, "jvm_to_main_ms", rs, Harness.Run::jvmMs);
                stats(row, "init_ms", rs, Harness.Run::initMs);
                stats(row, "first_invocation_ms", rs, Harness.Run::invokeMs);
                stats(row, "total_ms", rs, Harness.Run::totalMs);
                stats(row, "cpu_ms", rs, Harness.Run::cpuMs);
                double ratio = median(rs, Harness.Run::totalMs) / trivialTotal;
                double cpuRatio = median(rs, Harness.Run::cpuMs) / trivialCpu;
                row.put("total_vs_trivial", round(ratio))
                        .put("cpu_vs_trivial", round(cpuRatio))
                        .put("answer", abbreviate(rs.get(0).result()));
                System.out.printf(
                        "%-11s %9s %13s %13s %13s %9.2f %13s %9.2f  %s%n",
                        t.name(),
                        bytes == 0 ? "-" : bytes / 1024,
                        pair(rs, Harness.Run::initMs),
                        pair(rs, Harness.Run::invokeMs),
                        pair(rs, Harness.Run::totalMs),
                        ratio,
                        pair(rs, Harness.Run::cpuMs),
                        cpuRatio,
                        abbreviate(rs.get(0).result()));
            }
            if (primed) {
                System.out.printf("%nSnapStart priming (beforeCheckpoint) after init, then the first call%n");
                System.out.printf("%-11s %13s %13s%n", "function", "priming", "first call");
                ArrayNode primedRows = report.putArray("primed");
                Map<String, List<Harness.Run>> byFunction = new LinkedHashMap<>();
                for (int r = 0; r < runs; r++) {
                    for (Harness.Target t : targets.subList(1, targets.size())) {
                        byFunction
                                .computeIfAbsent(t.name(), k -> new ArrayList<>())
                                .add(h.runPrimed(t));
                    }
                }
                for (var e : byFunction.entrySet()) {
                    List<Harness.Run> rs = e.getValue();
                    ObjectNode row = primedRows.addObject().put("name", e.getKey());
                    stats(row, "priming_ms", rs, Harness.Run::primeMs);
                    stats(row, "first_invocation_ms", rs, Harness.Run::invokeMs);
                    System.out.printf(
                            "%-11s %13s %13s  %s%n",
                            e.getKey(),
                            pair(rs, Harness.Run::primeMs),
                            pair(rs, Harness.Run::invokeMs),
                            abbreviate(rs.get(0).result()));
                }
            }
            if (httpClients) {
                System.out.printf("%nSDK HTTP clients: a DynamoDB client built and its first call (DescribeTable)%n");
                System.out.printf(
                        "%-22s %11s %13s %13s %13s %13s%n",
                        "client", "client KB", "client built", "first call", "total", "CPU");
                ArrayNode clients = report.putArray("http_clients");
                List<Path> common = new ArrayList<>();
                common.add(h.runnerJar());
                for (String a : SDK_FOR_DYNAMODB) {
                    common.add(h.lib(a + "-"));
                }
                Map<String, List<Harness.Run>> byClient = new LinkedHashMap<>();
                Map<String, Long> sizes = new LinkedHashMap<>();
                Map<String, List<Path>> paths = new LinkedHashMap<>();
                for (var c : HTTP_CLIENTS.entrySet()) {
                    List<Path> cp = new ArrayList<>(common);
                    long size = 0;
                    for (String a : c.getValue()) {
                        Path jar = h.lib(a + "-");
                        cp.add(jar);
                        size += Files.size(jar);
                    }
                    paths.put(c.getKey(), cp);
                    sizes.put(c.getKey(), size);
                }
                for (int r = 0; r < runs; r++) {
                    for (var c : paths.entrySet()) {
                        byClient.computeIfAbsent(c.getKey(), k -> new ArrayList<>())
                                .add(h.run(
                                        c.getKey(),
                                        c.getValue(),
                                        List.of(
                                                "dev.devtime.coldstart.runner.HttpClientProbe",
                                                h.dynamoEndpoint(),
                                                "devtime"),
                                        Map.of()));
                    }
                }
                for (var c : byClient.entrySet()) {
                    List<Harness.Run> rs = c.getValue();
                    ObjectNode row =
                            clients.addObject().put("client", c.getKey()).put("jar_bytes", sizes.get(c.getKey()));
                    stats(row, "client_built_ms", rs, Harness.Run::initMs);
                    stats(row, "first_call_ms", rs, Harness.Run::invokeMs);
                    stats(row, "total_ms", rs, Harness.Run::totalMs);
                    stats(row, "cpu_ms", rs, Harness.Run::cpuMs);
                    System.out.printf(
                            "%-22s %11d %13s %13s %13s %13s  %s%n",
                            c.getKey(),
                            sizes.get(c.getKey()) / 1024,
                            pair(rs, Harness.Run::initMs),
                            pair(rs, Harness.Run::invokeMs),
                            pair(rs, Harness.Run::totalMs),
                            pair(rs, Harness.Run::cpuMs),
                            rs.get(0).result());
                }
            }
        }
        if (json != null) {
            Files.writeString(
                    json,
                    JsonMapper.builder()
                                    .enable(SerializationFeature.INDENT_OUTPUT)
                                    .build()
                                    .writeValueAsString(report) + "\n");
            System.out.println("\nwritten: " + json);
        }
    }

    private static void stats(
            ObjectNode row, String name, List<Harness.Run> rs, java.util.function.ToDoubleFunction<Harness.Run> f) {
        row.putObject(name).put("median", round(median(rs, f))).put("min", round(min(rs, f)));
    }

    private static String pair(List<Harness.Run> rs, java.util.function.ToDoubleFunction<Harness.Run> f) {
        return String.format(Locale.ROOT, "%.0f / %.0f", median(rs, f), min(rs, f));
    }

    static double median(List<Harness.Run> rs, java.util.function.ToDoubleFunction<Harness.Run> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Harness.Run> rs, java.util.function.ToDoubleFunction<Harness.Run> f) {
        return rs.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** What the launcher reports of itself, e.g. "17.0.15 (Debian)". */
    private static String javaVersion(Path java) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        String version = grep(out, "java.runtime.version");
        String vendor = grep(out, "java.vendor");
        return version + " (" + vendor + ", " + java + ")";
    }

    private static String grep(String text, String key) {
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (t.startsWith(key + " = ")) {
                return t.substring(key.length() + 3);
            }
        }
        return "?";
    }

    private static Path codeSource() throws Exception {
        return Path.of(ColdStart.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }
}
