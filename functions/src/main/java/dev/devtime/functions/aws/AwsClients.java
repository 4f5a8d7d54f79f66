package dev.devtime.functions.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients once per container. In Lambda the region and credentials come from the
 * environment the runtime sets; {@code local} and the tests pass endpoints of the emulators instead.
 */
public final class AwsClients {

    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(10))
            .build();

    private AwsClients() {}

    public static DynamoDbClient dynamo() {
        return dynamo(System.getenv("DYNAMODB_ENDPOINT"));
    }

    public static SqsClient sqs() {
        return sqs(System.getenv("SQS_ENDPOINT"));
    }

    /** @param extra interceptors beside the metering one (the local stack times every call) */
    public static DynamoDbClient dynamo(String endpoint, ExecutionInterceptor... extra) {
        return build(DynamoDbClient.builder(), endpoint, extra);
    }

    public static SqsClient sqs(String endpoint, ExecutionInterceptor... extra) {
        return build(SqsClient.builder(), endpoint, extra);
    }

    /** Every client alike: the shared HTTP client, metering, the region, and the emulator's endpoint if any. */
    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
            B builder, String endpoint, ExecutionInterceptor... extra) {
        builder.httpClient(HTTP)
                .overrideConfiguration(metered(extra))
                .region(region())
                .credentialsProvider(credentials(endpoint));
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    private static ClientOverrideConfiguration metered(ExecutionInterceptor... extra) {
        var b = ClientOverrideConfiguration.builder().addExecutionInterceptor(new MeteringInterceptor());
        for (ExecutionInterceptor i : extra) {
            b.addExecutionInterceptor(i);
        }
        return b.build();
    }

    private static Region region() {
        String r = System.getenv("AWS_REGION");
        return Region.of(r == null || r.isBlank() ? "us-east-1" : r);
    }

    /**
     * Emulators accept any credentials. Lambda hands the role's credentials over in the environment, or,
     * under SnapStart, through the container credentials endpoint: naming the one provider that applies
     * spares a cold start the default chain's other steps (system properties, web identity, profile files).
     * Anywhere else (a developer's machine) the default chain.
     */
    private static AwsCredentialsProvider credentials(String endpoint) {
        if (endpoint != null && !endpoint.isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        }
        if (present("AWS_ACCESS_KEY_ID") && present("AWS_SECRET_ACCESS_KEY")) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        if (present("AWS_CONTAINER_CREDENTIALS_FULL_URI") || present("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
            return ContainerCredentialsProvider.builder().build();
        }
        return DefaultCredentialsProvider.create();
    }

    private static boolean present(String name) {
        String v = System.getenv(name);
        return v != null && !v.isBlank();
    }
}
