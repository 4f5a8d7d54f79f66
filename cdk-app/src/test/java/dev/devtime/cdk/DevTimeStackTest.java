package dev.devtime.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.model.api.ApiRoutes;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * Synthesizes the app once with its defaults (and once more with every option set) and checks the
 * template: what each resource must be and allow. The Lambda jar and the dashboard build are stand-ins under
 * target/, so this runs without building `functions` and `web`.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevTimeStackTest {

    static final Path STAND_INS = Path.of("target/stand-ins").toAbsolutePath();
    static final String EXTRA_ORIGIN = "http://localhost:5173";

    DevTimeStack stack;
    Template template;
    Map<String, Object> resources;
    PolicyValidationPluginReport nag;

    @BeforeAll
    void synth() throws Exception {
        createStandIns();
        long start = System.nanoTime();
        App app = app("defaults", Map.of("allowedOrigins", EXTRA_ORIGIN, "callbackUrls", EXTRA_ORIGIN + "/"));
        stack = DevTimeApp.create(app, Path.of("").toAbsolutePath());
        template = Template.fromStack(stack);
        long synthMs = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        nag = new AwsSolutionsChecks(app).validateScope(stack);
        long nagMs = (System.nanoTime() - start) / 1_000_000;
        resources = resourcesOf(template);
        System.out.printf(
                "cdk-app: synth %d ms, cdk-nag %d ms, %d resources, %d nag violations, %d acknowledged%n",
                synthMs,
                nagMs,
                resources.size(),
                nag.getViolations().size(),
                acknowledgments(stack).size());
    }

    static void createStandIns() throws Exception {
        Files.createDirectories(STAND_INS.resolve("dist"));
        Files.writeString(STAND_INS.resolve("dist/index.html"), "<!doctype html><title>DevTime</title>");
        Files.createDirectories(STAND_INS.resolve("dist/assets"));
        Files.writeString(
                STAND_INS.resolve("dist/assets/index.js"), "console.log('DevTime')\n//# sourceMappingURL=index.js.map");
        Files.writeString(
                STAND_INS.resolve("dist/assets/index.js.map"), "{\"version\":3,\"sources\":[\"../src/main.tsx\"]}");
        // The stack only checks that each handler class is in its function's jar; CDK uploads it as it is.
        writeJars(STAND_INS.resolve("functions"), f -> f.handlerClass());
    }

    /** A stand-in jar per function in {@code dir}, holding the handler class {@code handlerOf} names. */
    static void writeJars(Path dir, java.util.function.Function<DevTimeStack.FunctionCode, String> handlerOf)
            throws java.io.IOException {
        Files.createDirectories(dir);
        for (DevTimeStack.FunctionCode f : DevTimeStack.FUNCTIONS) {
            writeJar(f.jarIn(dir), List.of(handlerOf.apply(f)));
        }
    }

    static void writeJar(Path jar, List<String> handlers) throws java.io.IOException {
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            for (String h : handlers) {
                zip.putNextEntry(
                        new java.util.zip.ZipEntry((DevTimeStack.HANDLER_PACKAGE + h).replace('.', '/') + ".class"));
                zip.closeEntry();
            }
        }
    }

    /** An app writing to target/cdk.out-test/&lt;name&gt;, emptied first so runs do not pile up assets. */
    static App app(String name, Map<String, Object> context) {
        Map<String, Object> ctx = new HashMap<>(context);
        ctx.putIfAbsent("functionsDir", STAND_INS.resolve("functions").toString());
        ctx.putIfAbsent("webDist", STAND_INS.resolve("dist").toString());
        Path outdir = Path.of("target/cdk.out-test", name);
        try {
            if (Files.exists(outdir)) {
                try (var files = Files.walk(outdir)) {
                    files.sorted(java.util.Comparator.reverseOrder())
                            .forEach(f -> f.toFile().delete());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new App(AppProps.builder().outdir(outdir.toString()).context(ctx).build());
    }

    // ---------------------------------------------------------------- Lambdas

    @Test
    void fourJavaFunctionsOnArmWithSnapStartJsonLogsAndRetention() {
        Map<String, String> handlers = Map.of(
                "Ingest", "dev.devtime.functions.ingest.IngestHandler::handleRequest",
                "Aggregator", "dev.devtime.functions.aggregate.AggregatorHandler::handleRequest",
                "Query", "dev.devtime.functions.query.QueryHandler::handleRequest",
                "Account", "dev.devtime.functions.account.AccountHandler::handleRequest");
        for (var e : handlers.entrySet()) {
            Map<String, Object> p = props(ourFunction(e.getKey()));
            assertEquals(e.getValue(), p.get("Handler"));
            assertEquals("java21", p.get("Runtime"));
            assertEquals(List.of("arm64"), p.get("Architectures"));
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), p.get("SnapStart"));
            assertEquals(1024, ((Number) p.get("MemorySize")).intValue());
            Map<String, Object> logging = map(p.get("LoggingConfig"));
            assertEquals("JSON", logging.get("LogFormat"));
            String logGroup = ref(logging.get("LogGroup"));
            assertEquals(30, ((Number) props(resource(logGroup)).get("RetentionInDays")).intValue());
            assertTrue(
                    ((Number) p.get("Timeout")).intValue() <= 29 || e.getKey().equals("Aggregator"),
                    "API functions must finish inside API Gateway's 30 s");
        }
    }

    @Test
    void eachFunctionDeploysItsOwnJarHoldingItsHandler() throws Exception {
        Set<String> keys = new HashSet<>();
        for (DevTimeStack.FunctionCode f : DevTimeStack.FUNCTIONS) {
            Map<String, Object> p = props(ourFunction(f.name()));
            assertEquals(DevTimeStack.HANDLER_PACKAGE + f.handlerClass() + "::handleRequest", p.get("Handler"));
            String key = map(p.get("Code")).get("S3Key").toString();
            assertTrue(keys.add(key), f.name() + " shares its code asset with another function");
            // The staged asset is byte for byte that function's jar, and the jar holds the handler.
            Path asset = Path.of("target/cdk.out-test/defaults", "asset." + key);
            Path jar = f.jarIn(STAND_INS.resolve("functions"));
            assertEquals(-1L, Files.mismatch(asset, jar), asset + " is not " + jar);
            try (var zip = new java.util.zip.ZipFile(asset.toFile())) {
                assertNotNull(
                        zip.getEntry((DevTimeStack.HANDLER_PACKAGE + f.handlerClass()).replace('.', '/') + ".class"),
                        f.name());
            }
        }
        assertEquals(4, keys.size());
    }

    @Test
    void everyFunctionLogsIntoAnExpiringLogGroupOfThisStack() {
        find("AWS::Lambda::Function").forEach((id, r) -> {
            if (id.startsWith("CustomS3AutoDeleteObjects")) {
                return; // CDK's raw provider takes no log group; it runs only when the stack is deleted
            }
            Object logging = props(r).get("LoggingConfig");
            assertNotNull(logging, id + " would log into a group nobody deletes");
            Map<String, Object> group = props(resource(ref(map(logging).get("LogGroup"))));
            assertTrue(((Number) group.get("RetentionInDays")).intValue() > 0, id);
        });
    }

    @Test
    void environmentCarriesOnlyWhatEachHandlerReads() {
        for (String fn : List.of("Ingest", "Aggregator", "Query", "Account")) {
            Map<String, Object> env =
                    map(map(props(ourFunction(fn)).get("Environment")).get("Variables"));
            Set<String> expected = new TreeSet<>(Set.of("TABLE_NAME", "RAW_RETENTION_DAYS", "JAVA_TOOL_OPTIONS"));
            if (!fn.equals("Aggregator")) {
                // The aggregator is built without a token verifier (AggregatorHandler): no JWT settings.
                expected.addAll(Set.of("JWT_ISSUER", "JWT_AUDIENCE", "JWT_SCOPE"));
                assertEquals(Map.of("Ref", logicalId("AWS::Cognito::UserPoolClient")), env.get("JWT_AUDIENCE"));
                assertTrue(json(env.get("JWT_ISSUER")).contains("https://cognito-idp."));
                assertEquals("devtime/api", env.get("JWT_SCOPE"), "the scope the JWT authorizer requires");
            }
            if (!fn.equals("Query")) {
                expected.add("QUEUE_URL");
            }
            assertEquals(expected, new TreeSet<>(env.keySet()), fn);
            assertEquals(Map.of("Ref", logicalId("AWS::DynamoDB::GlobalTable")), env.get("TABLE_NAME"));
            assertEquals("365", env.get("RAW_RETENTION_DAYS"));
        }
    }

    @Test
    void everyEnvironmentVariableIsReadBySomeFunction() throws Exception {
        // The functions' sources are the reference: a variable no handler reads is configuration that lies.
        String sources;
        try (var files = Files.walk(Path.of("../functions/src/main/java"))) {
            sources = files.filter(f -> f.toString().endsWith(".java"))
                    .map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .collect(Collectors.joining("\n"));
        }
        for (String fn : List.of("Ingest", "Aggregator", "Query", "Account")) {
            Map<String, Object> env =
                    map(map(props(ourFunction(fn)).get("Environment")).get("Variables"));
            for (String name : env.keySet()) {
                assertTrue(
                        name.equals("JAVA_TOOL_OPTIONS") || sources.contains("\"" + name + "\""),
                        fn + " sets " + name + ", which no handler reads");
            }
        }
    }

    @Test
    void apiAndEventSourceInvokeTheLiveAliasOfAPublishedVersion() {
        Map<String, String> aliasByFunction = new HashMap<>();
        find("AWS::Lambda::Alias").forEach((id, r) -> {
            Map<String, Object> p = props(r);
            assertEquals(DevTimeStack.LIVE_ALIAS, p.get("Name"));
            String version = getAttTarget(p.get("FunctionVersion"));
            assertEquals("AWS::Lambda::Version", type(version));
            assertEquals(p.get("FunctionName"), props(resource(version)).get("FunctionName"));
            assertTrue(!p.containsKey("ProvisionedConcurrencyConfig"), "provisioned concurrency bills while idle");
            aliasByFunction.put(ref(p.get("FunctionName")), id);
        });
        assertEquals(4, aliasByFunction.size());

        Set<String> integrated = new HashSet<>();
        find("AWS::ApiGatewayV2::Integration").forEach((id, r) -> {
            String target = ref(props(r).get("IntegrationUri"));
            assertEquals("AWS::Lambda::Alias", type(target), "integrations must call the alias, not $LATEST");
            integrated.add(target);
        });
        Set<ApiRoutes.Function> routed =
                ApiRoutes.all().stream().map(ApiRoutes.Route::function).collect(Collectors.toSet());
        assertEquals(routed.size(), integrated.size());

        // Every invoke permission names the alias, so API Gateway may call only the snapshotted version;
        // one per function (not per route), limited to this API.
        Set<String> permitted = new HashSet<>();
        find("AWS::Lambda::Permission").forEach((id, r) -> {
            Map<String, Object> p = props(r);
            if ("apigateway.amazonaws.com".equals(p.get("Principal"))) {
                assertTrue(permitted.add(ref(p.get("FunctionName"))), "second permission for " + p.get("FunctionName"));
                assertEquals("AWS::Lambda::Alias", type(ref(p.get("FunctionName"))), id);
                assertTrue(
                        json(p.get("SourceArn")).contains("{\"Ref\":\"" + logicalId("AWS::ApiGatewayV2::Api") + "\"}"),
                        id + " must be limited to this API");
            }
        });
        assertEquals(integrated, permitted);

        Map<String, Object> esm = props(only("AWS::Lambda::EventSourceMapping"));
        String fnName = json(esm.get("FunctionName"));
        assertTrue(
                fnName.contains(aliasByFunction.get(logicalIdOf("Aggregator"))) && fnName.endsWith(":live\"]]}"),
                fnName);
    }

    @Test
    void eventSourceMappingBatchesReportsPartialFailuresAndCapsConcurrency() {
        Map<String, Object> esm = props(only("AWS::Lambda::EventSourceMapping"));
        assertEquals(getAtt(mainQueue(), "Arn"), esm.get("EventSourceArn"));
        assertEquals(List.of("ReportBatchItemFailures"), esm.get("FunctionResponseTypes"));
        assertTrue(((Number) esm.get("MaximumBatchingWindowInSeconds")).intValue() > 0);
        assertTrue(((Number) esm.get("BatchSize")).intValue() > 10);
        int maxConcurrency = ((Number) map(esm.get("ScalingConfig")).get("MaximumConcurrency")).intValue();
        assertTrue(maxConcurrency >= 2 && maxConcurrency <= 10, "max concurrency " + maxConcurrency);
    }

    // ---------------------------------------------------------------- SQS

    @Test
    void queueHasADeadLetterQueueAndOutlastsTheAggregator() {
        Map<String, Object> q = props(resource(mainQueue()));
        Map<String, Object> redrive = map(q.get("RedrivePolicy"));
        assertTrue(((Number) redrive.get("maxReceiveCount")).intValue() >= 5);
        String dlq = getAttTarget(redrive.get("deadLetterTargetArn"));
        assertEquals("AWS::SQS::Queue", type(dlq));
        int aggregatorTimeout = ((Number) props(ourFunction("Aggregator")).get("Timeout")).intValue();
        int batchWindow = ((Number)
                        props(only("AWS::Lambda::EventSourceMapping")).get("MaximumBatchingWindowInSeconds"))
                .intValue();
        assertTrue(((Number) q.get("VisibilityTimeout")).intValue() >= 6 * aggregatorTimeout + batchWindow);
        for (String queue : List.of(mainQueue(), dlq)) {
            assertEquals(true, props(resource(queue)).get("SqsManagedSseEnabled"));
            assertTrue(deniesInsecureTransport(queue), queue + " needs an SSL-only queue policy");
        }
    }

    private boolean deniesInsecureTransport(String queue) {
        for (Object r : find("AWS::SQS::QueuePolicy").values()) {
            Map<String, Object> p = props(r);
            if (!p.get("Queues").equals(List.of(Map.of("Ref", queue)))) {
                continue;
            }
            for (Object s : list(map(p.get("PolicyDocument")).get("Statement"))) {
                Map<String, Object> st = map(s);
                if ("Deny".equals(st.get("Effect"))
                        && json(st.get("Condition")).contains("\"aws:SecureTransport\":\"false\"")) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- DynamoDB and grants

    @Test
    void tableIsOnDemandWithPitrTtlAndOnlyItsKeys() {
        Map<String, Object> t = props(only("AWS::DynamoDB::GlobalTable"));
        assertEquals("PAY_PER_REQUEST", t.get("BillingMode"));
        assertEquals(
                List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                t.get("KeySchema"));
        assertFalse(t.containsKey("GlobalSecondaryIndexes") || t.containsKey("LocalSecondaryIndexes"));
        assertEquals(Map.of("AttributeName", "ttl", "Enabled", true), t.get("TimeToLiveSpecification"));
        Map<String, Object> replica = map(list(t.get("Replicas")).get(0));
        assertEquals(Map.of("PointInTimeRecoveryEnabled", true), replica.get("PointInTimeRecoverySpecification"));
        assertEquals("Retain", map(only("AWS::DynamoDB::GlobalTable")).get("DeletionPolicy"));
    }

    @Test
    void noWildcardActionsAndNoStarResourcesAnywhere() {
        for (var e : resources.entrySet()) {
            for (Map<String, Object> st : allStatements(e.getValue())) {
                if ("Deny".equals(st.get("Effect"))) {
                    continue; // a broad deny (the SSL-only queue policies) only takes rights away
                }
                for (String action : strings(st.get("Action"))) {
                    assertFalse(action.equals("*") || action.endsWith(":*"), e.getKey() + " grants " + action);
                    if (action.startsWith("dynamodb:") || action.startsWith("sqs:")) {
                        assertFalse(action.contains("*"), e.getKey() + " grants " + action);
                    }
                }
                assertFalse(
                        st.containsKey("Resource")
                                && strings(st.get("Resource")).contains("*"),
                        e.getKey() + " has Resource: *");
            }
        }
    }

    // ---------------------------------------------------------------- HTTP API

    @Test
    void oneRouteForEveryEntryOfTheRouteTableWithItsHandlerAndAuthorizer() {
        assertRoutesFollow(template, ApiRoutes.all());
    }

    @Test
    void corsIsLimitedToTheDashboardAndConfiguredOrigins() {
        Map<String, Object> cors = map(props(only("AWS::ApiGatewayV2::Api")).get("CorsConfiguration"));
        List<Object> origins = list(cors.get("AllowOrigins"));
        assertEquals(2, origins.size());
        assertTrue(json(origins.get(0)).contains("https://main.")
                && json(origins.get(0)).contains("DefaultDomain"));
        assertEquals(EXTRA_ORIGIN, origins.get(1));
        assertFalse(origins.contains("*"));
        assertTrue(strings(cors.get("AllowHeaders")).contains("Authorization"));
        assertEquals(List.of("X-Next-Cursor", "Retry-After"), strings(cors.get("ExposeHeaders")));
    }

    @Test
    void defaultStageThrottlesAndWritesJsonAccessLogs() {
        Map<String, Object> stage = props(only("AWS::ApiGatewayV2::Stage"));
        assertEquals("$default", stage.get("StageName"), "no stage segment: handlers route on the table's paths");
        assertEquals(true, stage.get("AutoDeploy"));
        Map<String, Object> throttle = map(stage.get("DefaultRouteSettings"));
        // Sized for a team (DeployConfig explains the numbers), not for a bill: 10 a second, bursts of 50.
        assertEquals(10, ((Number) throttle.get("ThrottlingRateLimit")).intValue());
        assertEquals(50, ((Number) throttle.get("ThrottlingBurstLimit")).intValue());
        Map<String, Object> logs = map(stage.get("AccessLogSettings"));
        assertEquals("AWS::Logs::LogGroup", type(getAttTarget(logs.get("DestinationArn"))));
        Map<?, ?> line = parse(logs.get("Format").toString());
        assertEquals("$context.status", line.get("status"));
        assertEquals("$context.routeKey", line.get("routeKey"));
    }

    // ---------------------------------------------------------------- Cognito

    @Test
    void userPoolSignsInByEmailWithPasswordPolicyAndOptionalMfa() {
        Map<String, Object> pool = props(only("AWS::Cognito::UserPool"));
        assertEquals(List.of("email"), pool.get("UsernameAttributes"));
        assertEquals("OPTIONAL", pool.get("MfaConfiguration"));
        assertEquals(List.of("SOFTWARE_TOKEN_MFA"), pool.get("EnabledMfas"));
        Map<String, Object> pw = map(map(pool.get("Policies")).get("PasswordPolicy"));
        assertTrue(((Number) pw.get("MinimumLength")).intValue() >= 12);
        for (String k : List.of("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols")) {
            assertEquals(true, pw.get(k), k);
        }
        assertEquals(
                true,
                map(pool.get("AdminCreateUserConfig")).get("AllowAdminCreateUserOnly"),
                "self sign-up is off by default");
        assertEquals(
                "devtime", props(only("AWS::Cognito::UserPoolResourceServer")).get("Identifier"));
        assertNotNull(props(only("AWS::Cognito::UserPoolDomain")).get("Domain"));
    }

    @Test
    void dashboardClientIsPublicWithCodeFlowAndConfiguredCallbacks() {
        Map<String, Object> c = props(only("AWS::Cognito::UserPoolClient"));
        assertEquals(false, c.get("GenerateSecret"));
        assertEquals(List.of("code"), c.get("AllowedOAuthFlows"));
        assertEquals(List.of("openid", "email", "devtime/api"), c.get("AllowedOAuthScopes"));
        List<Object> callbacks = list(c.get("CallbackURLs"));
        assertEquals(2, callbacks.size());
        assertTrue(json(callbacks.get(0)).contains("DefaultDomain"));
        assertEquals(EXTRA_ORIGIN + "/", callbacks.get(1));
        assertEquals(callbacks, c.get("LogoutURLs"));
    }

    // ---------------------------------------------------------------- Amplify

    @Test
    void dashboardIsAnAmplifyAppWithoutGitDeployedFromTheStagingPrefix() {
        Map<String, Object> app = props(only("AWS::Amplify::App"));
        assertEquals("WEB", app.get("Platform"));
        assertFalse(app.containsKey("Repository"), "no Git connection");
        assertEquals("/index.html", map(list(app.get("CustomRules")).get(0)).get("Target"));
        Map<String, Object> branch = props(only("AWS::Amplify::Branch"));
        assertEquals(false, branch.get("EnableAutoBuild"));

        Map<String, Object> deployment = props(only("Custom::AmplifyDeployment"));
        assertEquals(Map.of("Fn::GetAtt", List.of(logicalId("AWS::Amplify::App"), "AppId")), deployment.get("AppId"));
        assertEquals("main", deployment.get("BranchName"));
        assertEquals("s3://{Ref:" + logicalId("AWS::S3::Bucket") + "}/site/", resolveJoin(deployment.get("SourceUrl")));
        // Redeploys whenever the dist or the config changes.
        String revision = json(deployment.get("Revision"));
        assertTrue(revision.contains("apiUrl") && revision.contains("clientId"), revision);

        Map<String, Object> bucketPolicy = props(only("AWS::S3::BucketPolicy"));
        String policy = json(bucketPolicy.get("PolicyDocument"));
        assertTrue(policy.contains("amplify.amazonaws.com") && policy.contains("%2Fbranches%2Fmain"), policy);
    }

    @Test
    void stackWaitsForTheAmplifyJobWithinATotalTimeout() {
        // The provider's onEvent starts the job; its isComplete handler is polled by a waiter state machine.
        String onEvent = inlineCode("StartDeployment");
        assertTrue(onEvent.contains("StartDeploymentCommand") && onEvent.contains("BUCKET_PREFIX"), onEvent);
        String isComplete = inlineCode("WaitForJob");
        assertTrue(isComplete.contains("GetJobCommand") && isComplete.contains("throw new Error"), isComplete);
        String machine = json(props(only("AWS::StepFunctions::StateMachine")).get("DefinitionString"));
        // 15 s between polls, 60 polls: a job still running after 15 minutes fails the stack.
        assertTrue(
                machine.contains("\\\"IntervalSeconds\\\":15") && machine.contains("\\\"MaxAttempts\\\":60"), machine);
        for (String handler : List.of("StartDeployment", "WaitForJob")) {
            String policy = json(props(policyOf(handler)).get("PolicyDocument"));
            String action = handler.equals("StartDeployment") ? "amplify:StartDeployment" : "amplify:GetJob";
            assertTrue(policy.contains(action) && policy.contains("/jobs/*"), policy);
        }
    }

    @Test
    void theJobWaiterSucceedsWaitsAndFailsAsAmplifyAnswers() throws Exception {
        assertEquals(Map.of("IsComplete", true), runWaiter("SUCCEED"));
        assertEquals(Map.of("IsComplete", false), runWaiter("RUNNING"));
        assertEquals(Map.of("IsComplete", false), runWaiter("PENDING"));
        Map<String, Object> failed = runWaiter("FAILED");
        assertTrue(
                failed.get("error").toString().contains("ended FAILED: DEPLOY: FAILED (Access Denied)"),
                failed.toString());
        assertTrue(runWaiter("CANCELLED").get("error").toString().contains("ended CANCELLED"));
    }

    @Test
    void sourceMapsAreNotShippedToAmplify() throws Exception {
        Map<String, Object> copy = props(only("Custom::CDKBucketDeployment"));
        String distAsset = list(copy.get("SourceObjectKeys")).get(0).toString().replace(".zip", "");
        Path staged = Path.of(((App) stack.getNode().getRoot()).getOutdir()).resolve("asset." + distAsset);
        assertTrue(Files.isRegularFile(staged.resolve("index.html")), "the dist is staged: " + staged);
        assertTrue(Files.isRegularFile(staged.resolve("assets/index.js")));
        try (var files = Files.walk(staged)) {
            assertEquals(
                    List.of(), files.filter(f -> f.toString().endsWith(".map")).toList());
        }
    }

    @Test
    void noBudgetUnlessABudgetEmailIsGiven() {
        assertTrue(find("AWS::Budgets::Budget").isEmpty());
    }

    @Test
    void configJsonIsWrittenIntoTheDeploymentWithDeployTimeValues() throws Exception {
        Map<String, Object> copy = props(only("Custom::CDKBucketDeployment"));
        assertEquals("site/", copy.get("DestinationBucketKeyPrefix"));
        List<Object> keys = list(copy.get("SourceObjectKeys"));
        List<Object> markers = list(copy.get("SourceMarkers"));
        assertEquals(2, keys.size(), "the dist and config.json");
        String configAsset = keys.get(1).toString().replace(".zip", "");
        Path outdir = Path.of(stack.getNode().getRoot() instanceof App a ? a.getOutdir() : "");
        // Each marker stands for a whole JSON value (quotes included) that the deployment fills in.
        String raw = Files.readString(outdir.resolve("asset." + configAsset).resolve("config.json"));
        Map<?, ?> config = parse(raw.replaceAll("(<<marker:0xbaba:\\d+>>)", "\"$1\""));
        Map<String, Object> values = map(markers.get(1));
        // The shape docs/api.md promises the dashboard, with each marker bound to the deployed resource.
        assertEquals(Set.of("apiUrl", "oidc"), config.keySet());
        Map<?, ?> oidc = (Map<?, ?>) config.get("oidc");
        assertEquals("openid email devtime/api", oidc.get("scope"));
        assertTrue(json(values.get(config.get("apiUrl").toString())).contains("ApiEndpoint"));
        assertTrue(json(values.get(oidc.get("authority").toString())).contains("https://cognito-idp."));
        assertTrue(
                json(values.get(oidc.get("clientId").toString())).contains(logicalId("AWS::Cognito::UserPoolClient")));
        // Sign-out goes to the hosted domain's /logout, not to the issuer.
        String domain = json(values.get(oidc.get("domain").toString()));
        assertTrue(
                domain.contains(logicalId("AWS::Cognito::UserPoolDomain")) && domain.contains("amazoncognito.com"),
                domain);
    }

    // ---------------------------------------------------------------- alarms, outputs, idle cost

    @Test
    void alarmsWatchTheDeadLetterQueueAggregatorErrorsAndApi5xx() {
        Map<String, String> metrics = new HashMap<>();
        find("AWS::CloudWatch::Alarm").values().forEach(r -> {
            Map<String, Object> p = props(r);
            metrics.put(p.get("MetricName").toString(), json(p.get("Dimensions")));
            assertEquals("notBreaching", p.get("TreatMissingData"));
        });
        assertEquals(Set.of("ApproximateNumberOfMessagesVisible", "Errors", "5xx"), metrics.keySet());
        String dlq = getAttTarget(
                map(props(resource(mainQueue())).get("RedrivePolicy")).get("deadLetterTargetArn"));
        assertTrue(metrics.get("ApproximateNumberOfMessagesVisible").contains(dlq));
        assertTrue(metrics.get("Errors").contains(logicalIdOf("Aggregator")));
        assertTrue(metrics.get("5xx").contains(logicalId("AWS::ApiGatewayV2::Api")));
    }

    @Test
    void outputsNameTheApiDashboardAndSignInUrls() {
        Map<String, Map<String, Object>> outputs = template.findOutputs("*");
        assertTrue(
                outputs.keySet().containsAll(Set.of("ApiUrl", "DashboardUrl", "SignInUrl")),
                outputs.keySet().toString());
        String signIn = json(outputs.get("SignInUrl").get("Value"));
        assertTrue(
                signIn.contains("amazoncognito.com/login?client_id=") && signIn.contains("response_type=code"), signIn);
    }

    /**
     * The resources that hold data or that people point at keep the logical ids deployed stacks have: a new
     * id makes CloudFormation create a new resource and delete (or, retained, orphan) the old one.
     */
    @Test
    void statefulResourcesKeepTheLogicalIdsOfDeployedStacks() {
        for (String id : List.of(
                "TableCD117FA1",
                "UserPool6BA7E5F2",
                "UserPoolDashboardClient5D273132",
                "UserPoolHostedDomainE2BAC752",
                "UserPoolResourceServer05D1463A",
                "HeartbeatQueueE8BF0E7E",
                "DeadLetterQueue9F481546",
                "HttpApiF5A9A8A7",
                "HttpApiDefaultStage3EEB07D6",
                "IngestFunction4B2F2EB2",
                "AggregatorFunction2682E9E9",
                "QueryFunctionBDF4DE5B",
                "AccountFunction02F781F8",
                "AggregatorLiveSqsEventSourceDevTimeprodHeartbeatQueueB09CE51E782FCF38",
                "DashboardApp17C71915")) {
            assertTrue(resources.containsKey(id), id + " is gone; logical ids: " + new TreeSet<>(resources.keySet()));
        }
        assertTrue(
                resources.keySet().stream().anyMatch(k -> k.startsWith("IngestFunctionCurrentVersion377813AE")),
                "the version keeps its id's prefix (CDK appends the code's hash)");
    }

    @Test
    void nothingBillsWhileIdle() {
        Set<String> types = resources.values().stream()
                .map(r -> map(r).get("Type").toString())
                .collect(Collectors.toSet());
        for (String forbidden : List.of(
                "AWS::EC2::NatGateway",
                "AWS::KMS::Key",
                "AWS::WAFv2::WebACL",
                "AWS::WAFv2::WebACLAssociation",
                "AWS::EC2::VPC",
                "AWS::Lambda::EventInvokeConfig")) {
            assertFalse(types.contains(forbidden), forbidden);
        }
        for (Object r : find("AWS::Lambda::Alias").values()) {
            assertFalse(props(r).containsKey("ProvisionedConcurrencyConfig"));
        }
        assertFalse(json(only("AWS::Cognito::UserPool")).contains("SmsConfiguration"), "SMS bills per message");
    }

    // ---------------------------------------------------------------- cdk-nag

    @Test
    void cdkNagAwsSolutionsHasNoUnacknowledgedFinding() {
        List<String> found = new ArrayList<>();
        for (PolicyViolation v : nag.getViolations()) {
            v.getViolatingResources().forEach(r -> found.add(v.getRuleName() + " at " + r.getConstructPath()));
        }
        assertEquals(List.of(), found);
        assertTrue(nag.getSuccess());
    }

    @Test
    void everyAcknowledgmentCarriesAReason() {
        List<Map<String, Object>> acks = acknowledgments(stack);
        assertFalse(acks.isEmpty());
        for (Map<String, Object> a : acks) {
            assertTrue(a.get("id").toString().startsWith("AwsSolutions-"), a.toString());
            assertTrue(a.get("reason") != null && a.get("reason").toString().length() > 30, "reason too thin: " + a);
        }
    }

    // ---------------------------------------------------------------- build outputs and options

    @Test
    void cdkJsonBuildsWhatTheDeployNeedsWithPlainMavenThenSynthesizes() throws Exception {
        String app = parse(Files.readString(Path.of("cdk.json"))).get("app").toString();
        // Maven from the repository root (cdk runs the app in cdk-app/), then the app; `&&` means the same
        // in sh and cmd.exe, and nothing else (flock, a shell script) would run on macOS or Windows.
        assertEquals(
                DevTimeStack.BUILD_COMMAND.replace("mvn ", "mvn -f ../pom.xml ")
                        + " && java -jar target/devtime-cdk-app.jar",
                app);
        assertFalse(app.contains("flock") || app.contains(".sh") || app.contains(";"), app);
        // The reactor it names: only the deployed parts (shared-model comes with -am).
        assertTrue(DevTimeStack.BUILD_COMMAND.endsWith("-pl functions,web,cdk-app -am"));
    }

    @Test
    void missingLambdaJarFailsWithTheBuildCommand() {
        App app = app("no-jar", Map.of("functionsDir", STAND_INS.resolve("nope").toString()));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class,
                () -> DevTimeApp.create(app, Path.of("").toAbsolutePath()));
        assertTrue(
                e.getMessage()
                                .contains(STAND_INS
                                        .resolve("nope/devtime-ingest.jar")
                                        .toString())
                        && e.getMessage().contains(DevTimeStack.BUILD_COMMAND),
                e.getMessage());
    }

    @Test
    void jarWithoutAHandlerFailsNamingTheHandler() throws Exception {
        // The account jar holds the query handler: a mix-up in the build's per-function jar list.
        Path dir = STAND_INS.resolve("mixed-up");
        writeJars(dir, f -> f == DevTimeStack.ACCOUNT ? DevTimeStack.QUERY.handlerClass() : f.handlerClass());
        App app = app("old-jar", Map.of("functionsDir", dir.toString()));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class,
                () -> DevTimeApp.create(app, Path.of("").toAbsolutePath()));
        assertTrue(
                e.getMessage().contains("devtime-account.jar has no dev.devtime.functions.account.AccountHandler"),
                e.getMessage());
    }

    @Test
    void missingDashboardBuildFailsWithTheBuildCommand() {
        App app = app("no-dist", Map.of("webDist", STAND_INS.resolve("no-dist").toString()));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class,
                () -> DevTimeApp.create(app, Path.of("").toAbsolutePath()));
        assertTrue(
                e.getMessage().contains("no-dist") && e.getMessage().contains(DevTimeStack.BUILD_COMMAND),
                e.getMessage());
    }

    /** A second synth with every option set and a JWT route with a path parameter, which the table may not have yet. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithEveryOption {
        final ApiRoutes.Route jwtRoute =
                new ApiRoutes.Route("DELETE", "/api/test-only/{id}", ApiRoutes.Function.ACCOUNT, ApiRoutes.Auth.JWT);
        List<ApiRoutes.Route> routes;
        Template t;
        PolicyValidationPluginReport report;

        @BeforeAll
        void synth() {
            routes = new ArrayList<>(ApiRoutes.all());
            routes.add(jwtRoute);
            App app = app(
                    "every-option",
                    Map.ofEntries(
                            Map.entry("stage", "dev"),
                            Map.entry("domainName", "devtime.example.com"),
                            Map.entry("certificateArn", "arn:aws:acm:eu-west-1:111122223333:certificate/abc"),
                            Map.entry("alarmEmail", "ops@example.com"),
                            Map.entry("selfSignUp", "true"),
                            Map.entry("retainData", "false"),
                            Map.entry("rawRetentionDays", "90"),
                            Map.entry("logRetentionDays", "14"),
                            Map.entry("budgetEmail", "billing@example.com"),
                            Map.entry("budgetUsd", "25"),
                            Map.entry("throttleRate", "20"),
                            Map.entry("throttleBurst", "80")));
            DeployConfig config = DeployConfig.fromContext(
                    k -> app.getNode().tryGetContext(k), Path.of("").toAbsolutePath());
            DevTimeStack s =
                    new DevTimeStack(app, "DevTime-dev", StackProps.builder().build(), config, routes);
            t = Template.fromStack(s);
            report = new AwsSolutionsChecks(app).validateScope(s);
        }

        @Test
        void jwtRoutesSitBehindTheCognitoAuthorizerWithTheApiScope() {
            assertRoutesFollow(t, routes);
            Map<String, Object> auth = props(first(t, "AWS::ApiGatewayV2::Authorizer"));
            assertEquals("JWT", auth.get("AuthorizerType"));
            Map<String, Object> jwt = map(auth.get("JwtConfiguration"));
            assertTrue(json(jwt.get("Issuer")).contains("https://cognito-idp."));
            assertEquals(List.of(Map.of("Ref", firstId(t, "AWS::Cognito::UserPoolClient"))), jwt.get("Audience"));
        }

        @Test
        void customDomainMapsTheApiAndTheDashboard() {
            Map<String, Object> dn = props(first(t, "AWS::ApiGatewayV2::DomainName"));
            assertEquals("api.devtime.example.com", dn.get("DomainName"));
            assertEquals(1, t.findResources("AWS::ApiGatewayV2::ApiMapping").size());
            assertEquals(
                    "devtime.example.com",
                    props(first(t, "AWS::Amplify::Domain")).get("DomainName"));
            assertEquals(
                    "https://api.devtime.example.com",
                    t.findOutputs("ApiUrl").get("ApiUrl").get("Value"));
            assertTrue(t.findOutputs("*").containsKey("ApiDomainTarget"), "the DNS target is printed after deploy");
            assertTrue(json(props(first(t, "AWS::Cognito::UserPoolClient")).get("CallbackURLs"))
                    .contains("https://devtime.example.com/"));
        }

        @Test
        void alarmsNotifyTheEmailAndDataIsNotRetained() {
            String topic = firstId(t, "AWS::SNS::Topic");
            assertEquals(
                    "ops@example.com", props(first(t, "AWS::SNS::Subscription")).get("Endpoint"));
            t.findResources("AWS::CloudWatch::Alarm")
                    .values()
                    .forEach(a -> assertEquals(List.of(Map.of("Ref", topic)), props(a).get("AlarmActions")));
            assertEquals("Delete", map(first(t, "AWS::DynamoDB::GlobalTable")).get("DeletionPolicy"));
            assertEquals("Delete", map(first(t, "AWS::Cognito::UserPool")).get("DeletionPolicy"));
            assertEquals(
                    false,
                    map(props(first(t, "AWS::Cognito::UserPool")).get("AdminCreateUserConfig"))
                            .get("AllowAdminCreateUserOnly"));
        }

        @Test
        void budgetEmailsForecastAndSpendOverTheMonthlyLimit() {
            Map<String, Object> b = props(first(t, "AWS::Budgets::Budget"));
            Map<String, Object> budget = map(b.get("Budget"));
            assertEquals("COST", budget.get("BudgetType"));
            assertEquals("MONTHLY", budget.get("TimeUnit"));
            assertEquals(Map.of("Amount", 25, "Unit", "USD"), budget.get("BudgetLimit"));
            Set<String> types = new TreeSet<>();
            for (Object n : list(b.get("NotificationsWithSubscribers"))) {
                Map<String, Object> notification = map(map(n).get("Notification"));
                types.add(notification.get("NotificationType").toString());
                assertEquals(100, ((Number) notification.get("Threshold")).intValue());
                assertEquals(
                        List.of(Map.of("SubscriptionType", "EMAIL", "Address", "billing@example.com")),
                        map(n).get("Subscribers"));
            }
            assertEquals(Set.of("ACTUAL", "FORECASTED"), types);
        }

        @Test
        void throttlingFollowsTheOptions() {
            Map<String, Object> throttle =
                    map(props(first(t, "AWS::ApiGatewayV2::Stage")).get("DefaultRouteSettings"));
            assertEquals(20, ((Number) throttle.get("ThrottlingRateLimit")).intValue());
            assertEquals(80, ((Number) throttle.get("ThrottlingBurstLimit")).intValue());
        }

        @Test
        void cdkNagStillPasses() {
            List<String> found = new ArrayList<>();
            for (PolicyViolation v : report.getViolations()) {
                v.getViolatingResources().forEach(r -> found.add(v.getRuleName() + " at " + r.getConstructPath()));
            }
            assertEquals(List.of(), found);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Every route of the table exists once, calls its function's alias and has the table's authorizer. */
    static void assertRoutesFollow(Template t, List<ApiRoutes.Route> routes) {
        Map<String, Map<String, Object>> byKey = new HashMap<>();
        t.findResources("AWS::ApiGatewayV2::Route").values().forEach(r -> {
            Map<String, Object> p = props(r);
            assertTrue(byKey.put(p.get("RouteKey").toString(), p) == null, "duplicate route " + p.get("RouteKey"));
        });
        assertEquals(routes.stream().map(ApiRoutes.Route::routeKey).collect(Collectors.toSet()), byKey.keySet());
        Map<String, Map<String, Object>> all = resourcesOfTyped(t);
        for (ApiRoutes.Route route : routes) {
            Map<String, Object> p = byKey.get(route.routeKey());
            String integration = json(p.get("Target")).replaceAll(".*\\{\"Ref\":\"([^\"]+)\"}.*", "$1");
            String alias = ref(props(all.get(integration)).get("IntegrationUri"));
            String function = ref(props(all.get(alias)).get("FunctionName"));
            String handler = props(all.get(function)).get("Handler").toString();
            String pkg = switch (route.function()) {
                case INGEST -> ".ingest.IngestHandler::";
                case QUERY -> ".query.QueryHandler::";
                case ACCOUNT -> ".account.AccountHandler::";
            };
            assertTrue(handler.contains(pkg), route + " -> " + handler);
            if (route.auth() == ApiRoutes.Auth.JWT) {
                assertEquals("JWT", p.get("AuthorizationType"), route.toString());
                assertEquals(
                        "AWS::ApiGatewayV2::Authorizer",
                        map(all.get(ref(p.get("AuthorizerId")))).get("Type"));
                assertEquals(List.of("devtime/api"), p.get("AuthorizationScopes"));
            } else {
                assertEquals("NONE", p.get("AuthorizationType"), route.toString());
                assertFalse(p.containsKey("AuthorizerId"));
            }
        }
    }

    static List<Map<String, Object>> acknowledgments(IConstruct root) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (IConstruct c : root.getNode().findAll()) {
            for (var entry : c.getNode().getMetadata()) {
                if (Validations.ACKNOWLEDGED_RULES_METADATA_KEY.equals(entry.getType())) {
                    // One metadata entry per acknowledgment: {"Annotation::<rule id>": "<reason>"}.
                    map(entry.getData())
                            .forEach((k, v) -> out.add(Map.of(
                                    "id",
                                    k.replaceFirst("^Annotation::", ""),
                                    "reason",
                                    v == null ? "" : v.toString())));
                }
            }
        }
        return out;
    }

    private Map<String, Object> ourFunction(String name) {
        return resource(logicalIdOf(name));
    }

    private String logicalIdOf(String functionName) {
        return find("AWS::Lambda::Function").keySet().stream()
                .filter(k -> k.startsWith(functionName + "Function"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no function " + functionName));
    }

    private String mainQueue() {
        return find("AWS::SQS::Queue").entrySet().stream()
                .filter(e -> props(e.getValue()).containsKey("RedrivePolicy"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }

    private static List<Map<String, Object>> allStatements(Object resource) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> p = props(resource);
        for (String key : List.of("PolicyDocument", "AssumeRolePolicyDocument")) {
            if (p.get(key) instanceof Map<?, ?> doc && !key.equals("AssumeRolePolicyDocument")) {
                list(doc.get("Statement")).forEach(s -> out.add(map(s)));
            }
        }
        if (p.get("Policies") instanceof List<?> policies) {
            policies.forEach(x ->
                    list(map(map(x).get("PolicyDocument")).get("Statement")).forEach(s -> out.add(map(s))));
        }
        return out;
    }

    /** The inline Node.js code of one of the dashboard deployment's handlers ({@code Dashboard.handler}). */
    private String inlineCode(String handler) {
        return resolveJoin(
                map(props(resource(logicalIdStartingWith("Dashboard" + handler + "Function", "AWS::Lambda::Function")))
                                .get("Code"))
                        .get("ZipFile"));
    }

    private Object policyOf(String handler) {
        return resource(logicalIdStartingWith("Dashboard" + handler + "RoleDefaultPolicy", "AWS::IAM::Policy"));
    }

    private String logicalIdStartingWith(String prefix, String type) {
        List<String> ids =
                find(type).keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        assertEquals(1, ids.size(), prefix + " among " + find(type).keySet());
        return ids.get(0);
    }

    /**
     * Runs the job waiter's inline code under node with a stand-in for the AWS SDK's Amplify client that
     * answers GetJob with {@code status}: its return value, or the error it throws.
     */
    private Map<String, Object> runWaiter(String status) throws Exception {
        Path dir = Files.createTempDirectory(STAND_INS, "waiter");
        Path sdk = Files.createDirectories(dir.resolve("node_modules/@aws-sdk/client-amplify"));
        Files.writeString(
                sdk.resolve("index.js"),
                String.join(
                        "\n",
                        "class GetJobCommand { constructor(input) { this.input = input; } }",
                        "class AmplifyClient { async send(c) {",
                        "  if (!(c instanceof GetJobCommand) || c.input.jobId !== '7' || c.input.appId !== 'app1') throw new Error('bad call');",
                        "  return { job: { summary: { status: process.env.STATUS }, steps: [{ stepName: 'DEPLOY', status: process.env.STATUS,",
                        "    statusReason: process.env.STATUS === 'FAILED' ? 'Access Denied' : undefined }] } }; } }",
                        "module.exports = { AmplifyClient, GetJobCommand };"));
        Files.writeString(dir.resolve("index.js"), inlineCode("WaitForJob"));
        Files.writeString(
                dir.resolve("run.js"),
                String.join(
                        "\n",
                        "require('./index.js').handler({ RequestType: 'Update', ResourceProperties: { AppId: 'app1', BranchName: 'main' },",
                        "  Data: { JobId: '7' } }).then((r) => process.stdout.write(JSON.stringify(r)),",
                        "  (e) => process.stdout.write(JSON.stringify({ error: e.message })));"));
        ProcessBuilder pb =
                new ProcessBuilder("node", "run.js").directory(dir.toFile()).redirectErrorStream(false);
        pb.environment().put("STATUS", status);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) parse(out.lines().reduce("", (a, b) -> b));
        return result;
    }

    private Map<String, Object> find(String type) {
        return new HashMap<>(template.findResources(type));
    }

    private Map<String, Object> only(String type) {
        Map<String, Object> found = find(type);
        assertEquals(1, found.size(), type);
        return map(found.values().iterator().next());
    }

    private static Map<String, Object> first(Template t, String type) {
        return map(t.findResources(type).values().iterator().next());
    }

    private static String firstId(Template t, String type) {
        return t.findResources(type).keySet().iterator().next();
    }

    private String logicalId(String type) {
        Map<String, Object> found = find(type);
        assertEquals(1, found.size(), type);
        return found.keySet().iterator().next();
    }

    private Map<String, Object> resource(String logicalId) {
        Object r = resources.get(logicalId);
        if (r == null) {
            fail("no resource " + logicalId);
        }
        return map(r);
    }

    private String type(String logicalId) {
        return resource(logicalId).get("Type").toString();
    }

    private static Map<String, Object> resourcesOf(Template t) {
        return map(t.toJSON().get("Resources"));
    }

    private static Map<String, Map<String, Object>> resourcesOfTyped(Template t) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        map(t.toJSON().get("Resources")).forEach((k, v) -> out.put(k, map(v)));
        return out;
    }

    static Map<String, Object> props(Object resource) {
        Object p = map(resource).get("Properties");
        return p == null ? Map.of() : map(p);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, "expected an object, got " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        assertTrue(o instanceof List, "expected a list, got " + o);
        return (List<Object>) o;
    }

    static List<String> strings(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return l.stream().map(x -> x instanceof String s ? s : json(x)).toList();
        }
        return List.of(o instanceof String s ? s : json(o));
    }

    static String ref(Object o) {
        Object r = map(o).get("Ref");
        assertNotNull(r, "expected a Ref, got " + o);
        return r.toString();
    }

    static String getAttTarget(Object o) {
        return list(map(o).get("Fn::GetAtt")).get(0).toString();
    }

    static Map<String, Object> getAtt(String logicalId, String attr) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attr));
    }

    static String json(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<?, ?> parse(String s) {
        try {
            return new ObjectMapper().readValue(s, Map.class);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + s, e);
        }
    }

    /** Turns a Fn::Join into text, writing each intrinsic as {Ref:X} or {X.Attr}, so it can be parsed. */
    static String resolveJoin(Object o) {
        if (o instanceof String s) {
            return s;
        }
        Map<String, Object> m = map(o);
        if (m.containsKey("Ref")) {
            return "{Ref:" + m.get("Ref") + "}";
        }
        if (m.containsKey("Fn::GetAtt")) {
            List<Object> a = list(m.get("Fn::GetAtt"));
            return "{" + a.get(0) + "." + a.get(1) + "}";
        }
        List<Object> join = list(m.get("Fn::Join"));
        return list(join.get(1)).stream()
                .map(DevTimeStackTest::resolveJoin)
                .collect(Collectors.joining(join.get(0).toString()));
    }
}
