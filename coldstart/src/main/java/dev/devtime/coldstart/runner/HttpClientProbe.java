package dev.devtime.coldstart.runner;

import java.net.URI;
import java.time.Duration;
import java.util.ServiceLoader;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * One cold DynamoDB client and its first call, on whichever SDK HTTP client is the only one on the class
 * path: the harness starts it once per client (URL connection, Apache, CRT) to choose between them.
 * Prints the same COLDSTART line as {@link LambdaRunner}. Usage: {@code HttpClientProbe <endpoint> <table>}
 */
public final class HttpClientProbe {

    private HttpClientProbe() {}

    public static void main(String[] args) {
        long main = System.nanoTime();
        SdkHttpService service = ServiceLoader.load(SdkHttpService.class)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no SDK HTTP client on the class path"));
        // The timeouts DevTime's own client uses.
        SdkHttpClient http = service.createHttpClientBuilder()
                .buildWithDefaults(AttributeMap.builder()
                        .put(SdkHttpConfigurationOption.CONNECTION_TIMEOUT, Duration.ofSeconds(2))
                        .put(SdkHttpConfigurationOption.READ_TIMEOUT, Duration.ofSeconds(10))
                        .build());
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .httpClient(http)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(URI.create(args[0]))
                .build();
        long constructed = System.nanoTime();
        String status = dynamo.describeTable(b -> b.tableName(args[1])).table().tableStatusAsString();
        long invoked = System.nanoTime();
        System.out.println("COLDSTART main=" + main + " constructed=" + constructed + " primed=" + constructed
                + " invoked=" + invoked
                + " cpu=" + LambdaRunner.cpuNanos()
                + " result=" + http.clientName() + " " + status);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
