package dev.devtime.functions.aggregate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.devtime.functions.Priming;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.aws.AwsClients;
import dev.devtime.functions.queue.QueueMessage;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.DayRollupCodec;
import dev.devtime.model.time.TimeAccounting;
import dev.devtime.model.time.Timeline;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.crac.Core;
import org.crac.Resource;

/** SQS batches of queued heartbeats into buckets and day rollups, with partial batch failure reporting. */
public final class AggregatorHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {

    private final Wiring wiring;
    private final BatchProcessor processor;

    /**
     * The aggregator does not authenticate: built without a JWT verifier, so its deployment jar does not carry
     * the library and its cold start does not load it. It queues only the next part of an account deletion.
     */
    public AggregatorHandler() {
        this(new Wiring(
                AwsClients.dynamo(),
                Wiring.required("TABLE_NAME"),
                AwsClients.sqs(),
                Wiring.required("QUEUE_URL"),
                null,
                Wiring.Config.fromEnvironment(),
                Clock.systemUTC()));
        Core.getGlobalContext().register(this);
    }

    public AggregatorHandler(Wiring wiring) {
        this.wiring = wiring;
        this.processor = wiring.batchProcessor();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return processor.process(event);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.bestEffort(getClass().getSimpleName(), this::prime);
    }

    /** SnapStart: exercise decoding and time accounting on made-up data, and one read; writes nothing. */
    void prime() {
        List<Heartbeat> sample = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sample.add(Heartbeat.builder(1_700_000_000_000L + i * 30_000L)
                    .tool("vscode")
                    .project("p")
                    .entity("f" + i % 7)
                    .build());
        }
        String body = QueueMessage.heartbeats("priming", sample, 0).encode();
        for (int i = 0; i < 50; i++) {
            List<Heartbeat> decoded = QueueMessage.decode(body).heartbeats();
            LocalDate day = TimeAccounting.dayOf(
                    decoded.get(0).timeMs(), Timing.defaults().zone());
            var rollup = TimeAccounting.day(Timeline.of(decoded), day, Timing.defaults());
            DayRollupCodec.decode(day, DayRollupCodec.encode(rollup));
        }
        wiring.buckets.query("priming", 0, 3_600_000L);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {}
}
