package dev.devtime.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.amplify.CfnApp;
import software.amazon.awscdk.services.amplify.CfnBranch;
import software.amazon.awscdk.services.amplify.CfnDomain;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
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
 * private staging bucket, then Amplify's StartDeployment pulls that prefix into the branch. So one web
 * build serves any deployment, and nothing deployment-specific is baked into it.
 */
final class Dashboard extends Construct {

    static final String BRANCH = "main";
    static final String SITE_PREFIX = "site/";

    private final DeployConfig config;
    private final CfnApp app;
    private final CfnBranch branch;
    private Bucket staging;
    private AwsCustomResource startDeployment;

    Dashboard(Construct scope, String id, DeployConfig config) {
        super(scope, id);
        this.config = config;
        app = CfnApp.Builder.create(this, "App")
                .name("devtime-" + config.stage())
                .description("DevTime dashboard (" + config.stage() + ")")
                .platform("WEB")
                // Single-page app: every path without a file extension serves index.html.
                .customRules(List.of(CfnApp.CustomRuleProperty.builder()
                        .source("</^[^.]+$|\\.(?!(css|gif|ico|jpg|js|png|txt|svg|woff|woff2|ttf|map|json|webp)$)([^.]+$)/>")
                        .target("/index.html")
                        .status("200")
                        .build()))
                .customHeaders(String.join("\n",
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
                            .branchName(BRANCH).prefix("").build()))
                    .build();
            domain.getNode().addDependency(branch);
            CfnOutput.Builder.create(this, "DomainCertificateRecord").value(domain.getAttrCertificateRecord())
                    .description("DNS: the record Amplify needs to validate " + config.domainName()).build();
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

    AwsCustomResource startDeployment() {
        return startDeployment;
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
        Asset dist = Asset.Builder.create(this, "Dist").path(config.webDist().toString()).build();
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
        String encodedBranchArn = Fn.join("", List.of("arn%3A", Aws.PARTITION, "%3Aamplify%3A", Aws.REGION, "%3A",
                Aws.ACCOUNT_ID, "%3Aapps%2F", app.getAttrAppId(), "%2Fbranches%2F", BRANCH));
        Map<String, Object> fromThisBranch = Map.of("StringEquals", Map.of(
                "aws:SourceAccount", Aws.ACCOUNT_ID,
                "aws:SourceArn", encodedBranchArn));
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

        AwsSdkCall call = AwsSdkCall.builder()
                .service("Amplify")
                .action("startDeployment")
                .parameters(Map.of(
                        "appId", app.getAttrAppId(),
                        "branchName", BRANCH,
                        "sourceUrl", "s3://" + staging.getBucketName() + "/" + SITE_PREFIX,
                        "sourceUrlType", "BUCKET_PREFIX"))
                .physicalResourceId(PhysicalResourceId.of("devtime-dashboard-" + config.stage()))
                .build();
        startDeployment = AwsCustomResource.Builder.create(this, "StartDeployment")
                .onCreate(call)
                .onUpdate(call)
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("amplify:StartDeployment"))
                        // The branch, and the job the call creates under it (its id is not known before).
                        .resources(List.of(branch.getAttrArn(), branch.getAttrArn() + "/jobs/*"))
                        .build())))
                .installLatestAwsSdk(false)
                .logGroup(helperLogs)
                .build();
        startDeployment.getNode().addDependency(copy, staging.getPolicy(), branch);
        // CloudFormation calls the handler again only when a property changes: this one changes with the
        // dist's content hash and with every value in config.json, so either redeploys the dashboard.
        CfnResource resource = (CfnResource) startDeployment.getNode().findChild("Resource").getNode().getDefaultChild();
        resource.addPropertyOverride("Revision", Fn.join("|", List.of(dist.getAssetHash(), stack.toJsonString(runtimeConfig))));
    }
}
