package dev.devtime.local;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local deployment a test class runs against, started before its first test and closed after its last:
 * tables and queues in memory, the gateway on a free loopback port, and whatever the class changes in the
 * options (batching, queue redelivery, clock, limits).
 *
 * <pre>
 * &#64;RegisterExtension
 * static final DeploymentExtension STACK = new DeploymentExtension(o -&gt; o.withBatching(50, Duration.ofMillis(100), 2));
 * </pre>
 */
final class DeploymentExtension implements BeforeAllCallback, AfterAllCallback {

    private final UnaryOperator<LocalDeployment.Options> options;
    private LocalDeployment deployment;
    private ApiClient api;

    DeploymentExtension() {
        this(o -> o);
    }

    DeploymentExtension(UnaryOperator<LocalDeployment.Options> options) {
        this.options = options;
    }

    /**
     * What every test's stack starts from, this extension's and those a test starts and restarts itself:
     * tables and queues under {@code dataDir} (null: in memory), the gateway on a free loopback port.
     */
    static LocalDeployment.Options options(Path dataDir) {
        return LocalDeployment.Options.defaults(dataDir).withPort(0);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        deployment = LocalDeployment.start(options.apply(options(null)));
        api = new ApiClient(deployment.baseUrl());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (deployment != null) {
            deployment.close();
        }
    }

    LocalDeployment deployment() {
        return deployment;
    }

    /** A client of the deployment's gateway, as a plugin or the dashboard talks to it. */
    ApiClient api() {
        return api;
    }
}
