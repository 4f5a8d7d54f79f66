package dev.devtime.functions.ingest;

import dev.devtime.functions.Wiring;
import dev.devtime.functions.aws.AwsClients;
import dev.devtime.functions.http.HttpFunction;
import dev.devtime.functions.http.HttpHandlers;
import dev.devtime.functions.http.JsonBody;
import dev.devtime.model.wire.HeartbeatParser;
import dev.devtime.model.wire.RequestMeta;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** POST heartbeats (WakaTime and native routes) and plugin error reports. */
public final class IngestHandler extends HttpFunction {

    private final Wiring wiring;

    public IngestHandler() {
        this(Wiring.fromEnvironment());
        registerForSnapStart();
    }

    public IngestHandler(Wiring wiring) {
        super(wiring.ingestRoutes());
        this.wiring = wiring;
    }

    /** A refused request, the parsing it never reaches, one key lookup and the queue client. */
    @Override
    protected void prime() {
        String bulk =
                "[{\"entity\":\"/p/a.ts\",\"type\":\"file\",\"time\":1700000000,\"project\":\"p\",\"language\":\"TypeScript\"}]";
        for (int i = 0; i < 50; i++) {
            // An unknown key is refused before anything is queued.
            handleRequest(HttpHandlers.primingEvent("POST", "/api/v1/users/current/heartbeats.bulk", bulk), null);
            HeartbeatParser.parse(
                    JsonBody.parse(bulk.getBytes()).get(0),
                    RequestMeta.of(
                            "wakatime/v1 (linux) go1.22 vscode/1.95 vscode-wakatime/24", "m", 1_700_000_100_000L));
        }
        wiring.keys.findByHash("0".repeat(64));
        primeQueueClient();
    }

    /**
     * Every accepted batch is sent to SQS, a path the refused priming request never reaches: a read of
     * the queue's attributes (allowed with SendMessage) loads and compiles the SQS client's marshalling,
     * signing and HTTP path. Classes and compiled code are shared by all client instances, so a second
     * client on the same HTTP client does; closing it leaves that HTTP client open.
     */
    private static void primeQueueClient() {
        String queueUrl = System.getenv("QUEUE_URL");
        if (queueUrl == null || queueUrl.isBlank()) {
            return;
        }
        try (SqsClient sqs = AwsClients.sqs()) {
            sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
        }
    }
}
