package dev.devtime.local;

import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pipeline contract on DynamoDB Local and ElasticMQ, in memory. */
class EmbeddedPipelineTest extends PipelineContract {

    @RegisterExtension
    static final DeploymentExtension STACK =
            new DeploymentExtension(o -> o.withBatching(50, Duration.ofMillis(100), 2));

    @Override
    LocalDeployment stack() {
        return STACK.deployment();
    }
}
