package dev.devtime.cdk;

import dev.devtime.model.api.ApiRoutes;
import dev.devtime.model.deploy.LambdaFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipFile;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * All of DevTime in one stack, built from constructs: {@link Storage} (the table), {@link Auth} (Cognito),
 * {@link Pipeline} (the four Lambdas, SnapStart behind a "live" alias, and the SQS queue between them),
 * {@link Api} (the HTTP API), {@link Dashboard} (Amplify hosting) and {@link Alarms}. Nothing here bills while
 * nobody uses it (see cdk-app/README.md for the per-resource reasoning).
 *
 * <p>Logical ids are those of a flat stack: the construct a resource is grouped in is left out of its id,
 * so a deployed stack keeps every resource (a new id would replace the table and the user pool, and lose
 * their data).
 */
public class DevTimeStack extends Stack {

    /** Alias the API integrations and the event source mapping invoke; SnapStart snapshots its version. */
    public static final String LIVE_ALIAS = "live";

    static final String HANDLER_PACKAGE = "dev.devtime.functions.";

    /**
     * What a deployment needs built, from the repository root: the function jars, web/dist and this app,
     * without tests, the local stack or the clients. cdk.json runs it before every synth (a test keeps the two
     * equal); plain Maven, so it runs the same on Linux, macOS and Windows.
     */
    static final String BUILD_COMMAND = "mvn -B -q -ntp package -DskipTests -pl functions,web,cdk-app -am";

    /**
     * A function of the function table ({@link LambdaFunction}) and what its role may do: the actions its
     * code calls on the table and on the heartbeat queue. These lists are the only place the functions'
     * grants are declared; {@code RoleGrantsTest} holds every role in the synthesized template to the calls
     * local's test suite recorded for that function, so a call nobody granted, or a grant nobody calls,
     * fails the build.
     */
    record FunctionCode(LambdaFunction function, List<String> tableActions, List<String> queueActions) {

        /** The constructs' prefix ({@code Ingest}). */
        String name() {
            return function.title();
        }

        /** The jar's and the recordings' name ({@code ingest}). */
        String jar() {
            return function.id();
        }

        /** The handler class below {@link #HANDLER_PACKAGE}. */
        String handlerClass() {
            return function.handlerClass().substring(HANDLER_PACKAGE.length());
        }

        Path jarIn(Path dir) {
            return dir.resolve(function.jarName());
        }

        String handler() {
            return function.handler();
        }
    }

    static final FunctionCode INGEST = new FunctionCode(
            LambdaFunction.INGEST,
            List.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"),
            List.of("sqs:SendMessage", "sqs:GetQueueAttributes"));
    /**
     * Its queue's consume actions come with the SQS event source; SendMessage queues the next part of an
     * account's (or a team's) deletion, BatchWriteItem deletes a part; DeleteItem takes a deleted account out of
     * its teams.
     */
    static final FunctionCode AGGREGATOR = new FunctionCode(
            LambdaFunction.AGGREGATOR,
            List.of(
                    "dynamodb:GetItem",
                    "dynamodb:Query",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:BatchWriteItem"),
            List.of("sqs:SendMessage"));
    /** PutItem and DeleteItem: heartbeat deletion rewrites buckets; goals are stored and deleted here. */
    static final FunctionCode QUERY = new FunctionCode(
            LambdaFunction.QUERY,
            List.of(
                    "dynamodb:GetItem",
                    "dynamodb:Query",
                    "dynamodb:UpdateItem",
                    "dynamodb:PutItem",
                    "dynamodb:DeleteItem"),
            List.of());
    /** BatchWriteItem: leaving a team deletes the team's copies of the member's days. */
    static final FunctionCode ACCOUNT = new FunctionCode(
            LambdaFunction.ACCOUNT,
            List.of(
                    "dynamodb:GetItem",
                    "dynamodb:Query",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:BatchWriteItem"),
            List.of("sqs:SendMessage"));
    /** The grants of every function of the table, in the table's order. */
    static final List<FunctionCode> FUNCTIONS = List.of(INGEST, AGGREGATOR, QUERY, ACCOUNT);

    static {
        if (!FUNCTIONS.stream().map(FunctionCode::function).toList().equals(List.of(LambdaFunction.values()))) {
            throw new IllegalStateException("DevTimeStack.FUNCTIONS must give the grants of each LambdaFunction once, "
                    + "in the table's order: "
                    + FUNCTIONS.stream().map(FunctionCode::function).toList());
        }
    }

    /**
     * The ids of the constructs that group the stack's resources; none of them is part of a logical id. A new
     * group is one more id here.
     */
    private static final Set<String> GROUPS = Set.of("Storage", "Auth", "Pipeline", "Api", "Alarms");

    /** Unique ids that CDK writes into other constructs' ids, mapped to their value in a flat stack. */
    private final Map<String, String> flatUniqueIds = new HashMap<>();
    /** The grouped logical ids renamed so far: CDK refuses a second rename of one id. */
    private final Set<String> renamed = new HashSet<>();

    public DevTimeStack(Construct scope, String id, StackProps props, DeployConfig config) {
        this(scope, id, props, config, ApiRoutes.all());
    }

    /** {@code routes}: the route table to serve; tests pass extra entries to exercise kinds it lacks yet. */
    DevTimeStack(Construct scope, String id, StackProps props, DeployConfig config, List<ApiRoutes.Route> routes) {
        super(scope, id, props);
        requireBuildOutputs(config);

        Storage storage = new Storage(this, "Storage", config);
        Dashboard dashboard = new Dashboard(this, "Dashboard", config);
        Auth auth = new Auth(this, "Auth", config, dashboard.url());
        Pipeline pipeline = new Pipeline(this, "Pipeline", config, storage.table(), auth);
        // CDK names the event source mapping and the invoke permissions after these constructs' unique ids.
        keepFlatUniqueId(pipeline.queue());
        pipeline.apiAliases().values().forEach(this::keepFlatUniqueId);

        List<String> origins = new ArrayList<>();
        origins.add(dashboard.url());
        if (config.domainName() != null) {
            origins.add("https://" + config.domainName());
        }
        origins.addAll(config.allowedOrigins());
        Api api = new Api(this, "Api", config, origins, auth, pipeline.apiAliases(), routes);
        keepFlatUniqueId(api.httpApi());

        // The dashboard's runtime config: where the API is and how to sign in.
        Map<String, Object> oidc = new LinkedHashMap<>();
        oidc.put("authority", auth.issuer());
        oidc.put("clientId", auth.client().getUserPoolClientId());
        oidc.put("scope", "openid email " + Auth.SCOPE);
        // The hosted domain serves /logout; the issuer (cognito-idp) does not.
        oidc.put("domain", auth.domainUrl());
        Map<String, Object> runtimeConfig = new LinkedHashMap<>();
        runtimeConfig.put("apiUrl", api.url());
        runtimeConfig.put("oidc", oidc);
        dashboard.deploy(runtimeConfig);

        new Alarms(this, "Alarms", config, pipeline, api);

        output("ApiUrl", api.url(), "HTTP API base URL (the API URL for plugins: <ApiUrl>/api/v1)");
        output(
                "DashboardUrl",
                config.domainName() != null ? "https://" + config.domainName() : dashboard.url(),
                "The dashboard");
        output("SignInUrl", auth.signInUrl(), "Cognito hosted sign-in page");
        output("UserPoolId", auth.userPool().getUserPoolId(), "Cognito user pool (add users here)");
        output("DashboardClientId", auth.client().getUserPoolClientId(), "Cognito app client of the dashboard");
        output("TableName", storage.table().getTableName(), "DynamoDB table");
        output("DeadLetterQueueUrl", pipeline.deadLetters().getQueueUrl(), "Heartbeat batches that failed 5 times");

        flattenLogicalIds();
        Nag.acknowledge(this, auth, pipeline, api, dashboard, routes);
    }

    /**
     * Renames every resource of a group to the logical id it would have as a direct child of the stack.
     * Renames, not an {@code allocateLogicalId} override: CDK asks for logical ids thousands of times while
     * it synthesizes, and each call back into Java deepens jsii's stack until it overflows.
     */
    private void flattenLogicalIds() {
        // Two resources share a flat id only if their paths without the group are equal, which starts with
        // a group's child having the id of another child of the stack or of another group.
        Map<String, String> owners = new HashMap<>();
        for (IConstruct child : getNode().getChildren()) {
            if (!GROUPS.contains(child.getNode().getId())) {
                owners.put(child.getNode().getId(), "the stack");
            }
        }
        for (IConstruct group : getNode().getChildren()) {
            String groupId = group.getNode().getId();
            if (!GROUPS.contains(groupId)) {
                continue;
            }
            for (IConstruct child : group.getNode().getChildren()) {
                String id = child.getNode().getId();
                String other = owners.put(id, groupId);
                if (other != null) {
                    throw new IllegalStateException(groupId + "/" + id + " would take the logical ids of " + other
                            + "'s " + id + ": rename one of the two constructs");
                }
                flattenLogicalIds(child, List.of(groupId, id));
            }
        }
    }

    /** Walks a group's tree from Java, one jsii call per construct: reading each element's scopes costs ten. */
    private void flattenLogicalIds(IConstruct c, List<String> path) {
        if (c instanceof CfnElement) {
            flatten(path);
        }
        for (IConstruct child : c.getNode().getChildren()) {
            List<String> childPath = new ArrayList<>(path);
            childPath.add(child.getNode().getId());
            flattenLogicalIds(child, childPath);
        }
    }

    /**
     * Renames the resource at {@code path} (construct ids from the stack down) now, for the few CDK reads
     * while the stack is built: a function's current version takes its id as the prefix of its own.
     */
    static void flattenNow(IConstruct parent, String... childIds) {
        DevTimeStack stack = (DevTimeStack) Stack.of(parent);
        List<String> path = new ArrayList<>(stack.stackRelativePath(parent));
        path.addAll(List.of(childIds));
        stack.flatten(path);
    }

    private void flatten(List<String> path) {
        if (path.size() > 1 && GROUPS.contains(path.get(0))) {
            String grouped = makeUniqueId(path);
            if (renamed.add(grouped)) {
                renameLogicalId(grouped, flatLogicalId(path));
            }
        }
    }

    private List<String> stackRelativePath(IConstruct c) {
        List<IConstruct> scopes = c.getNode().getScopes();
        return scopes.subList(scopes.indexOf(this) + 1, scopes.size()).stream()
                .map(s -> s.getNode().getId())
                .toList();
    }

    /**
     * The logical id of {@code path} without its group. CDK writes some constructs' paths and unique ids into
     * other constructs' ids (an event source mapping is named after its queue): those lose the group too.
     */
    private String flatLogicalId(List<String> path) {
        List<String> flat = new ArrayList<>();
        for (String id : path.subList(GROUPS.contains(path.get(0)) && path.size() > 1 ? 1 : 0, path.size())) {
            for (String group : GROUPS) {
                // A path inside an id has "--" for "/" (construct ids cannot hold a slash).
                for (String sep : List.of("/", "--")) {
                    id = id.replace(
                            getNode().getId() + sep + group + sep, getNode().getId() + sep);
                }
            }
            for (Map.Entry<String, String> e : flatUniqueIds.entrySet()) {
                id = id.replace(e.getKey(), e.getValue());
            }
            flat.add(id);
        }
        return makeUniqueId(flat);
    }

    private void keepFlatUniqueId(IConstruct c) {
        List<String> path = stackRelativePath(c);
        List<String> flat = new ArrayList<>();
        flat.add(getNode().getId());
        flat.addAll(GROUPS.contains(path.get(0)) ? path.subList(1, path.size()) : path);
        flatUniqueIds.put(Names.nodeUniqueId(c.getNode()), makeUniqueId(flat));
    }

    /** aws-cdk-lib's unique id of a construct path (core/lib/private/uniqueid): readable ids plus a hash of the path. */
    static String makeUniqueId(List<String> components) {
        List<String> parts =
                components.stream().filter(x -> !x.equals("Default")).toList();
        if (parts.size() == 1 && alphanumeric(parts.get(0)).length() <= 255) {
            return alphanumeric(parts.get(0));
        }
        StringBuilder human = new StringBuilder();
        String last = null;
        for (String p : parts) {
            // CDK drops a component its predecessor ends with ("FooBar/Bar"), and the "Resource" ones.
            if (last == null || !last.endsWith(p)) {
                if (!p.equals("Resource")) {
                    human.append(alphanumeric(p));
                }
                last = p;
            }
        }
        String humanPart = human.length() > 240 ? human.substring(0, 240) : human.toString();
        try {
            byte[] md5 = MessageDigest.getInstance("MD5")
                    .digest(String.join("/", parts).getBytes(StandardCharsets.UTF_8));
            return humanPart + HexFormat.of().withUpperCase().formatHex(md5).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String alphanumeric(String s) {
        return s.replaceAll("[^A-Za-z0-9]", "");
    }

    private static void requireBuildOutputs(DeployConfig config) {
        for (FunctionCode f : FUNCTIONS) {
            Path jarFile = f.jarIn(config.functionsDir());
            if (!Files.isRegularFile(jarFile)) {
                throw new IllegalStateException("Lambda jar not found: " + jarFile
                        + ". Build it first, from the repository root: " + BUILD_COMMAND);
            }
            // A renamed or missing handler would deploy fine and fail on every invocation: stop here instead.
            String entry = f.function().handlerClass().replace('.', '/') + ".class";
            try (ZipFile jar = new ZipFile(jarFile.toFile())) {
                if (jar.getEntry(entry) == null) {
                    throw new IllegalStateException(jarFile + " has no "
                            + f.function().handlerClass() + ". Rebuild it from the repository root: " + BUILD_COMMAND);
                }
            } catch (IOException e) {
                throw new IllegalStateException("Lambda jar unreadable: " + jarFile + ": " + e.getMessage(), e);
            }
        }
        if (!Files.isRegularFile(config.webDist().resolve("index.html"))) {
            throw new IllegalStateException(
                    "Dashboard build not found: " + config.webDist().resolve("index.html")
                            + ". Build it first, from the repository root: " + BUILD_COMMAND);
        }
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    /** CloudWatch accepts only these retention periods (days). */
    private static final Map<Integer, RetentionDays> RETENTION = Map.ofEntries(
            Map.entry(1, RetentionDays.ONE_DAY),
            Map.entry(3, RetentionDays.THREE_DAYS),
            Map.entry(5, RetentionDays.FIVE_DAYS),
            Map.entry(7, RetentionDays.ONE_WEEK),
            Map.entry(14, RetentionDays.TWO_WEEKS),
            Map.entry(30, RetentionDays.ONE_MONTH),
            Map.entry(60, RetentionDays.TWO_MONTHS),
            Map.entry(90, RetentionDays.THREE_MONTHS),
            Map.entry(120, RetentionDays.FOUR_MONTHS),
            Map.entry(150, RetentionDays.FIVE_MONTHS),
            Map.entry(180, RetentionDays.SIX_MONTHS),
            Map.entry(365, RetentionDays.ONE_YEAR),
            Map.entry(400, RetentionDays.THIRTEEN_MONTHS),
            Map.entry(545, RetentionDays.EIGHTEEN_MONTHS),
            Map.entry(731, RetentionDays.TWO_YEARS),
            Map.entry(1096, RetentionDays.THREE_YEARS),
            Map.entry(1827, RetentionDays.FIVE_YEARS));

    static RetentionDays retention(int days) {
        RetentionDays r = RETENTION.get(days);
        if (r == null) {
            throw new IllegalArgumentException("logRetentionDays must be one of CloudWatch's values "
                    + new java.util.TreeSet<>(RETENTION.keySet()) + ", got " + days);
        }
        return r;
    }
}
