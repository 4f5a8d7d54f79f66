package dev.devtime.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.account.AccountHandler;
import dev.devtime.functions.aggregate.AggregatorHandler;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.auth.JwtVerifier;
import dev.devtime.functions.aws.AwsClients;
import dev.devtime.functions.ingest.IngestHandler;
import dev.devtime.functions.query.QueryHandler;
import dev.devtime.functions.store.KeyStore;
import dev.devtime.functions.store.Table;
import dev.devtime.local.emulator.Backend;
import dev.devtime.local.emulator.EmbeddedBackend;
import dev.devtime.local.emulator.QueueEncryption;
import dev.devtime.local.emulator.SqsLimits;
import dev.devtime.local.emulator.TtlSweeper;
import dev.devtime.local.events.SqsEventSource;
import dev.devtime.local.gateway.LocalGateway;
import dev.devtime.local.gateway.StaticSite;
import dev.devtime.local.iam.AwsCallRecorder;
import dev.devtime.local.measure.CallTimingInterceptor;
import dev.devtime.local.oidc.LocalIssuer;
import dev.devtime.model.api.ApiRoutes;
import dev.devtime.model.deploy.LambdaFunction;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * All of DevTime in one process: the emulators, the real handlers, the event source and the gateway.
 * {@code local}'s command line and the integration tests both start it.
 */
public final class LocalDeployment implements AutoCloseable {

    public static final String TABLE = "devtime";
    public static final String QUEUE = "devtime-heartbeats";
    public static final String DLQ = "devtime-heartbeats-dlq";

    /**
     * @param dataDir          where tables and queued messages are kept; null keeps everything in memory
     * @param batchSize        the event source's maximum batch size
     * @param batchWindow      how long it waits to fill a batch
     * @param concurrency      batches processed at once
     * @param aggregatorFilter wraps the aggregator (fault-injection tests); identity otherwise
     */
    public record Options(
            Path dataDir,
            String host,
            int port,
            int oidcPort,
            int batchSize,
            Duration batchWindow,
            int visibilitySeconds,
            int maxReceiveCount,
            int concurrency,
            Wiring.Config config,
            Clock clock,
            UnaryOperator<Function<SQSEvent, SQSBatchResponse>> aggregatorFilter) {

        public static Options defaults(Path dataDir) {
            return new Options(
                    dataDir,
                    "127.0.0.1",
                    8080,
                    8081,
                    100,
                    Duration.ofMillis(500),
                    30,
                    5,
                    2,
                    Wiring.Config.defaults(),
                    Clock.systemUTC(),
                    UnaryOperator.identity());
        }

        /** The gateway's port and the sign-in issuer's (0: any free port; for the issuer, the next one). */
        public Options withPort(int p) {
            return withPorts(p, p == 0 ? 0 : p + 1);
        }

        /** The address the gateway listens on (loopback unless the user asks for another). */
        public Options withHost(String h) {
            return new Options(
                    dataDir,
                    h,
                    port,
                    oidcPort,
                    batchSize,
                    batchWindow,
                    visibilitySeconds,
                    maxReceiveCount,
                    concurrency,
                    config,
                    clock,
                    aggregatorFilter);
        }

        public Options withPorts(int p, int oidc) {
            return new Options(
                    dataDir,
                    host,
                    p,
                    oidc,
                    batchSize,
                    batchWindow,
                    visibilitySeconds,
                    maxReceiveCount,
                    concurrency,
                    config,
                    clock,
                    aggregatorFilter);
        }

        public Options withAggregatorFilter(UnaryOperator<Function<SQSEvent, SQSBatchResponse>> f) {
            return new Options(
                    dataDir,
                    host,
                    port,
                    oidcPort,
                    batchSize,
                    batchWindow,
                    visibilitySeconds,
                    maxReceiveCount,
                    concurrency,
                    config,
                    clock,
                    f);
        }

        public Options withQueue(int visibility, int maxReceives) {
            return new Options(
                    dataDir,
                    host,
                    port,
                    oidcPort,
                    batchSize,
                    batchWindow,
                    visibility,
                    maxReceives,
                    concurrency,
                    config,
                    clock,
                    aggregatorFilter);
        }

        public Options withConfig(Wiring.Config c) {
            return new Options(
                    dataDir,
                    host,
                    port,
                    oidcPort,
                    batchSize,
                    batchWindow,
                    visibilitySeconds,
                    maxReceiveCount,
                    concurrency,
                    c,
                    clock,
                    aggregatorFilter);
        }

        public Options withBatching(int size, Duration window, int conc) {
            return new Options(
                    dataDir,
                    host,
                    port,
                    oidcPort,
                    size,
                    window,
                    visibilitySeconds,
                    maxReceiveCount,
                    conc,
                    config,
                    clock,
                    aggregatorFilter);
        }

        /** The handlers' clock (tests move it to see days open and settle). */
        public Options withClock(Clock c) {
            return new Options(
                    dataDir,
                    host,
                    port,
                    oidcPort,
                    batchSize,
                    batchWindow,
                    visibilitySeconds,
                    maxReceiveCount,
                    concurrency,
                    config,
                    c,
                    aggregatorFilter);
        }
    }

    /**
     * Instances of each function running side by side, as warm Lambda containers do: each has its own SDK
     * clients, key cache and rate limiter, and requests and batches are spread across them.
     */
    public static final int INSTANCES = 2;

    public final Backend backend;
    /** The stack's own clients (set-up, seeding, tests), not any function's: their calls are not recorded. */
    public final DynamoDbClient dynamo;

    public final SqsClient sqs;
    public final String queueUrl;
    public final String dlqUrl;
    /** The services on the stack's own clients, for seeding and inspecting; requests go to the instances. */
    public final Wiring wiring;

    public final LocalIssuer issuer;
    public final SqsEventSource eventSource;
    public final LocalGateway gateway;
    /** Deletes expired items (raw retention) by the handlers' clock, as DynamoDB's TTL does in AWS. */
    public final TtlSweeper ttl;
    /** Where clients on this machine reach the gateway: its address, or loopback when it listens on all. */
    private final String reachableHost;

    private final List<AutoCloseable> instanceClients = new ArrayList<>();

    private LocalDeployment(Options o, Backend backend, Consumer<LocalDeployment> beforeServing) throws Exception {
        this.backend = backend;
        dynamo = AwsClients.dynamo(backend.dynamoEndpoint(), new CallTimingInterceptor());
        sqs = AwsClients.sqs(
                backend.sqsEndpoint(), sqsInterceptors(false, new CallTimingInterceptor(), new SqsLimits()));
        TableSetup.ensure(dynamo, TABLE);
        dlqUrl = QueueSetup.ensure(sqs, DLQ, Map.of());
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        queueUrl = QueueSetup.ensure(
                sqs,
                QUEUE,
                Map.of(
                        QueueAttributeName.VISIBILITY_TIMEOUT,
                        Integer.toString(o.visibilitySeconds()),
                        QueueAttributeName.REDRIVE_POLICY,
                        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + o.maxReceiveCount()
                                + "\"}"));
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        issuer = LocalIssuer.start(
                o.oidcPort(), o.dataDir() == null ? null : o.dataDir().resolve("oidc-signing-key.json"));
        JwtVerifier jwt = issuer.verifier();
        wiring = new Wiring(dynamo, TABLE, sqs, queueUrl, jwt, o.config(), o.clock());
        ttl = new TtlSweeper(dynamo, TABLE, Table.TTL, o.clock()).start(Duration.ofHours(1));
        // Each instance is wired as its Lambda function is from its environment (the function table says
        // which functions get the queue and which verify tokens).
        List<Function<SQSEvent, SQSBatchResponse>> aggregators = new ArrayList<>();
        List<Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> ingests = new ArrayList<>();
        List<Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> queries = new ArrayList<>();
        List<Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> accounts = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            AggregatorHandler aggregator = new AggregatorHandler(instanceWiring(LambdaFunction.AGGREGATOR, o));
            aggregators.add(e -> aggregator.handleRequest(e, null));
            IngestHandler ingest = new IngestHandler(instanceWiring(LambdaFunction.INGEST, o));
            ingests.add(e -> ingest.handleRequest(e, null));
            QueryHandler query = new QueryHandler(instanceWiring(LambdaFunction.QUERY, o));
            queries.add(e -> query.handleRequest(e, null));
            AccountHandler account = new AccountHandler(instanceWiring(LambdaFunction.ACCOUNT, o));
            accounts.add(e -> account.handleRequest(e, null));
        }
        // Lambda's event source mapping polls with the aggregator's role: its calls are the aggregator's.
        SqsClient pollerSqs = client(AwsClients.sqs(
                backend.sqsEndpoint(),
                sqsInterceptors(
                        false, new CallTimingInterceptor(), new AwsCallRecorder(LambdaFunction.AGGREGATOR.id()))));
        Function<SQSEvent, SQSBatchResponse> aggregate = o.aggregatorFilter().apply(new Instances<>(aggregators));
        eventSource = new SqsEventSource(
                        pollerSqs, queueUrl, queueArn, aggregate, o.batchSize(), o.batchWindow(), o.concurrency())
                .start();
        Map<ApiRoutes.Function, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions =
                new EnumMap<>(ApiRoutes.Function.class);
        functions.put(ApiRoutes.Function.INGEST, new Instances<>(ingests));
        functions.put(ApiRoutes.Function.QUERY, new Instances<>(queries));
        functions.put(ApiRoutes.Function.ACCOUNT, new Instances<>(accounts));
        reachableHost = o.host().equals("0.0.0.0") || o.host().equals("::")
                ? "127.0.0.1"
                : o.host().contains(":") ? "[" + o.host() + "]" : o.host();
        gateway = new LocalGateway(
                o.host(), o.port(), functions, jwt, new StaticSite(this::runtimeConfig, issuer.domain()));
        beforeServing.accept(this);
        gateway.start();
        // The dashboard is served by the gateway (whose port is known once it listens), under either
        // loopback name and the address it is bound to.
        issuer.registerDashboard("http://127.0.0.1:" + gateway.port());
        issuer.registerDashboard("http://localhost:" + gateway.port());
        issuer.registerDashboard("http://" + reachableHost + ":" + gateway.port());
    }

    /** Starts the embedded emulators (persisted under {@code dataDir} when given) and the stack on them. */
    public static LocalDeployment start(Options o) throws Exception {
        return start(o, s -> {});
    }

    /** As {@link #start(Options)}, running {@code beforeServing} (seeding keys, say) before the first request. */
    public static LocalDeployment start(Options o, Consumer<LocalDeployment> beforeServing) throws Exception {
        if (o.dataDir() != null) {
            DataDir.restrict(o.dataDir());
        }
        Backend backend = EmbeddedBackend.start(o.dataDir());
        try {
            return new LocalDeployment(o, backend, beforeServing);
        } catch (Exception e) {
            backend.close();
            throw e;
        }
    }

    /** The stack on a backend somebody else runs (LocalStack in the integration suite); not closed here. */
    public static LocalDeployment start(Options o, Backend backend) throws Exception {
        return new LocalDeployment(
                o,
                new Backend() {
                    @Override
                    public String dynamoEndpoint() {
                        return backend.dynamoEndpoint();
                    }

                    @Override
                    public String sqsEndpoint() {
                        return backend.sqsEndpoint();
                    }

                    @Override
                    public void close() {}
                },
                s -> {});
    }

    /** One instance's services on its own clients, which record the function's AWS calls. */
    private Wiring instanceWiring(LambdaFunction f, Options o) {
        DynamoDbClient d = client(
                AwsClients.dynamo(backend.dynamoEndpoint(), new CallTimingInterceptor(), new AwsCallRecorder(f.id())));
        SqsClient q = f.sendsToQueue()
                ? client(AwsClients.sqs(
                        backend.sqsEndpoint(),
                        sqsInterceptors(
                                f == LambdaFunction.ACCOUNT,
                                new CallTimingInterceptor(),
                                new SqsLimits(),
                                new AwsCallRecorder(f.id()))))
                : null;
        return new Wiring(
                d,
                TABLE,
                q,
                f.sendsToQueue() ? queueUrl : null,
                f.verifiesTokens() ? issuer.verifier() : null,
                o.config(),
                o.clock());
    }

    /**
     * {@code own} and, on the embedded queue, the encryption of queued messages at rest, last so the others see
     * the messages as the functions send them; the deployment's own client deletes those of deleted accounts.
     */
    private ExecutionInterceptor[] sqsInterceptors(boolean destroysOnDeletion, ExecutionInterceptor... own) {
        if (backend.queueKeys() == null) {
            return own;
        }
        return Stream.concat(
                        Stream.of(own),
                        Stream.of(new QueueEncryption(backend.queueKeys(), () -> sqs, destroysOnDeletion)))
                .toArray(ExecutionInterceptor[]::new);
    }

    private <C extends AutoCloseable> C client(C c) {
        instanceClients.add(c);
        return c;
    }

    /** What the dashboard loads at start-up: where the API is and how to sign in. */
    private String runtimeConfig() {
        var o = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
        o.put("apiUrl", baseUrl());
        o.putObject("oidc")
                .put("authority", issuer.issuer())
                .put("clientId", LocalIssuer.CLIENT_ID)
                .put("scope", LocalIssuer.SCOPES)
                .put("domain", issuer.domain());
        return o.toString();
    }

    public String baseUrl() {
        return "http://" + reachableHost + ":" + gateway.port();
    }

    /**
     * Waits until the heartbeat queue is empty and nothing is in flight (a received message stays "not
     * visible" until it is deleted), that is until everything accepted so far is stored.
     */
    public void awaitDrained(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes();
            if ("0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    && "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("the queue did not drain within " + timeout);
    }

    /** Gives {@code userId} the API key {@code key} (idempotent). */
    public void seedKey(String userId, String key, String label) {
        wiring.keys.ensure(new KeyStore.ApiKey(
                ApiKeys.newId(), userId, ApiKeys.hash(key), label, false, wiring.clock.millis(), 0));
    }

    /** Stops taking requests, lets the event source finish its batch, then stops the emulators. */
    @Override
    public void close() throws Exception {
        gateway.close();
        eventSource.close();
        ttl.close();
        issuer.close();
        for (AutoCloseable c : instanceClients) {
            c.close();
        }
        sqs.close();
        dynamo.close();
        backend.close();
        AwsCallRecorder.flush();
    }
}
