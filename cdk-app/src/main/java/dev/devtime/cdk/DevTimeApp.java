package dev.devtime.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.Validations;

/** Entry point of {@code cdk synth/deploy} (cdk.json runs it from the cdk-app directory). */
public final class DevTimeApp {

    private DevTimeApp() {}

    public static void main(String[] args) {
        App app = new App();
        try {
            create(app, Path.of("").toAbsolutePath());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // A missing build or a bad -c option: say what to do, without a JVM stack trace.
            System.err.println("DevTime: " + e.getMessage());
            System.exit(1);
        }
        // Every synth runs the AWS Solutions checks (cdk-nag); an unacknowledged finding fails `cdk synth`
        // and `cdk deploy`, and the CLI prints the report.
        Validations.of(app)
                .addPlugins(new AwsSolutionsChecks(
                        app, NagPackProps.builder().verbose(true).build()));
        app.synth();
    }

    /** Builds the stack from the app's context; shared with the tests so they synthesize what deploys. */
    static DevTimeStack create(App app, Path baseDir) {
        DeployConfig config = DeployConfig.fromContext(k -> app.getNode().tryGetContext(k), baseDir);
        // Environment-agnostic on purpose: the account and region are those of the credentials `cdk deploy`
        // runs with, and nothing here needs to know them at synth time.
        StackProps props = StackProps.builder()
                .description("DevTime: self-hosted developer activity tracker (" + config.stage() + ")")
                .build();
        DevTimeStack stack = new DevTimeStack(app, "DevTime-" + config.stage(), props, config);
        Tags.of(stack).add("app", "devtime");
        Tags.of(stack).add("stage", config.stage());
        return stack;
    }
}
