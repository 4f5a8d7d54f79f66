package dev.devtime.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.amplify.CfnApp;
import software.amazon.awscdk.services.amplify.CfnBranch;
import software.amazon.awscdk.services.amplify.CfnDomain;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;

/**
 * The dashboard on Amplify Hosting without a Git connection. The built {@code web/dist} and a
 * {@code config.json} holding this deployment's URLs and ids (known only at deploy time) are copied to a
 * private staging bucket, then Amplify's StartDeployment pulls that prefix into the branch, and the stack
 * waits until Amplify's job has succeeded. So one web build serves any deployment, nothing
 * deployment-specific is baked into it, and a failed dashboard deployment fails {@code cdk deploy}.
 */
final class Dashboard extends Construct {

    static final String BRANCH = "main";
    static final String SITE_PREFIX = "site/";
    static final Duration DEPLOYMENT_TIMEOUT = Duration.minutes(15);

    private final DeployConfig config;
    private final CfnApp app;
    private final CfnBranch branch;
    private Bucket staging;
    private CustomResource deployment;
    private Provider deploymentProvider;

    Dashboard(Construct scope, String id, DeployConfig config) {
        super(scope, id);
        this.config = config;
        app = CfnApp.Builder.create(this, "App")
                .name("devtime-" + config.stage())
                .description("DevTime dashboard (" + config.stage() + ")")
                .platform("WEB")
                // Single-page app: every path without a file extension serves index.html.
                .customRules(List.of(CfnApp.CustomRuleProperty.builder()
                        .source(
                                "</^[^.]+$|\\.(?!(css|gif|ico|jpg|js|png|txt|svg|woff|woff2|ttf|map|json|webp)$)([^.]+$)/>")
                        .target("/index.html")
                        .status("200")
                        .build()))
                .customHeaders(String.join(
                        "\n",
                        "customHeaders:",
                        "  - pattern: '**'",
                        "    headers:",
                        "      - key: Strict-Transport-Security",
                        "        value: max-age=31536000; includeSubDomains",
                        "      - key: X-Content-Type-Options",
                        "        value: nosniff",
                        "      - key: X-Frame-Options",
                        "        value: DENY",
                        "      - key: Referrer-Policy",
                        "        value: strict-origin-when-cross-origin",
                        // A redeploy can change the config; the browser must not keep an old one.
                        "  - pattern: /config.json",
                        "    headers:",
                        "      - key: Cache-Control",
                        "        value: no-cache",
                        ""))
                .build();
        branch = CfnBranch.Builder.create(this, "Branch")
                .appId(app.getAttrAppId())
                .branchName(BRANCH)
                .stage("prod".equals(config.stage()) ? "PRODUCTION" : "DEVELOPMENT")
                .enableAutoBuild(false)
                .build();
        if (config.domainName() != null) {
            // Amplify issues and renews the certificate itself; the DNS records it needs are in the console.
            CfnDomain domain = CfnDomain.Builder.create(this, "Domain")
                    .appId(app.getAttrAppId())
                    .domainName(config.domainName())
                    .enableAutoSubDomain(false)
                    .subDomainSettings(List.of(CfnDomain.SubDomainSettingProperty.builder()
                            .branchName(BRANCH)
                            .prefix("")
                            .build()))
                    .build();
            domain.getNode().addDependency(branch);
            CfnOutput.Builder.create(this, "DomainCertificateRecord")
                    .value(domain.getAttrCertificateRecord())
                    .description("DNS: the record Amplify needs to validate " + config.domainName())
                    .build();
        }
    }

    /** The branch's default URL, https://main.&lt;app id&gt;.amplifyapp.com. */
    String url() {
        return "https://" + BRANCH + "." + app.getAttrDefaultDomain();
    }

    CfnBranch branch() {
        return branch;
    }

    Bucket staging() {
        return staging;
    }

    CustomResource deployment() {
        return deployment;
    }

    Provider deploymentProvider() {
        return deploymentProvider;
    }

    /** Stages dist plus config.json and has Amplify deploy them. Call once, after the API and Cognito exist. */
    void deploy(Map<String, Object> runtimeConfig) {
        Stack stack = Stack.of(this);
        staging = Bucket.Builder.create(this, "Staging")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                // Only a copy of what Amplify already serves: nothing to keep after `cdk destroy`.
                .removalPolicy(RemovalPolicy.DESTROY)
                .autoDeleteObjects(true)
                .build();
        // CDK's deployment helpers log into groups of this stack: they expire and go with `cdk destroy`.
        LogGroup helperLogs = LogGroup.Builder.create(this, "DeployHelperLogs")
                .retention(DevTimeStack.retention(config.logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Asset dist = Asset.Builder.create(this, "Dist")
                .path(config.webDist().toString())
                // Source maps would publish the dashboard's source next to it: never ship them, whatever the build
                // made.
                .exclude(List.of("**/*.map"))
                .build();
        BucketDeployment copy = BucketDeployment.Builder.create(this, "Copy")
                .sources(List.of(
                        Source.bucket(dist.getBucket(), dist.getS3ObjectKey()),
                        // Tokens (API URL, client id) are filled in by the deployment, not at synth.
                        Source.jsonData("config.json", runtimeConfig)))
                .destinationBucket(staging)
                .destinationKeyPrefix(SITE_PREFIX)
                .prune(true)
                .memoryLimit(512)
                .logGroup(helperLogs)
                .build();

        // Amplify reads the prefix with its own service principal, limited to this app's branch
        // (AWS: "Creating a bucket policy to deploy a static website from S3 using the AWS SDKs";
        // aws:SourceArn must be the URL-encoded branch ARN).
        String encodedBranchArn = Fn.join(
                "",
                List.of(
                        "arn%3A",
                        Aws.PARTITION,
                        "%3Aamplify%3A",
                        Aws.REGION,
                        "%3A",
                        Aws.ACCOUNT_ID,
                        "%3Aapps%2F",
                        app.getAttrAppId(),
                        "%2Fbranches%2F",
                        BRANCH));
        Map<String, Object> fromThisBranch =
                Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID, "aws:SourceArn", encodedBranchArn));
        staging.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AmplifyListSite")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("amplify.amazonaws.com")))
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(staging.getBucketArn()))
                .conditions(fromThisBranch)
                .build());
        staging.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AmplifyReadSite")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("amplify.amazonaws.com")))
                .actions(List.of("s3:GetObject"))
                .resources(List.of(staging.arnForObjects(SITE_PREFIX + "*")))
                .conditions(fromThisBranch)
                .build());

        // StartDeployment only queues a job: the stack waits for the job's end, so a dashboard that failed to
        // deploy fails `cdk deploy` instead of reporting success over the previous (or no) site.
        String branchJobs = branch.getAttrArn() + "/jobs/*";
        Function start = handler(
                "StartDeployment",
                START_DEPLOYMENT,
                helperLogs,
                PolicyStatement.Builder.create()
                        .actions(List.of("amplify:StartDeployment"))
                        // The branch, and the job the call creates under it (its id is not known before).
                        .resources(List.of(branch.getAttrArn(), branchJobs))
                        .build());
        Function waitForJob = handler(
                "WaitForJob",
                WAIT_FOR_JOB,
                helperLogs,
                PolicyStatement.Builder.create()
                        .actions(List.of("amplify:GetJob"))
                        .resources(List.of(branchJobs))
                        .build());
        deploymentProvider = Provider.Builder.create(this, "DeploymentProvider")
                .onEventHandler(start)
                .isCompleteHandler(waitForJob)
                .queryInterval(Duration.seconds(15))
                // Amplify copies a few MB from S3: minutes at most. Past this the stack fails and rolls back.
                .totalTimeout(DEPLOYMENT_TIMEOUT)
                .logGroup(helperLogs)
                .build();
        deployment = CustomResource.Builder.create(this, "Deployment")
                .serviceToken(deploymentProvider.getServiceToken())
                .resourceType("Custom::AmplifyDeployment")
                .properties(Map.of(
                        "AppId",
                        app.getAttrAppId(),
                        "BranchName",
                        BRANCH,
                        "SourceUrl",
                        "s3://" + staging.getBucketName() + "/" + SITE_PREFIX,
                        // CloudFormation calls the provider again only when a property changes: this one changes
                        // with the dist's content hash and with every value in config.json, so either redeploys.
                        "Revision",
                        Fn.join("|", List.of(dist.getAssetHash(), stack.toJsonString(runtimeConfig)))))
                .build();
        deployment.getNode().addDependency(copy, staging.getPolicy(), branch);
    }

    /** A small Node.js function of the deployment provider, with its own role writing only to {@code logs}. */
    private Function handler(String id, String code, LogGroup logs, PolicyStatement call) {
        Role role = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("DevTime dashboard deployment: " + id)
                .build();
        logs.grantWrite(role);
        role.addToPolicy(call);
        return Function.Builder.create(this, id + "Function")
                .description("DevTime dashboard deployment: " + id + " (" + config.stage() + ")")
                .runtime(Runtime.NODEJS_24_X)
                .architecture(Architecture.ARM_64)
                .handler("index.handler")
                .code(Code.fromInline(code))
                .timeout(Duration.seconds(30))
                .role(role)
                .logGroup(logs)
                .build();
    }

    /** onEvent: starts the Amplify job; Delete has nothing to undo (the app goes with the stack). */
    static final String START_DEPLOYMENT = String.join(
            "\n",
            "const { AmplifyClient, StartDeploymentCommand } = require('@aws-sdk/client-amplify');",
            "const amplify = new AmplifyClient({});",
            "exports.handler = async (event) => {",
            "  const p = event.ResourceProperties;",
            "  const id = event.PhysicalResourceId || `devtime-dashboard-${p.AppId}`;",
            "  if (event.RequestType === 'Delete') return { PhysicalResourceId: id };",
            "  const out = await amplify.send(new StartDeploymentCommand({",
            "    appId: p.AppId, branchName: p.BranchName, sourceUrl: p.SourceUrl, sourceUrlType: 'BUCKET_PREFIX' }));",
            "  console.log(JSON.stringify({ started: out.jobSummary.jobId }));",
            "  return { PhysicalResourceId: id, Data: { JobId: out.jobSummary.jobId } };",
            "};");

    /** isComplete: polled until the job succeeds; a failed or cancelled job fails the resource, so the stack. */
    static final String WAIT_FOR_JOB = String.join(
            "\n",
            "const { AmplifyClient, GetJobCommand } = require('@aws-sdk/client-amplify');",
            "const amplify = new AmplifyClient({});",
            "exports.handler = async (event) => {",
            "  if (event.RequestType === 'Delete') return { IsComplete: true };",
            "  const p = event.ResourceProperties;",
            "  const jobId = event.Data.JobId;",
            "  const { job } = await amplify.send(new GetJobCommand({ appId: p.AppId, branchName: p.BranchName, jobId }));",
            "  const status = job.summary.status;",
            "  console.log(JSON.stringify({ jobId, status }));",
            "  if (status === 'SUCCEED') return { IsComplete: true };",
            "  if (status === 'FAILED' || status === 'CANCELLED') {",
            "    const steps = (job.steps || []).filter((s) => s.status !== 'SUCCEED')",
            "      .map((s) => `${s.stepName}: ${s.status}${s.statusReason ? ' (' + s.statusReason + ')' : ''}`).join('; ');",
            "    throw new Error(`Amplify deployment job ${jobId} of app ${p.AppId} ended ${status}${steps ? ': ' + steps : ''}`);",
            "  }",
            "  return { IsComplete: false };",
            "};");
}
