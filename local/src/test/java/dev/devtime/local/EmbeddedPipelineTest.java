package dev.devtime.local;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The pipeline contract on DynamoDB Local and ElasticMQ, in memory. */
class EmbeddedPipelineTest extends PipelineContract {

    static LocalDeployment stack;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalDeployment.start(LocalDeployment.Options.defaults(null).withPort(0)
                .withBatching(50, Duration.ofMillis(100), 2));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Override
    LocalDeployment stack() {
        return stack;
    }
}
