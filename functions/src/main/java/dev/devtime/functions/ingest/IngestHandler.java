package dev.devtime.functions.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.aws.AwsClients;
import dev.devtime.functions.http.HttpHandlers;
import dev.devtime.model.wire.HeartbeatParser;
import dev.devtime.model.wire.RequestMeta;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** POST heartbeats (WakaTime and native routes) and plugin error reports. */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    private final Wiring wiring;
    private final IngestService service;

    public IngestHandler() {
        this(Wiring.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    public IngestHandler(Wiring wiring) {
        this.wiring = wiring;
        this.service = wiring.ingest();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpHandlers.guarded(event, service::handle);
    }

    /** SnapStart: load and JIT the request path before the snapshot; reads only, writes nothing. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        String bulk = "[{\"entity\":\"/p/a.ts\",\"type\":\"file\",\"time\":1700000000,\"project\":\"p\",\"language\":\"TypeScript\"}]";
        for (int i = 0; i < 50; i++) {
            // An unknown key is refused before anything is queued.
            handleRequest(HttpHandlers.primingEvent("POST", "/api/v1/users/current/heartbeats.bulk", bulk), null);
            HeartbeatParser.parse(dev.devtime.functions.http.JsonBody.parse(bulk.getBytes()).get(0),
                    RequestMeta.of("wakatime/v1 (linux) go1.22 vscode/1.95 vscode-wakatime/24", "m", 1_700_000_100_000L));
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

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
    }
}
