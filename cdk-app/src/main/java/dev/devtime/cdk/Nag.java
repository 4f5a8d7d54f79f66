package dev.devtime.cdk;

import dev.devtime.model.api.ApiRoutes;
import dev.devtime.model.deploy.LambdaFunction;
import java.util.List;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * The cdk-nag AwsSolutions findings DevTime accepts, each on the narrowest construct and with its reason.
 * Anything not listed here fails synthesis.
 */
final class Nag {

    /** Construct ids aws-cdk-lib gives its singleton custom-resource functions. */
    private static final String BUCKET_DEPLOYMENT_FN = "Custom::CDKBucketDeployment";

    private static final String CDK_MANAGED =
            "aws-cdk-lib's own custom-resource function (runs only during deployments); ";

    private Nag() {}

    static void acknowledge(
            DevTimeStack stack,
            Auth auth,
            Pipeline pipeline,
            Api api,
            Dashboard dashboard,
            List<ApiRoutes.Route> routes) {
        ack(
                auth.userPool(),
                "AwsSolutions-COG2",
                "MFA is optional by design: every user can enrol TOTP, but a personal, self-hosted tracker must not lock out "
                        + "users who have not");
        ack(
                auth.userPool(),
                "AwsSolutions-COG8",
                "The Plus feature plan (threat protection) bills per monthly active user; DevTime keeps idle cost at $0 "
                        + "with Essentials. Switch featurePlan to PLUS to enable it");
        for (LambdaFunction fn : LambdaFunction.values()) {
            ack(
                    pipeline.getNode().findChild(fn.title() + "Function"),
                    "AwsSolutions-L1",
                    "java21 is the LTS runtime the handlers and their SnapStart priming are built and tested for; "
                            + "moving to a newer Java runtime is a deliberate upgrade, not a drift");
        }
        for (ApiRoutes.Route route : routes) {
            IConstruct c = api.getNode().findChild(Api.routeId(route));
            switch (route.auth()) {
                case HANDLER ->
                    ack(
                            c,
                            "AwsSolutions-APIG4",
                            "Authorized by the handler: plugins send WakaTime-style API keys (Basic, Bearer or ?api_key) that a "
                                    + "JWT authorizer cannot check, and the handler verifies dashboard JWTs against the same Cognito issuer");
                case NONE -> ack(c, "AwsSolutions-APIG4", "Public by design: " + route.routeKey() + " reveals nothing");
                case JWT -> {
                    // Behind the Cognito JWT authorizer: nothing to acknowledge.
                }
            }
        }
        ack(
                dashboard.staging(),
                "AwsSolutions-S1",
                "Private staging copy of the public dashboard build, read once per deployment by Amplify; "
                        + "access logs would add a second bucket and record nothing of value");

        String jobs = "<" + stack.getLogicalId(dashboard.branch()) + ".Arn>/jobs/*";
        ack(
                dashboard.getNode().findChild("StartDeploymentRole"),
                "AwsSolutions-IAM5[Resource::" + jobs + "]",
                "StartDeployment creates a job under this one branch, and the job's id is not known before the call");
        ack(
                dashboard.getNode().findChild("WaitForJobRole"),
                "AwsSolutions-IAM5[Resource::" + jobs + "]",
                "GetJob reads the job StartDeployment created under this one branch; its id is known only at deploy time");

        IConstruct provider = dashboard.deploymentProvider();
        ack(
                provider,
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                CDK_MANAGED + "the provider framework's functions write their own logs with the managed policy");
        for (IConstruct fn : List.of(
                dashboard.deploymentProvider().getOnEventHandler(),
                dashboard.deploymentProvider().getIsCompleteHandler(),
                provider.getNode().findChild("framework-isComplete"),
                provider.getNode().findChild("framework-onTimeout"))) {
            ack(
                    provider,
                    "AwsSolutions-IAM5[Resource::<"
                            + stack.getLogicalId((CfnElement) fn.getNode().getDefaultChild()) + ".Arn>:*]",
                    CDK_MANAGED
                            + "the provider framework invokes this one function (and its versions) and nothing else");
        }
        ack(
                provider,
                "AwsSolutions-SF1",
                "The waiter only polls the Amplify job during deployments, and the polled function logs every poll and the job's "
                        + "status; state-machine logging would need log-delivery actions on Resource *");
        ack(
                provider,
                "AwsSolutions-SF2",
                "Runs only while `cdk deploy` waits for the dashboard; traces of a few polls add nothing to the function logs");

        String assets =
                "arn:<AWS::Partition>:s3:::cdk-" + qualifier(stack) + "-assets-<AWS::AccountId>-<AWS::Region>/*";
        String staging = "<"
                + stack.getLogicalId((CfnElement) dashboard.staging().getNode().getDefaultChild()) + ".Arn>/*";
        for (IConstruct child : stack.getNode().getChildren()) {
            String id = child.getNode().getId();
            if (id.startsWith(BUCKET_DEPLOYMENT_FN)) {
                ack(child, "AwsSolutions-L1", CDK_MANAGED + "its runtime moves with the aws-cdk-lib version");
                ack(
                        child,
                        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                        CDK_MANAGED + "the managed policy lets it write its own logs");
                for (String action :
                        new String[] {"s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*"}) {
                    ack(
                            child,
                            "AwsSolutions-IAM5[Action::" + action + "]",
                            CDK_MANAGED + "BucketDeployment's grant to read the asset and replace the staging prefix");
                }
                ack(
                        child,
                        "AwsSolutions-IAM5[Resource::" + assets + "]",
                        CDK_MANAGED + "reads this deployment's asset zip from the CDK bootstrap bucket");
                ack(
                        child,
                        "AwsSolutions-IAM5[Resource::" + staging + "]",
                        CDK_MANAGED + "writes the dashboard files into the staging bucket");
            }
        }
    }

    private static String qualifier(Stack stack) {
        Object q = stack.getNode().tryGetContext("@aws-cdk/core:bootstrapQualifier");
        return q == null ? "hnb659fds" : q.toString();
    }

    private static void ack(IConstruct construct, String id, String reason) {
        Validations.of(construct)
                .acknowledge(Acknowledgment.builder().id(id).reason(reason).build());
    }
}
