package dev.devtime.coldstart;

import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.store.KeyStore;
import dev.devtime.local.LocalDeployment;
import dev.devtime.local.oidc.LocalIssuer;
import dev.devtime.model.deploy.LambdaFunction;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Runs DevTime's Lambda handlers one cold start at a time: the emulators and a user with an API key in
 * this JVM (the {@code local} stack), each handler in a fresh JVM started with the Lambda java21 runtime's
 * flags on nothing but its own deployment jar (unpacked, as Lambda does) and
 * {@link dev.devtime.coldstart.runner.LambdaRunner}.
 */
public final class Harness implements AutoCloseable {

    /**
     * The flags Lambda's managed Java runtime starts the JVM with, as recorded from its command line
     * (github.com/sigpwned/the-lambda-iceberg-dissecting-the-official-java-runtimes; AWS's "Customize Java
     * runtime startup behavior" page for the tiered-compilation default): heap at 85% of the function's
     * memory (1024 MB here), the serial collector, C1 only. Lambda maps its own class-data archive of the
     * runtime's classes; {@code -Xshare:auto} maps the JDK's default one, the nearest thing off Lambda.
     */
    public static final List<String> LAMBDA_JVM_FLAGS = List.of(
            "-XX:MaxHeapSize=891289k",
            "-XX:+UseSerialGC",
            "-Xshare:auto",
            "-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "-Djava.net.preferIPv4Stack=true",
            "-XX:+ErrorFileToStderr");

    private static final String RUNNER = "dev.devtime.coldstart.runner.LambdaRunner";
    private static final String USER = "coldstart-user";

    /** What a cold start is measured on: a function's jar and handler, or the trivial baseline. */
    public record Target(
            String name, List<Path> classPath, String handler, String kind, Path event, Map<String, String> env) {}

    /**
     * One cold start; times in milliseconds from the instant the JVM process was started. {@code primeMs}
     * is the SnapStart priming's time (0 unless asked for); {@code invokeMs} counts from after it.
     */
    public record Run(
            String target,
            double jvmMs,
            double initMs,
            double primeMs,
            double invokeMs,
            double totalMs,
            double cpuMs,
            String result) {}

    private final LocalDeployment stack;
    private final Path work;
    private final Path javaBin;
    private final Path functionJars;
    private final Path runnerJar;
    private final Path libDir;
    private final String apiKey;
    private final String keyId;
    private final String captureQueueUrl;
    private final String captureQueueArn;
    private Message queued;
    private List<String> extraJvmArgs = List.of();
    private final boolean unpack;

    /**
     * @param java         the {@code java} launcher the functions run on
     * @param functionJars where {@code devtime-<function>.jar} are (functions/target)
     * @param buildDir     this module's target: the runner jar and lib/
     * @param unpack       run from the jars unpacked into a folder, as on Lambda (the benchmark), or from the
     *                     jars themselves (the test: quicker, and proof that the jar as built is enough)
     */
    public Harness(Path java, Path functionJars, Path buildDir, boolean unpack) throws Exception {
        this.javaBin = java;
        this.unpack = unpack;
        this.functionJars = functionJars;
        this.runnerJar = buildDir.resolve("devtime-coldstart-runner.jar");
        this.libDir = buildDir.resolve("lib");
        require(runnerJar, "build this module first: mvn -B -q package -pl coldstart");
        this.work = Files.createTempDirectory("devtime-coldstart");
        this.stack =
                LocalDeployment.start(LocalDeployment.Options.defaults(null).withPort(0));
        try {
            apiKey = ApiKeys.generate();
            keyId = ApiKeys.newId();
            stack.wiring.keys.create(
                    new KeyStore.ApiKey(
                            keyId,
                            USER,
                            ApiKeys.hash(apiKey),
                            "coldstart",
                            false,
                            System.currentTimeMillis(),
                            System.currentTimeMillis()),
                    0,
                    1);
            // Ingest's messages go to a queue of their own, which no event source drains: the aggregator's
            // cold start then gets a message exactly as ingest queued it.
            captureQueueUrl =
                    stack.sqs.createQueue(b -> b.queueName("coldstart-capture")).queueUrl();
            captureQueueArn = stack.sqs
                    .getQueueAttributes(b -> b.queueUrl(captureQueueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /**
     * Flags added after Lambda's, for investigation ({@code -Xlog:class+load}, a CDS archive...);
     * {@code {target}} in a flag becomes the target's name.
     */
    public void extraJvmArgs(List<String> args) {
        this.extraJvmArgs = List.copyOf(args);
    }

    public Path jarOf(LambdaFunction f) {
        return functionJars.resolve(f.jarName());
    }

    /** The target for one function; the aggregator's needs a message that ingest queued before. */
    public Target target(LambdaFunction f) throws IOException {
        Path jar = jarOf(f);
        require(jar, "build the functions first: mvn -B -q package -DskipTests -pl functions");
        Properties event = switch (f) {
            case INGEST -> http("POST", "/api/v1/users/current/heartbeats.bulk", null, heartbeats, false);
            case QUERY -> http("GET", "/api/v1/users/current/statusbar/today", null, null, false);
            case ACCOUNT -> http("GET", "/api/keys", null, null, true);
            case AGGREGATOR -> sqs(queuedMessage().body());
        };
        return new Target(
                f.id(),
                classPath(f.id(), List.of(jar)),
                f.handlerClass(),
                f.event().name().toLowerCase(Locale.ROOT),
                write(f.id(), event),
                environment(f));
    }

    /** The environment the CDK app gives {@code f}, pointed at the emulators and the capture queue. */
    public Map<String, String> environment(LambdaFunction f) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TABLE_NAME", LocalDeployment.TABLE);
        env.put("DYNAMODB_ENDPOINT", stack.backend.dynamoEndpoint());
        env.put("SQS_ENDPOINT", stack.backend.sqsEndpoint());
        env.put("AWS_REGION", "us-east-1");
        env.put("RAW_RETENTION_DAYS", "365");
        // As the CDK app sets them: a JWT verifier is built at init wherever dashboard tokens are accepted.
        if (f.verifiesTokens()) {
            env.put("JWT_ISSUER", stack.issuer.issuer());
            env.put("JWT_AUDIENCE", LocalIssuer.CLIENT_ID);
            env.put("JWT_SCOPE", LocalIssuer.API_SCOPE);
        }
        if (f.sendsToQueue()) {
            env.put("QUEUE_URL", captureQueueUrl);
        }
        return env;
    }

    /** A handler that answers a constant, on the Lambda libraries alone, given the query function's event. */
    public Target trivial() throws IOException {
        Properties event = http("GET", "/api/v1/users/current/statusbar/today", null, null, false);
        return new Target(
                "trivial",
                classPath("trivial", List.of(lib("aws-lambda-java-core-"), lib("aws-lambda-java-events-"))),
                "dev.devtime.coldstart.runner.TrivialHandler",
                "http",
                write("trivial", event),
                Map.of());
    }

    /**
     * The jars unpacked into one folder, as Lambda unpacks a deployment package into /var/task and puts
     * that folder on the class path: classes are read from files, not from a jar. Done once per name.
     */
    private List<Path> classPath(String name, List<Path> jars) throws IOException {
        List<Path> cp = new ArrayList<>(unpack ? List.of(taskRoot(name, jars)) : jars);
        cp.add(runnerJar);
        return cp;
    }

    /** {@code jars} unpacked into a folder of this run named {@code name}, as Lambda's /var/task. */
    public Path taskRoot(String name, List<Path> jars) throws IOException {
        Path dir = work.resolve("task-" + name);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    Path to = dir.resolve(e.getName()).normalize();
                    if (!to.startsWith(dir)) {
                        throw new IOException("entry outside the folder: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        try (var in = zip.getInputStream(e)) {
                            Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        }
        return dir;
    }

    /** Starts a fresh JVM for {@code t}, waits for it, and returns its timings. */
    public Run run(Target t) throws IOException, InterruptedException {
        return run(
                t.name(),
                t.classPath(),
                List.of(RUNNER, t.handler(), t.kind(), t.event().toString()),
                t.env());
    }

    /** As {@link #run(Target)}, with the handler's SnapStart priming run between construction and the call. */
    public Run runPrimed(Target t) throws IOException, InterruptedException {
        return run(
                t.name() + "-primed",
                t.classPath(),
                List.of(RUNNER, t.handler(), t.kind(), t.event().toString(), "prime"),
                t.env());
    }

    /** A fresh JVM with the Lambda flags running {@code mainAndArgs}; the main prints a COLDSTART line. */
    public Run run(String name, List<Path> classPath, List<String> mainAndArgs, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin.toString());
        cmd.addAll(LAMBDA_JVM_FLAGS);
        extraJvmArgs.forEach(a -> cmd.add(a.replace("{target}", name)));
        cmd.add("-cp");
        cmd.add(String.join(
                File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        cmd.addAll(mainAndArgs);
        Path out = work.resolve(name + ".out");
        Path err = work.resolve(name + ".err");
        ProcessBuilder pb = lambdaProcess(cmd, env, out, err);
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + ": no answer in 120 s; its output is in " + work);
        }
        String line;
        try (Stream<String> lines = Files.lines(out, StandardCharsets.UTF_8)) {
            line = lines.filter(l -> l.startsWith("COLDSTART ")).findFirst().orElse(null);
        }
        if (line == null || p.exitValue() != 0) {
            throw new IllegalStateException(name + " failed (exit " + p.exitValue() + "):\n" + tail(err) + tail(out));
        }
        long main = field(line, "main");
        long constructed = field(line, "constructed");
        long primed = field(line, "primed");
        long invoked = field(line, "invoked");
        long cpu = field(line, "cpu");
        String result = line.substring(line.indexOf(" result=") + " result=".length());
        return new Run(
                name,
                ms(main - start),
                ms(constructed - start),
                ms(primed - constructed),
                ms(invoked - primed),
                ms(invoked - start),
                ms(cpu),
                result);
    }

    /**
     * A process for {@code cmd} with Lambda's environment, not this JVM's: nothing inherited but what a
     * process needs to run, then {@code env}; its output goes to {@code out} and {@code err}.
     */
    public static ProcessBuilder lambdaProcess(List<String> cmd, Map<String, String> env, Path out, Path err) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> penv = pb.environment();
        String path = penv.get("PATH");
        penv.clear();
        if (path != null) {
            penv.put("PATH", path);
        }
        penv.put("LANG", "C.UTF-8");
        penv.putAll(env);
        return pb;
    }

    /** Seconds between the ingest event's heartbeats: a minute, or a second just after midnight UTC. */
    private int gapSeconds;
    /** Made once: every ingest run resends the same three, as a retrying plugin would. */
    private final String heartbeats = heartbeats();

    /**
     * The ingest event's heartbeats: WakaTime's bulk shape, three of them ending now, as a plugin sends
     * them. They stay within today (UTC, a new user's zone) so that today's total is their span.
     */
    private String heartbeats() {
        long nowMs = System.currentTimeMillis();
        long sinceMidnight = (nowMs % 86_400_000L) / 1000;
        gapSeconds = sinceMidnight > 200 ? 60 : 1;
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 3; i++) {
            double time = (nowMs - (2 - i) * gapSeconds * 1000L) / 1000.0;
            b.append(i == 0 ? "" : ",")
                    .append("{\"entity\":\"/home/dev/devtime/src/main.ts\",\"type\":\"file\",")
                    .append("\"category\":\"coding\",\"time\":")
                    .append(String.format(Locale.ROOT, "%.3f", time))
                    .append(",\"project\":\"devtime\",\"language\":\"TypeScript\",\"branch\":\"main\",\"is_write\":")
                    .append(i == 2)
                    .append(",\"lines\":120,\"lineno\":")
                    .append(10 + i)
                    .append('}');
        }
        return b.append(']').toString();
    }

    /** The ingest event's body: three WakaTime heartbeats, the same on every run. */
    public String heartbeatsJson() {
        return heartbeats;
    }

    /** What today's total comes to once the ingested heartbeats are aggregated: the span of the three. */
    public int ingestedSeconds() {
        return 2 * gapSeconds;
    }

    private Properties http(String method, String path, String query, String body, boolean dashboard) {
        Properties p = new Properties();
        p.setProperty("method", method);
        p.setProperty("path", path);
        if (query != null) {
            p.setProperty("query", query);
        }
        if (body != null) {
            p.setProperty("body", body);
            p.setProperty("header.content-type", "application/json");
        }
        if (dashboard) {
            // Account routes sit behind the gateway's JWT authorizer, which hands the handler the claims.
            p.setProperty("claim.sub", USER);
            p.setProperty("claim.scope", LocalIssuer.SCOPES);
        } else {
            p.setProperty(
                    "header.authorization",
                    "Basic " + Base64.getEncoder().encodeToString(apiKey.getBytes(StandardCharsets.US_ASCII)));
            p.setProperty(
                    "header.user-agent", "wakatime/v1.98.0 (linux-6.1) go1.22 vscode/1.95.0 vscode-wakatime/24.6.0");
            p.setProperty("header.x-machine-name", "coldstart");
        }
        return p;
    }

    private Properties sqs(String body) {
        Properties p = new Properties();
        p.setProperty("body", body);
        p.setProperty("messageId", "coldstart-message");
        p.setProperty("queueArn", captureQueueArn);
        return p;
    }

    /**
     * The first message ingest queued, with all its system and message attributes as Lambda's event source
     * reads them; kept, so every aggregator run gets the same (the aggregator is idempotent).
     */
    public Message queuedMessage() {
        if (queued == null) {
            List<Message> m = stack.sqs
                    .receiveMessage(b -> b.queueUrl(captureQueueUrl)
                            .maxNumberOfMessages(1)
                            .messageSystemAttributeNamesWithStrings("All")
                            .messageAttributeNames("All")
                            .waitTimeSeconds(5))
                    .messages();
            if (m.isEmpty()) {
                throw new IllegalStateException("no queued heartbeats: run ingest before the aggregator");
            }
            queued = m.get(0);
        }
        return queued;
    }

    /** The queue ingest sends to in these runs (nothing drains it). */
    public String captureQueueArn() {
        return captureQueueArn;
    }

    /** The user the runs act as: the API key's owner, and the subject of the dashboard's claims. */
    public String user() {
        return USER;
    }

    /** The user's API key, in clear. */
    public String apiKey() {
        return apiKey;
    }

    /** The id of the API key the runs authenticate with (account's key listing shows it). */
    public String keyId() {
        return keyId;
    }

    public Path lib(String prefix) throws IOException {
        try (Stream<Path> s = Files.list(libDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)
                            && Character.isDigit(p.getFileName().toString().charAt(prefix.length())))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(prefix + "*.jar not in " + libDir));
        }
    }

    public Path runnerJar() {
        return runnerJar;
    }

    public String dynamoEndpoint() {
        return stack.backend.dynamoEndpoint();
    }

    private Path write(String name, Properties p) throws IOException {
        Path f = work.resolve(name + ".properties");
        try (OutputStream o = Files.newOutputStream(f)) {
            p.store(o, null);
        }
        return f;
    }

    private static long field(String line, String name) {
        int at = line.indexOf(" " + name + "=") + name.length() + 2;
        int end = line.indexOf(' ', at);
        return Long.parseLong(line.substring(at, end));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    private static String tail(Path f) throws IOException {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
    }

    private static void require(Path f, String hint) {
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException(f + " not found: " + hint);
        }
    }

    @Override
    public void close() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (work != null && Files.isDirectory(work)) {
            try (Stream<Path> s = Files.walk(work)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
