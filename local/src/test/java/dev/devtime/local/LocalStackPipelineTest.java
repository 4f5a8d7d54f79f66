package dev.devtime.local;

import dev.devtime.local.emulator.Backend;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The pipeline contract on LocalStack via Testcontainers. Skipped where no Docker engine runs (as on
 * DevTime's build machines), where the embedded emulators cover the same contract.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackPipelineTest extends PipelineContract {

    static LocalStackContainer localstack;
    static LocalDeployment stack;

    @BeforeAll
    static void start() throws Exception {
        localstack = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4"))
                .withServices(Service.DYNAMODB, Service.SQS);
        localstack.start();
        Backend backend = new Backend() {
            @Override
            public String dynamoEndpoint() {
                return localstack.getEndpointOverride(Service.DYNAMODB).toString();
            }

            @Override
            public String sqsEndpoint() {
                return localstack.getEndpointOverride(Service.SQS).toString();
            }

            @Override
            public void close() {}
        };
        stack = LocalDeployment.start(
                DeploymentExtension.options(null).withBatching(50, Duration.ofMillis(100), 2), backend);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (localstack != null) {
            localstack.stop();
        }
    }

    @Override
    LocalDeployment stack() {
        return stack;
    }
}
