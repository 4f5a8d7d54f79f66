package dev.devtime.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.queue.QueueMessage;
import dev.devtime.local.oidc.LocalIssuer;
import dev.devtime.model.deploy.LambdaFunction;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Each function's deployment jar under Lambda's own Java runtime: the runtime interface client
 * ({@code aws-lambda-java-runtime-interface-client}, whose main class the managed Java runtime starts) loads
 * the handler by name from the unpacked jar, reads the event from a local Runtime API, turns its JSON into
 * the handler's event class with {@code aws-lambda-java-serialization}, and posts back the response as JSON.
 * The events are AWS's documented examples with this request's fields filled in; the assertions are on the
 * JSON the Runtime API received, which is what API Gateway or the SQS event source would read.
 *
 * <p>Events: {@code aws-events/http-api-v2.json} is the payload format 2.0 example of "Create AWS Lambda proxy
 * integrations for HTTP APIs in API Gateway" (docs.aws.amazon.com/apigateway/latest/developerguide/
 * http-api-develop-integrations-lambda.html); {@code aws-events/sqs.json} the "example standard queue
 * message event" of "Using Lambda with Amazon SQS" (docs.aws.amazon.com/lambda/latest/dg/with-sqs.html).
 */
class RuntimeInterfaceClientIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** The managed runtime's class path: the client, its serialization library, the Lambda core and the SDK's utils-lite. */
    private static final List<String> RIC_CLASSES = List.of(
            RIC_MAIN,
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
            "com.amazonaws.services.lambda.runtime.Context",
            "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");
    /** What API Gateway reads from a payload 2.0 response. */
    private static final Set<String> HTTP_RESPONSE_FIELDS = Set.of("statusCode", "headers", "body", "isBase64Encoded");

    @TempDir
    static Path work;

    private static Harness harness;
    private static List<Path> ricClassPath;
    private static Path nativeClient;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(
                Path.of(System.getProperty("java.home"), "bin", "java"),
                Path.of(System.getProperty("functions.jars")),
                Path.of(System.getProperty("coldstart.build")),
                false);
        ricClassPath = new ArrayList<>();
        for (String c : RIC_CLASSES) {
            Path jar = Path.of(Class.forName(c, false, RuntimeInterfaceClientIT.class.getClassLoader())
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (!ricClassPath.contains(jar)) {
                ricClassPath.add(jar);
            }
        }
        nativeClient = unpackNativeClient(ricClassPath.get(0));
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void eachDeploymentJarAnswersAwsEventsUnderLambdasRuntimeClient() throws Exception {
        String auth =
                "Basic " + Base64.getEncoder().encodeToString(harness.apiKey().getBytes(StandardCharsets.US_ASCII));

        try (Runtime ingest = Runtime.start(LambdaFunction.INGEST, Map.of())) {
            // WakaTime's bulk route with the body base64-encoded, as API Gateway sends a body it treats as binary.
            ObjectNode event = httpEvent(
                    "POST",
                    "/api/v1/users/current/heartbeats.bulk",
                    Map.of(
                            "authorization",
                            auth,
                            "content-type",
                            "application/json",
                            "user-agent",
                            "wakatime/v1.98.0 (linux-6.1) go1.22 vscode/1.95.0 vscode-wakatime/24.6.0",
                            "x-machine-name",
                            "ric"),
                    harness.heartbeatsJson().getBytes(StandardCharsets.UTF_8),
                    null);
            JsonNode r = httpResponse(ingest, event);
            assertEquals(202, r.get("statusCode").asInt(), r.toString());
            JsonNode responses = JSON.readTree(r.get("body").asText()).get("responses");
            assertEquals(3, responses.size(), r.toString());
            responses.forEach(item -> assertEquals(201, item.get(1).asInt(), r.toString()));

            // An event the serializer cannot read never reaches the handler: the runtime reports it on /error,
            // and the container goes on to the next event.
            LambdaRuntimeApi.Outcome bad = ingest.invoke("{\"requestContext\": \"not an object\"}");
            assertEquals("Runtime.UserException", bad.errorType(), bad.toString());
            assertTrue(bad.error().contains("An error occurred during JSON parsing"), bad.toString());

            // The next event in the same container: a wrong key is a JSON 401.
            JsonNode denied = httpResponse(
                    ingest,
                    httpEvent(
                            "POST",
                            "/api/v1/users/current/heartbeats.bulk",
                            Map.of(
                                    "authorization",
                                    "Basic "
                                            + Base64.getEncoder()
                                                    .encodeToString("waka_nope".getBytes(StandardCharsets.US_ASCII)),
                                    "content-type",
                                    "application/json"),
                            harness.heartbeatsJson().getBytes(StandardCharsets.UTF_8),
                            null));
            assertEquals(401, denied.get("statusCode").asInt(), denied.toString());
            assertFalse(
                    JSON.readTree(denied.get("body").asText())
                            .path("error")
                            .asText()
                            .isEmpty(),
                    denied.toString());
        }

        // The message ingest queued, with every attribute SQS gives it, as the event source mapping reads it.
        Message queued = harness.queuedMessage();
        QueueMessage decoded = QueueMessage.decode(queued.body());
        assertEquals(harness.user(), decoded.userId());
        assertEquals(3, decoded.heartbeats().size());

        try (Runtime aggregator = Runtime.start(LambdaFunction.AGGREGATOR, Map.of())) {
            ObjectNode event = (ObjectNode) JSON.readTree(resource("sqs.json"));
            ObjectNode record = (ObjectNode) event.get("Records").get(0);
            record.put("messageId", queued.messageId());
            record.put("receiptHandle", queued.receiptHandle());
            record.put("body", queued.body());
            record.put("md5OfBody", queued.md5OfBody());
            ObjectNode attributes = record.putObject("attributes");
            queued.attributesAsStrings().forEach(attributes::put);
            record.put("eventSourceARN", harness.captureQueueArn());
            record.put("awsRegion", "us-east-1");
            assertTrue(
                    attributes.has("ApproximateReceiveCount") && attributes.has("SentTimestamp"),
                    attributes.toString());
            // The documented second record ("Test message.") is not a DevTime message: it alone must come back
            // as a failure, by its message id, in the shape ReportBatchItemFailures reads.
            LambdaRuntimeApi.Outcome o = aggregator.invoke(event.toString());
            assertFalse(o.failed(), o.toString());
            JsonNode expected = JSON.readTree("{\"batchItemFailures\":[{\"itemIdentifier\":\""
                    + event.get("Records").get(1).get("messageId").asText() + "\"}]}");
            assertEquals(expected, JSON.readTree(o.response()), o.response());
        }

        try (Runtime query = Runtime.start(LambdaFunction.QUERY, Map.of())) {
            JsonNode r = httpResponse(
                    query,
                    httpEvent(
                            "GET", "/api/v1/users/current/statusbar/today", Map.of("authorization", auth), null, null));
            assertEquals(200, r.get("statusCode").asInt(), r.toString());
            // The aggregator's writes, read back: today's total is the span of the three heartbeats.
            assertEquals(
                    harness.ingestedSeconds(),
                    JSON.readTree(r.get("body").asText())
                            .at("/data/grand_total/total_seconds")
                            .asDouble(),
                    0.001,
                    r.toString());
        }

        try (Runtime account = Runtime.start(LambdaFunction.ACCOUNT, Map.of())) {
            // The claims of a Cognito access token as the HTTP API's JWT authorizer passes them: strings only.
            long now = System.currentTimeMillis() / 1000;
            Map<String, String> claims = new LinkedHashMap<>();
            claims.put("sub", harness.user());
            claims.put("iss", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE");
            claims.put("client_id", LocalIssuer.CLIENT_ID);
            claims.put("token_use", "access");
            claims.put("scope", LocalIssuer.SCOPES);
            claims.put("auth_time", Long.toString(now - 60));
            claims.put("iat", Long.toString(now - 60));
            claims.put("exp", Long.toString(now + 3540));
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("username", harness.user());
            JsonNode r = httpResponse(
                    account,
                    httpEvent("GET", "/api/keys", Map.of("authorization", "Bearer eyJ.example.token"), null, claims));
            assertEquals(200, r.get("statusCode").asInt(), r.toString());
            assertTrue(r.get("body").asText().contains(harness.keyId()), r.toString());
        }
    }

    @Test
    void aMissingSettingFailsInitAndIsReportedAsAnInitError() throws Exception {
        Map<String, String> noTable = new LinkedHashMap<>(harness.environment(LambdaFunction.QUERY));
        noTable.remove("TABLE_NAME");
        try (Runtime query = Runtime.start(LambdaFunction.QUERY, noTable)) {
            LambdaRuntimeApi.Outcome e = query.api.awaitInitError(Duration.ofSeconds(60));
            assertEquals("Runtime.BadFunctionCode", e.errorType(), e.toString());
            assertTrue(e.error().contains("TABLE_NAME"), e.toString());
            assertTrue(query.process.waitFor(30, TimeUnit.SECONDS), "the runtime exits after an init error");
            assertNotEquals(0, query.process.exitValue());
        }
    }

    /**
     * Invokes with {@code event} and returns the response document, after checking that it holds only
     * what API Gateway reads: a field the serializer added (a null list, say) would show here.
     */
    private static JsonNode httpResponse(Runtime runtime, ObjectNode event) throws Exception {
        LambdaRuntimeApi.Outcome o = runtime.invoke(event.toString());
        assertFalse(o.failed(), o.toString());
        JsonNode r = JSON.readTree(o.response());
        Set<String> fields = new TreeSet<>();
        r.fieldNames().forEachRemaining(fields::add);
        assertEquals(new TreeSet<>(HTTP_RESPONSE_FIELDS), fields, o.response());
        assertFalse(r.get("isBase64Encoded").asBoolean(), o.response());
        assertTrue(r.get("statusCode").isInt(), o.response());
        assertEquals("application/json", r.get("headers").get("Content-Type").asText(), o.response());
        return r;
    }

    /**
     * AWS's payload 2.0 example with this request in it. What the example has and no DevTime route reads
     * stays: its query string, cookies, two extra headers, stage variables, path parameters and client
     * certificate. {@code claims} null: a route without the JWT authorizer, whose events have no authorizer.
     */
    private static ObjectNode httpEvent(
            String method, String path, Map<String, String> headers, byte[] body, Map<String, String> claims)
            throws Exception {
        ObjectNode e = (ObjectNode) JSON.readTree(resource("http-api-v2.json"));
        String routeKey = method + " " + path;
        e.put("routeKey", routeKey);
        e.put("rawPath", path);
        ObjectNode h = (ObjectNode) e.get("headers");
        headers.forEach(h::put);
        ObjectNode ctx = (ObjectNode) e.get("requestContext");
        ctx.put("routeKey", routeKey);
        ctx.put("requestId", UUID.randomUUID().toString());
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ctx.put("time", now.format(DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)));
        ctx.put("timeEpoch", now.toInstant().toEpochMilli());
        ObjectNode http = (ObjectNode) ctx.get("http");
        http.put("method", method);
        http.put("path", path);
        if (headers.containsKey("user-agent")) {
            http.put("userAgent", headers.get("user-agent"));
        }
        if (claims == null) {
            ctx.remove("authorizer");
        } else {
            ObjectNode jwt = (ObjectNode) ctx.get("authorizer").get("jwt");
            jwt.set("claims", JSON.valueToTree(claims));
            jwt.set("scopes", JSON.valueToTree(List.of(claims.get("scope").split(" "))));
        }
        if (body == null) {
            e.remove("body");
            e.put("isBase64Encoded", false);
        } else {
            e.put("body", Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", true);
        }
        return e;
    }

    /** One execution environment: the Runtime API and a fresh JVM running the runtime client on it. */
    private static final class Runtime implements AutoCloseable {
        final LambdaRuntimeApi api;
        final Process process;
        final Path out;
        final Path err;

        private Runtime(LambdaRuntimeApi api, Process process, Path out, Path err) {
            this.api = api;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /**
         * Starts the managed runtime's way: the client's main class with the handler's name, the Lambda JVM
         * flags, the client's jars on the class path and the working directory at the unpacked deployment
         * jar, which the client loads the handler from (Lambda's /var/task). {@code env} replaces the
         * function's environment when not empty.
         */
        static Runtime start(LambdaFunction f, Map<String, String> env) throws Exception {
            String name = "devtime-" + f.id();
            LambdaRuntimeApi api = new LambdaRuntimeApi(name, Duration.ofSeconds(60));
            Path task = harness.taskRoot(f.id(), List.of(harness.jarOf(f)));
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(Harness.LAMBDA_JVM_FLAGS);
            // The client copies its native library to one fixed /tmp path unless told where it is; a copy of our
            // own keeps two test runs on one machine from overwriting a library the other has loaded.
            cmd.add("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + nativeClient);
            cmd.add("-cp");
            cmd.add(String.join(
                    java.io.File.pathSeparator,
                    ricClassPath.stream().map(Path::toString).toList()));
            cmd.add(RIC_MAIN);
            cmd.add(f.handlerClass());
            Map<String, String> penv = new LinkedHashMap<>(env.isEmpty() ? harness.environment(f) : env);
            // Lambda's reserved variables (docs: "Defined runtime environment variables").
            penv.put("AWS_LAMBDA_RUNTIME_API", api.address());
            penv.put("_HANDLER", f.handlerClass());
            penv.put("LAMBDA_TASK_ROOT", task.toString());
            penv.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
            penv.put("AWS_LAMBDA_FUNCTION_NAME", name);
            penv.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
            penv.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            penv.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
            penv.put(
                    "AWS_LAMBDA_LOG_STREAM_NAME",
                    "2026/01/01/[$LATEST]" + UUID.randomUUID().toString().replace("-", ""));
            penv.put("TZ", ":UTC");
            Path out = work.resolve(f.id() + "-" + UUID.randomUUID() + ".out");
            Path err = work.resolve(out.getFileName().toString().replace(".out", ".err"));
            Process p = Harness.lambdaProcess(cmd, penv, out, err)
                    .directory(task.toFile())
                    .start();
            return new Runtime(api, p, out, err);
        }

        LambdaRuntimeApi.Outcome invoke(String event) throws Exception {
            return api.invoke(event, process, output());
        }

        /** What the runtime printed so far (its log), for failure messages. */
        String output() throws Exception {
            return "stdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            api.close();
        }
    }

    /** The client's native HTTP client for this machine (Linux, glibc), copied out of its jar. */
    private static Path unpackNativeClient(Path ricJar) throws Exception {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        String entry = "jni/libaws-lambda-jni.linux-" + arch + ".so";
        Path to = work.resolve("libaws-lambda-jni.so");
        try (ZipFile zip = new ZipFile(ricJar.toFile());
                InputStream in = zip.getInputStream(zip.getEntry(entry))) {
            Files.copy(in, to);
        }
        return to;
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = RuntimeInterfaceClientIT.class.getResourceAsStream("/aws-events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
