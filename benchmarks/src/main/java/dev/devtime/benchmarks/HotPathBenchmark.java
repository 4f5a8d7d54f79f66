package dev.devtime.benchmarks;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.wire.HeartbeatCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Each benchmark processes one whole {@link DeveloperDay} per invocation and declares its heartbeats as the
 * operations, so JMH's ops/s are heartbeats per second on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HotPathBenchmark {

    private List<DeveloperDay.Request> requests;
    private List<List<Heartbeat>> batches;
    private List<byte[]> encoded;
    private List<Heartbeat> day;
    private List<DeveloperDay.Request> inTimeOrder;

    @Setup
    public void setUp() {
        requests = DeveloperDay.generate(42).requests();
        batches = new ArrayList<>();
        encoded = new ArrayList<>();
        day = new ArrayList<>();
        for (DeveloperDay.Request r : requests) {
            List<Heartbeat> ok = PurePipeline.accepted(PurePipeline.parse(r));
            batches.add(ok);
            encoded.add(HeartbeatCodec.encode(ok));
            day.addAll(ok);
        }
        inTimeOrder = DeveloperDay.generate(42).inTimeOrder();
        if (day.size() != DeveloperDay.HEARTBEATS) {
            throw new IllegalStateException(
                    "the day parsed to " + day.size() + " heartbeats, not " + DeveloperDay.HEARTBEATS);
        }
    }

    /** Ingest: request body bytes to canonical heartbeats (JSON tree, then HeartbeatParser per item). */
    @Benchmark
    @OperationsPerInvocation(DeveloperDay.HEARTBEATS)
    public void parse(Blackhole bh) {
        for (DeveloperDay.Request r : requests) {
            bh.consume(PurePipeline.parse(r));
        }
    }

    /** The compact codec, heartbeats to bytes, one call per request's batch (queue message, stored bucket). */
    @Benchmark
    @OperationsPerInvocation(DeveloperDay.HEARTBEATS)
    public void codecEncode(Blackhole bh) {
        for (List<Heartbeat> b : batches) {
            bh.consume(HeartbeatCodec.encode(b));
        }
    }

    /** The compact codec, bytes back to heartbeats. */
    @Benchmark
    @OperationsPerInvocation(DeveloperDay.HEARTBEATS)
    public void codecDecode(Blackhole bh) {
        for (byte[] b : encoded) {
            bh.consume(HeartbeatCodec.decode(b));
        }
    }

    /** Sessionize and roll up: the day's heartbeats (in arrival order) to its DayRollup, as Aggregator.recompute. */
    @Benchmark
    @OperationsPerInvocation(DeveloperDay.HEARTBEATS)
    public Object rollup() {
        return PurePipeline.rollup(day, DeveloperDay.DATE);
    }

    /** Every pure step from body bytes to encoded rollup (see {@link PurePipeline#run}). */
    @Benchmark
    @OperationsPerInvocation(DeveloperDay.HEARTBEATS)
    public Object wholePath() {
        return PurePipeline.run(requests);
    }

    /**
     * The aggregator's CPU per heartbeat when each request is its own batch and every batch re-reads and rolls
     * up the whole day so far (see {@link PurePipeline#runAsArriving}).
     */
    @Benchmark
    @OperationsPerInvocation(DeveloperDay.HEARTBEATS)
    @Warmup(iterations = 8, time = 3) // one invocation takes tens of ms: the JIT needs longer
    @Measurement(iterations = 5, time = 3)
    public Object aggregateAsArriving() {
        return PurePipeline.runAsArriving(inTimeOrder);
    }
}
