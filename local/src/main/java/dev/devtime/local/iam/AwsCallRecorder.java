package dev.devtime.local.iam;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Records the IAM action of every call one function's SDK clients make ({@code dynamodb:UpdateItem},
 * {@code sqs:SendMessage}). DynamoDB Local and ElasticMQ check no permissions, so this is where a call the
 * function's role does not allow shows before a deploy: cdk-app's tests hold each role in the synthesized
 * template to these recordings.
 *
 * <p>When the system property {@value #DIR_PROPERTY} names a directory (local's test run sets it), the actions
 * are merged into {@code <dir>/<function>.json} whenever a stack closes and when the JVM exits. The files are
 * the union over every JVM that wrote them (concurrent test forks included: a file lock, then an atomic
 * replace), so they only grow until {@code mvn clean}.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {

    public static final String DIR_PROPERTY = "devtime.awsCalls.dir";

    private static final Map<String, Set<String>> CALLS = new ConcurrentHashMap<>();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        if (directory() != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(AwsCallRecorder::flush, "aws-call-recorder"));
        }
    }

    private final String function;

    /** @param function the function's id in the function table ({@code LambdaFunction.id()}) */
    public AwsCallRecorder(String function) {
        this.function = function;
    }

    /** Before the call, not after: a call that fails (throttled, say) needed the permission all the same. */
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        CALLS.computeIfAbsent(function, f -> ConcurrentHashMap.newKeySet())
                .addAll(actions(
                        attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                        attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                        context.request()));
    }

    /**
     * The IAM actions an SDK call needs. The SDK's service names lower-case to IAM's prefixes
     * ({@code DynamoDb}, {@code Sqs}); SQS's batch operations are authorized as their single forms, and
     * DynamoDB's transactions (which have no action of their own) as the action of each item they hold.
     */
    static Set<String> actions(String service, String operation, SdkRequest request) {
        String prefix = service.toLowerCase(Locale.ROOT) + ":";
        Set<String> out = new TreeSet<>();
        if (request instanceof TransactWriteItemsRequest t) {
            for (TransactWriteItem i : t.transactItems()) {
                out.add(prefix
                        + (i.put() != null
                                ? "PutItem"
                                : i.update() != null
                                        ? "UpdateItem"
                                        : i.delete() != null ? "DeleteItem" : "ConditionCheckItem"));
            }
        } else if (request instanceof TransactGetItemsRequest) {
            out.add(prefix + "GetItem");
        } else if (service.equals("Sqs") && operation.endsWith("Batch")) {
            out.add(prefix + operation.substring(0, operation.length() - "Batch".length()));
        } else {
            out.add(prefix + operation);
        }
        return out;
    }

    /** What this JVM recorded so far, by function. */
    public static Map<String, SortedSet<String>> recorded() {
        Map<String, SortedSet<String>> out = new TreeMap<>();
        CALLS.forEach((f, actions) -> out.put(f, new TreeSet<>(actions)));
        return out;
    }

    /** Merges this JVM's recordings into the directory {@value #DIR_PROPERTY} names; does nothing without it. */
    public static synchronized void flush() {
        Path dir = directory();
        if (dir == null || CALLS.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(
                            dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                for (var e : recorded().entrySet()) {
                    merge(dir.resolve(e.getKey() + ".json"), e.getKey(), e.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the AWS call recordings under " + dir, e);
        }
    }

    private static void merge(Path file, String function, SortedSet<String> actions) throws IOException {
        SortedSet<String> all = new TreeSet<>(actions);
        if (Files.exists(file)) {
            JSON.readTree(file.toFile()).path("actions").forEach(a -> all.add(a.asText()));
        }
        ObjectNode out = JSON.createObjectNode().put("function", function);
        all.forEach(out.putArray("actions")::add);
        Path tmp = Files.createTempFile(file.getParent(), function, ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), out);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path directory() {
        String d = System.getProperty(DIR_PROPERTY);
        return d == null || d.isBlank() ? null : Path.of(d);
    }
}
