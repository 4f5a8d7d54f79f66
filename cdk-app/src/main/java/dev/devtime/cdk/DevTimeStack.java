package dev.devtime.cdk;

import dev.devtime.model.api.ApiRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.DomainMappingOptions;
import software.amazon.awscdk.services.apigatewayv2.DomainName;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteKey;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.budgets.CfnBudget;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.AutoVerifiedAttrs;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.ResourceServerScope;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.SignInUrlOptions;
import software.amazon.awscdk.services.cognito.StandardAttribute;
import software.amazon.awscdk.services.cognito.StandardAttributes;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientIdentityProvider;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolResourceServer;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.Billing;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.TableEncryptionV2;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * All of DevTime in one stack: HTTP API, the four Lambdas (SnapStart, behind a "live" alias), the SQS
 * pipeline, the DynamoDB table, Cognito, the Amplify-hosted dashboard and the alarms. Nothing here bills
 * while nobody uses it (see cdk-app/README.md for the per-resource reasoning).
 */
public class DevTimeStack extends Stack {

    /** Alias the API integrations and the event source mapping invoke; SnapStart snapshots its version. */
    public static final String LIVE_ALIAS = "live";
    /** The Cognito resource server and the scope the JWT routes require ({@code devtime/api}). */
    public static final String RESOURCE_SERVER = "devtime";
    public static final String API_SCOPE = "api";

    static final String HANDLER_PACKAGE = "dev.devtime.functions.";

    /**
     * What a deployment needs built, from the repository root: the function jars, web/dist and this app,
     * without tests, the local stack or the clients. cdk.json runs it before every synth (a test keeps the two
     * equal); plain Maven, so it runs the same on Linux, macOS and Windows.
     */
    static final String BUILD_COMMAND = "mvn -B -q -ntp package -DskipTests -pl functions,web,cdk-app -am";

    /**
     * A function's code and what its role may do: the construct name, its own deployment jar
     * ({@code devtime-<jar>.jar} in the functions build, holding only what that handler needs), its handler
     * class, and the actions its code calls on the table and on the heartbeat queue. These lists are the only
     * place the functions' grants are declared; {@code RoleGrantsTest} holds every role in the synthesized
     * template to the calls local's test suite recorded for that function, so a call nobody granted, or a
     * grant nobody calls, fails the build.
     */
    record FunctionCode(String name, String jar, String handlerClass, List<String> tableActions,
                        List<String> queueActions) {

        Path jarIn(Path dir) {
            return dir.resolve("devtime-" + jar + ".jar");
        }

        String handler() {
            return HANDLER_PACKAGE + handlerClass + "::handleRequest";
        }
    }

    static final FunctionCode INGEST = new FunctionCode("Ingest", "ingest", "ingest.IngestHandler",
            List.of("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"),
            List.of("sqs:SendMessage", "sqs:GetQueueAttributes"));
    /**
     * Its queue's consume actions come with the SQS event source; SendMessage queues the next part of an
     * account's deletion, BatchWriteItem deletes a part.
     */
    static final FunctionCode AGGREGATOR = new FunctionCode("Aggregator", "aggregator", "aggregate.AggregatorHandler",
            List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"),
            List.of("sqs:SendMessage"));
    /** PutItem and DeleteItem: heartbeat deletion rewrites buckets; goals are stored and deleted here. */
    static final FunctionCode QUERY = new FunctionCode("Query", "query", "query.QueryHandler",
            List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:DeleteItem"),
            List.of());
    static final FunctionCode ACCOUNT = new FunctionCode("Account", "account", "account.AccountHandler",
            List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
            List.of("sqs:SendMessage"));
    /** Every function the stack deploys; a new one is one more entry here and its function(...) call. */
    static final List<FunctionCode> FUNCTIONS = List.of(INGEST, AGGREGATOR, QUERY, ACCOUNT);

    // Sizes are starting points: the benchmark (functions' README) is where they are tuned.
    static final Duration INGEST_TIMEOUT = Duration.seconds(10);
    static final Duration QUERY_TIMEOUT = Duration.seconds(20);
    static final Duration ACCOUNT_TIMEOUT = Duration.seconds(29);
    static final Duration AGGREGATOR_TIMEOUT = Duration.seconds(60);
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
    private final HttpApi api;
    private final HttpStage stage;
    private final UserPool userPool;
    private final UserPoolClient client;
    private final UserPoolDomain authDomain;
    private final Dashboard dashboard;

    public DevTimeStack(Construct scope, String id, StackProps props, DeployConfig config) {
        this(scope, id, props, config, ApiRoutes.all());
    }

    /** {@code routes}: the route table to serve; tests pass extra entries to exercise kinds it lacks yet. */
    DevTimeStack(Construct scope, String id, StackProps props, DeployConfig config, List<ApiRoutes.Route> routes) {
        super(scope, id, props);
        this.config = config;
        requireBuildOutputs(config);

        RemovalPolicy dataRemoval = config.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        table = TableV2.Builder.create(this, "Table")
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
                .billing(Billing.onDemand())
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .timeToLiveAttribute("ttl")
                // AWS-owned key: encrypted at rest without the monthly fee of a customer-managed key.
                .encryption(TableEncryptionV2.dynamoOwnedKey())
                .removalPolicy(dataRemoval)
                .build();

        deadLetters = Queue.Builder.create(this, "DeadLetterQueue")
                .retentionPeriod(Duration.days(14))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .build();
        queue = Queue.Builder.create(this, "HeartbeatQueue")
                // AWS: at least 6x the function timeout plus the batching window, so a slow batch is
                // not redelivered while it is still being processed.
                .visibilityTimeout(Duration.seconds(6 * AGGREGATOR_TIMEOUT.toSeconds().intValue()
                        + BATCH_WINDOW.toSeconds().intValue()))
                .retentionPeriod(Duration.days(14))
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .deadLetterQueue(DeadLetterQueue.builder().queue(deadLetters).maxReceiveCount(MAX_RECEIVE_COUNT).build())
                .build();

        dashboard = new Dashboard(this, "Dashboard", config);
        List<String> origins = new ArrayList<>();
        origins.add(dashboard.url());
        if (config.domainName() != null) {
            origins.add("https://" + config.domainName());
        }
        origins.addAll(config.allowedOrigins());

        // --- Cognito: the dashboard's sign-in ---
        userPool = UserPool.Builder.create(this, "UserPool")
                .signInAliases(SignInAliases.builder().email(true).build())
                .autoVerify(AutoVerifiedAttrs.builder().email(true).build())
                .standardAttributes(StandardAttributes.builder()
                        .email(StandardAttribute.builder().required(true).mutable(true).build()).build())
                .selfSignUpEnabled(config.selfSignUp())
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(12).requireLowercase(true).requireUppercase(true)
                        .requireDigits(true).requireSymbols(true)
                        .tempPasswordValidity(Duration.days(3)).build())
                // TOTP only: SMS codes would bill per message.
                .mfa(Mfa.OPTIONAL)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .featurePlan(FeaturePlan.ESSENTIALS)
                .removalPolicy(dataRemoval)
                .build();
        UserPoolResourceServer resourceServer = userPool.addResourceServer("ResourceServer",
                software.amazon.awscdk.services.cognito.UserPoolResourceServerOptions.builder()
                        .identifier(RESOURCE_SERVER)
                        .scopes(List.of(ResourceServerScope.Builder.create()
                                .scopeName(API_SCOPE).scopeDescription("Use the DevTime API").build()))
                        .build());
        OAuthScope apiScope = OAuthScope.custom(RESOURCE_SERVER + "/" + API_SCOPE);
        // The dashboard completes sign-in on its own root page and signs out back to it (web/src/auth.ts:
        // redirect_uri and /logout's logout_uri are both origin + "/"), so one list serves both.
        List<String> callbacks = new ArrayList<>();
        callbacks.add(dashboard.url() + "/");
        if (config.domainName() != null) {
            callbacks.add("https://" + config.domainName() + "/");
        }
        callbacks.addAll(config.callbackUrls());
        client = userPool.addClient("DashboardClient", software.amazon.awscdk.services.cognito.UserPoolClientOptions.builder()
                .generateSecret(false)
                .authFlows(AuthFlow.builder().userSrp(true).build())
                .oAuth(OAuthSettings.builder()
                        .flows(OAuthFlows.builder().authorizationCodeGrant(true).implicitCodeGrant(false).build())
                        .scopes(List.of(OAuthScope.OPENID, OAuthScope.EMAIL, apiScope))
                        .callbackUrls(callbacks)
                        .logoutUrls(callbacks)
                        .build())
                .supportedIdentityProviders(List.of(UserPoolClientIdentityProvider.COGNITO))
                .preventUserExistenceErrors(true)
                .accessTokenValidity(Duration.hours(1))
                .idTokenValidity(Duration.hours(1))
                .refreshTokenValidity(Duration.days(30))
                .build());
        client.getNode().addDependency(resourceServer);
        String prefix = config.authDomainPrefix() != null ? config.authDomainPrefix()
                // Cognito prefixes are global per region: the account id keeps two users apart.
                : Fn.join("-", List.of("devtime", config.stage(), getAccount()));
        authDomain = userPool.addDomain("HostedDomain", software.amazon.awscdk.services.cognito.UserPoolDomainOptions.builder()
                .cognitoDomain(CognitoDomainOptions.builder().domainPrefix(prefix).build())
                .build());
        String issuer = "https://cognito-idp." + getRegion() + ".amazonaws.com/" + userPool.getUserPoolId();

        // --- Lambdas ---
        // Only what each handler reads (Wiring, JwtVerifier): the aggregator verifies no tokens.
        Map<String, String> aggregatorEnv = new LinkedHashMap<>();
        aggregatorEnv.put("TABLE_NAME", table.getTableName());
        aggregatorEnv.put("RAW_RETENTION_DAYS", Integer.toString(config.rawRetentionDays()));
        // AWS's SnapStart/cold-start advice: C1 only, the JIT's C2 rarely pays off in a short-lived function.
        // Measured for the aggregator too, which lives longest (coldstart/README.md): C1 only is faster.
        aggregatorEnv.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        Map<String, String> env = new LinkedHashMap<>(aggregatorEnv);
        env.put("JWT_ISSUER", issuer);
        env.put("JWT_AUDIENCE", client.getUserPoolClientId());
        // Handlers that accept dashboard tokens themselves require the same scope as the JWT authorizer.
        env.put("JWT_SCOPE", RESOURCE_SERVER + "/" + API_SCOPE);
        Map<String, String> withQueue = new LinkedHashMap<>(env);
        withQueue.put("QUEUE_URL", queue.getQueueUrl());

        Alias ingest = function(INGEST, INGEST_TIMEOUT, withQueue);
        apiAliases.put(ApiRoutes.Function.INGEST, ingest);

        // The aggregator also deletes deleted accounts' data, a part per message, queueing the next part.
        aggregatorEnv.put("QUEUE_URL", queue.getQueueUrl());
        aggregator = function(AGGREGATOR, AGGREGATOR_TIMEOUT, aggregatorEnv);
        aggregator.addEventSource(new SqsEventSource(queue, software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps.builder()
                .batchSize(BATCH_SIZE)
                .maxBatchingWindow(BATCH_WINDOW)
                .maxConcurrency(MAX_CONCURRENCY)
                .reportBatchItemFailures(true)
                .build()));

        apiAliases.put(ApiRoutes.Function.QUERY, function(QUERY, QUERY_TIMEOUT, env));
        apiAliases.put(ApiRoutes.Function.ACCOUNT, function(ACCOUNT, ACCOUNT_TIMEOUT, withQueue));

        // --- HTTP API ---
        api = HttpApi.Builder.create(this, "HttpApi")
                .apiName("devtime-" + config.stage())
                .description("DevTime HTTP API (" + config.stage() + ")")
                .createDefaultStage(false)
                .corsPreflight(CorsPreflightOptions.builder()
                        .allowOrigins(origins)
                        .allowMethods(List.of(CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT,
                                CorsHttpMethod.PATCH, CorsHttpMethod.DELETE, CorsHttpMethod.OPTIONS))
                        .allowHeaders(List.of("Authorization", "Content-Type", "X-Machine-Name"))
                        // The dashboard follows export pages and backs off on 429 by these headers.
                        .exposeHeaders(List.of("X-Next-Cursor", "Retry-After"))
                        .maxAge(Duration.hours(1))
                        .build())
                .build();
        LogGroup accessLogs = LogGroup.Builder.create(this, "ApiAccessLogs")
                .retention(retention(config.logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        HttpStageOptions.Builder stageOptions = HttpStageOptions.builder()
                // $default: no stage segment in paths, so the handlers see the paths of the route table.
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(config.throttleRate()).burstLimit(config.throttleBurst()).build())
                .accessLogSettings(new AccessLog(new LogGroupLogDestination(accessLogs)));
        if (config.domainName() != null) {
            DomainName apiDomain = DomainName.Builder.create(this, "ApiDomain")
                    .domainName(config.apiDomainName())
                    .certificate(Certificate.fromCertificateArn(this, "ApiCertificate", config.certificateArn()))
                    .build();
            stageOptions.domainMapping(DomainMappingOptions.builder().domainName(apiDomain).build());
            output("ApiDomainTarget", apiDomain.getRegionalDomainName(),
                    "DNS: point " + config.apiDomainName() + " here (CNAME, or a Route 53 alias)");
        }
        stage = api.addStage("DefaultStage", stageOptions.build());

        IHttpRouteAuthorizer jwt = new HttpUserPoolAuthorizer("CognitoJwt", userPool,
                HttpUserPoolAuthorizerProps.builder().userPoolClients(List.of(client)).build());
        Map<ApiRoutes.Function, HttpLambdaIntegration> integrations = new EnumMap<>(ApiRoutes.Function.class);
        // One invoke permission per function, for any route of this API: a permission per route would add a
        // resource per route and fill the function policy's 20 KB as the WakaTime-compatible routes grow.
        apiAliases.forEach((fn, alias) -> integrations.put(fn, new HttpLambdaIntegration(fn.name().toLowerCase() + "-live", alias,
                HttpLambdaIntegrationProps.builder().scopePermissionToRoute(false).build())));
        for (ApiRoutes.Route route : routes) {
            HttpRoute.Builder b = HttpRoute.Builder.create(this, routeId(route))
                    .httpApi(api)
                    .routeKey(HttpRouteKey.with(route.path(), HttpMethod.valueOf(route.method())))
                    .integration(integrations.get(route.function()));
            if (route.auth() == ApiRoutes.Auth.JWT) {
                b.authorizer(jwt).authorizationScopes(List.of(RESOURCE_SERVER + "/" + API_SCOPE));
            }
            b.build();
        }
        String apiUrl = config.domainName() != null ? "https://" + config.apiDomainName() : api.getApiEndpoint();

        // --- Dashboard: the built web app plus its runtime config ---
        Map<String, Object> oidc = new LinkedHashMap<>();
        oidc.put("authority", issuer);
        oidc.put("clientId", client.getUserPoolClientId());
        oidc.put("scope", "openid email " + RESOURCE_SERVER + "/" + API_SCOPE);
        // The hosted domain serves /logout; the issuer (cognito-idp) does not.
        oidc.put("domain", authDomain.baseUrl());
        Map<String, Object> runtimeConfig = new LinkedHashMap<>();
        runtimeConfig.put("apiUrl", apiUrl);
        runtimeConfig.put("oidc", oidc);
        dashboard.deploy(runtimeConfig);

        alarms();
        budget();

        String signInUrl = authDomain.signInUrl(client, SignInUrlOptions.builder().redirectUri(callbacks.get(0)).build());
        output("ApiUrl", apiUrl, "HTTP API base URL (the API URL for plugins: <ApiUrl>/api/v1)");
        output("DashboardUrl", config.domainName() != null ? "https://" + config.domainName() : dashboard.url(), "The dashboard");
        output("SignInUrl", signInUrl, "Cognito hosted sign-in page");
        output("UserPoolId", userPool.getUserPoolId(), "Cognito user pool (add users here)");
        output("DashboardClientId", client.getUserPoolClientId(), "Cognito app client of the dashboard");
        output("TableName", table.getTableName(), "DynamoDB table");
        output("DeadLetterQueueUrl", deadLetters.getQueueUrl(), "Heartbeat batches that failed 5 times");

        Nag.acknowledge(this, dashboard, routes);
    }

    static String routeId(ApiRoutes.Route route) {
        return "Route " + route.routeKey();
    }

    private static void requireBuildOutputs(DeployConfig config) {
        for (FunctionCode f : FUNCTIONS) {
            Path jarFile = f.jarIn(config.functionsDir());
            if (!Files.isRegularFile(jarFile)) {
                throw new IllegalStateException("Lambda jar not found: " + jarFile
                        + ". Build it first, from the repository root: " + BUILD_COMMAND);
            }
            // A renamed or missing handler would deploy fine and fail on every invocation: stop here instead.
            String entry = (HANDLER_PACKAGE + f.handlerClass()).replace('.', '/') + ".class";
            try (ZipFile jar = new ZipFile(jarFile.toFile())) {
                if (jar.getEntry(entry) == null) {
                    throw new IllegalStateException(jarFile + " has no " + HANDLER_PACKAGE + f.handlerClass()
                            + ". Rebuild it from the repository root: " + BUILD_COMMAND);
                }
            } catch (IOException e) {
                throw new IllegalStateException("Lambda jar unreadable: " + jarFile + ": " + e.getMessage(), e);
            }
        }
        if (!Files.isRegularFile(config.webDist().resolve("index.html"))) {
            throw new IllegalStateException("Dashboard build not found: " + config.webDist().resolve("index.html")
                    + ". Build it first, from the repository root: " + BUILD_COMMAND);
        }
    }

    /**
     * One function, its log group and role with the function's declared grants, and the "live" alias on a
     * SnapStart-enabled version.
     */
    private Alias function(FunctionCode code, Duration timeout, Map<String, String> env) {
        String name = code.name();
        LogGroup logs = LogGroup.Builder.create(this, name + "Logs")
                .retention(retention(config.logRetentionDays()))
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
        var fn = software.amazon.awscdk.services.lambda.Function.Builder.create(this, name + "Function")
                .description("DevTime " + name.toLowerCase() + " (" + config.stage() + ")")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .code(Code.fromAsset(code.jarIn(config.functionsDir()).toString()))
                .handler(code.handler())
                .memorySize(config.memoryMb())
                .timeout(timeout)
                .environment(env)
                .role(role)
                .logGroup(logs)
                .loggingFormat(LoggingFormat.JSON)
                .applicationLogLevelV2(ApplicationLogLevel.INFO)
                .systemLogLevelV2(SystemLogLevel.WARN)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .build();
        Annotations.of(fn).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "published below: currentVersion plus the live alias");
        // currentVersion publishes a new version whenever code or configuration changes; SnapStart
        // snapshots it, and the alias moves to it.
        return Alias.Builder.create(this, name + "Live")
                .aliasName(LIVE_ALIAS)
                .version(fn.getCurrentVersion())
                .build();
    }

    private void alarms() {
        Topic topic = null;
        if (config.alarmEmail() != null) {
            topic = Topic.Builder.create(this, "AlarmTopic").enforceSsl(true).build();
            topic.addSubscription(new EmailSubscription(config.alarmEmail()));
        }
        MetricOptions fiveMinutes = MetricOptions.builder().period(Duration.minutes(5)).build();
        alarm("DeadLetterQueueNotEmpty", "Heartbeat batches reached the dead-letter queue",
                deadLetters.metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build()), topic);
        alarm("AggregatorErrors", "The aggregator function failed",
                aggregator.getLambda().metricErrors(fiveMinutes), topic);
        alarm("Api5xx", "The HTTP API answered 5xx", stage.metricServerError(fiveMinutes), topic);
    }

    /**
     * With {@code budgetEmail}: an AWS Budgets cost budget with e-mail notifications (budgets without actions
     * cost nothing). It watches the whole account's monthly cost: a tag-filtered budget would stay at $0
     * until someone activates the cost allocation tag in the Billing console, and so never warn.
     */
    private void budget() {
        if (config.budgetEmail() == null) {
            return;
        }
        List<Object> notifications = new ArrayList<>();
        // Forecast first (a runaway bill is caught mid-month), then the spend itself.
        for (String type : List.of("FORECASTED", "ACTUAL")) {
            notifications.add(CfnBudget.NotificationWithSubscribersProperty.builder()
                    .notification(CfnBudget.NotificationProperty.builder()
                            .notificationType(type).comparisonOperator("GREATER_THAN")
                            .threshold(100).thresholdType("PERCENTAGE").build())
                    .subscribers(List.of(CfnBudget.SubscriberProperty.builder()
                            .subscriptionType("EMAIL").address(config.budgetEmail()).build()))
                    .build());
        }
        CfnBudget.Builder.create(this, "Budget")
                .budget(CfnBudget.BudgetDataProperty.builder()
                        .budgetName("devtime-" + config.stage() + "-monthly")
                        .budgetType("COST")
                        .timeUnit("MONTHLY")
                        .budgetLimit(CfnBudget.SpendProperty.builder().amount(config.budgetUsd()).unit("USD").build())
                        .build())
                .notificationsWithSubscribers(notifications)
                .build();
    }

    private void alarm(String id, String description, Metric metric, Topic topic) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description + " (DevTime " + config.stage() + ")")
                .metric(metric)
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        if (topic != null) {
            alarm.addAlarmAction(new SnsAction(topic));
        }
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    /** CloudWatch accepts only these retention periods (days). */
    private static final Map<Integer, RetentionDays> RETENTION = Map.ofEntries(
            Map.entry(1, RetentionDays.ONE_DAY), Map.entry(3, RetentionDays.THREE_DAYS),
            Map.entry(5, RetentionDays.FIVE_DAYS), Map.entry(7, RetentionDays.ONE_WEEK),
            Map.entry(14, RetentionDays.TWO_WEEKS), Map.entry(30, RetentionDays.ONE_MONTH),
            Map.entry(60, RetentionDays.TWO_MONTHS), Map.entry(90, RetentionDays.THREE_MONTHS),
            Map.entry(120, RetentionDays.FOUR_MONTHS), Map.entry(150, RetentionDays.FIVE_MONTHS),
            Map.entry(180, RetentionDays.SIX_MONTHS), Map.entry(365, RetentionDays.ONE_YEAR),
            Map.entry(400, RetentionDays.THIRTEEN_MONTHS), Map.entry(545, RetentionDays.EIGHTEEN_MONTHS),
            Map.entry(731, RetentionDays.TWO_YEARS), Map.entry(1096, RetentionDays.THREE_YEARS),
            Map.entry(1827, RetentionDays.FIVE_YEARS));

    static RetentionDays retention(int days) {
        RetentionDays r = RETENTION.get(days);
        if (r == null) {
            throw new IllegalArgumentException("logRetentionDays must be one of CloudWatch's values "
                    + new java.util.TreeSet<>(RETENTION.keySet()) + ", got " + days);
        }
        return r;
    }

    /** JSON access log lines: who called which route, the answer and where the time went. */
    private static final class AccessLog implements IAccessLogSettings {
        private final IAccessLogDestination destination;

        AccessLog(IAccessLogDestination destination) {
            this.destination = destination;
        }

        @Override
        public IAccessLogDestination getDestination() {
            return destination;
        }

        @Override
        public AccessLogFormat getFormat() {
            return AccessLogFormat.custom("{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
                    + "\"requestTime\":\"$context.requestTime\",\"routeKey\":\"$context.routeKey\","
                    + "\"status\":\"$context.status\",\"responseLength\":\"$context.responseLength\","
                    + "\"latency\":\"$context.responseLatency\",\"integrationLatency\":\"$context.integrationLatency\","
                    + "\"integrationError\":\"$context.integrationErrorMessage\","
                    + "\"authorizerError\":\"$context.authorizer.error\",\"userAgent\":\"$context.identity.userAgent\"}");
        }
    }
}
