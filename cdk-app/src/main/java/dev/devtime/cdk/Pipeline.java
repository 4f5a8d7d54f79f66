package dev.devtime.cdk;

import dev.devtime.model.api.ApiRoutes;
import dev.devtime.model.deploy.LambdaFunction;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The four functions and the heartbeat queue between ingest and the aggregator: each function with its own
 * log group, its own role holding only its declared grants, and the "live" alias on a SnapStart version.
 */
final class Pipeline extends Construct {

    static final Duration BATCH_WINDOW = Duration.seconds(5);
    static final int BATCH_SIZE = 100;
    static final int MAX_CONCURRENCY = 5;
    static final int MAX_RECEIVE_COUNT = 5;

    private final DeployConfig config;
    private final TableV2 table;
    private final Queue queue;
    private final Queue deadLetters;
    private final Map<ApiRoutes.Function, Alias> apiAliases = new EnumMap<>(ApiRoutes.Function.class);
    private final Alias aggregator;

    Pipeline(Construct scope, String id, DeployConfig config, TableV2 table, Auth auth) {
        super(scope, id);
        this.config = config;
        this.table = table;
        deadLetters = Queue.Builder.create(this, "DeadLetterQueue")
                .retentionPeriod(Duration.days(14))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        queue = Queue.Builder.create(this, "HeartbeatQueue")
                // AWS: at least 6x the function timeout plus the batching window, so a slow batch is
                // not redelivered while it is still being processed.
                .visibilityTimeout(Duration.seconds(6 * LambdaFunction.AGGREGATOR.timeoutSeconds()
                        + BATCH_WINDOW.toSeconds().intValue()))
                .retentionPeriod(Duration.days(14))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .deadLetterQueue(DeadLetterQueue.builder()
                        .queue(deadLetters)
                        .maxReceiveCount(MAX_RECEIVE_COUNT)
                        .build())
                .build();

        Alias consumer = null;
        for (DevTimeStack.FunctionCode code : DevTimeStack.FUNCTIONS) {
            Alias alias = function(code, environment(code.function(), table, auth));
            if (code.function().event() == LambdaFunction.Event.SQS) {
                alias.addEventSource(new SqsEventSource(
                        queue,
                        SqsEventSourceProps.builder()
                                .batchSize(BATCH_SIZE)
                                .maxBatchingWindow(BATCH_WINDOW)
                                .maxConcurrency(MAX_CONCURRENCY)
                                .reportBatchItemFailures(true)
                                .build()));
                consumer = alias;
            } else {
                apiAliases.put(ApiRoutes.Function.valueOf(code.function().name()), alias);
            }
        }
        aggregator = consumer;
    }

    /** Only what each handler reads (Wiring, JwtVerifier): the aggregator verifies no tokens. */
    private Map<String, String> environment(LambdaFunction f, TableV2 table, Auth auth) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TABLE_NAME", table.getTableName());
        env.put("RAW_RETENTION_DAYS", Integer.toString(config.rawRetentionDays()));
        // AWS's SnapStart/cold-start advice: C1 only, the JIT's C2 rarely pays off in a short-lived function.
        // Measured for the aggregator too, which lives longest (coldstart/README.md): C1 only is faster.
        env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        if (f.verifiesTokens()) {
            env.put("JWT_ISSUER", auth.issuer());
            env.put("JWT_AUDIENCE", auth.client().getUserPoolClientId());
            // Handlers that accept dashboard tokens themselves require the same scope as the JWT authorizer.
            env.put("JWT_SCOPE", Auth.SCOPE);
        }
        // The aggregator sends too: it deletes deleted accounts' data a part per message, queueing the next part.
        if (f.sendsToQueue()) {
            env.put("QUEUE_URL", queue.getQueueUrl());
        }
        return env;
    }

    /** The live alias of each function that serves API routes. */
    Map<ApiRoutes.Function, Alias> apiAliases() {
        return apiAliases;
    }

    Alias aggregator() {
        return aggregator;
    }

    Queue queue() {
        return queue;
    }

    Queue deadLetters() {
        return deadLetters;
    }

    /**
     * One function, its log group and role with the function's declared grants, and the "live" alias on a
     * SnapStart-enabled version.
     */
    private Alias function(DevTimeStack.FunctionCode code, Map<String, String> env) {
        String name = code.name();
        LogGroup logs = LogGroup.Builder.create(this, name + "Logs")
                .retention(DevTimeStack.retention(config.logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // Own role instead of the default one: the default attaches AWSLambdaBasicExecutionRole, which may
        // write to every log group in the account; this one may write only to its own.
        Role role = Role.Builder.create(this, name + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("DevTime " + name + " function")
                .build();
        logs.grantWrite(role);
        if (!code.tableActions().isEmpty()) {
            table.grant(role, code.tableActions().toArray(String[]::new));
        }
        if (!code.queueActions().isEmpty()) {
            queue.grant(role, code.queueActions().toArray(String[]::new));
        }
        Function fn = Function.Builder.create(this, name + "Function")
                .description("DevTime " + name.toLowerCase() + " (" + config.stage() + ")")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .code(Code.fromAsset(code.jarIn(config.functionsDir()).toString()))
                .handler(code.function().handler())
                .memorySize(config.memoryMb())
                .timeout(Duration.seconds(code.function().timeoutSeconds()))
                .environment(env)
                .role(role)
                .logGroup(logs)
                .loggingFormat(LoggingFormat.JSON)
                .applicationLogLevelV2(ApplicationLogLevel.INFO)
                .systemLogLevelV2(SystemLogLevel.WARN)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .build();
        Annotations.of(fn)
                .acknowledgeWarning(
                        "@aws-cdk/aws-lambda:snapStartRequirePublish",
                        "published below: currentVersion plus the live alias");
        // currentVersion publishes a new version whenever code or configuration changes; SnapStart
        // snapshots it, and the alias moves to it.
        DevTimeStack.flattenNow(fn, "CurrentVersion", "Resource");
        return Alias.Builder.create(this, name + "Live")
                .aliasName(DevTimeStack.LIVE_ALIAS)
                .version(fn.getCurrentVersion())
                .build();
    }
}
