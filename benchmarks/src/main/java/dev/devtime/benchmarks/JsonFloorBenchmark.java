package dev.devtime.benchmarks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.devtime.model.wire.RequestJson;
import java.io.IOException;
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
 * The control for {@link HotPathBenchmark#parse}: what Jackson alone costs for the same request bodies, so the
 * parse figure can be split into Jackson's share and DevTime's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JsonFloorBenchmark {

    private List<DeveloperDay.Request> requests;

    @Setup
    public void setUp() {
        requests = DeveloperDay.generate(42).requests();
    }

    /** Every token of every body read, strings and numbers decoded, nothing built: the floor of any Jackson parser. */
    @Benchmark
    @OperationsPerInvocation(DeveloperDay.HEARTBEATS)
    public void tokens(Blackhole bh) throws IOException {
        for (DeveloperDay.Request r : requests) {
            try (JsonParser p = RequestJson.PARSER.createParser(r.body())) {
                for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                    if (t == JsonToken.VALUE_STRING) {
                        bh.consume(p.getText());
                    } else if (t.isNumeric()) {
                        bh.consume(p.getNumberValue());
                    }
                }
            }
        }
    }

    /** The bodies read into trees, as ingest's JsonBody.parse does before the parser sees an item. */
    @Benchmark
    @OperationsPerInvocation(DeveloperDay.HEARTBEATS)
    public void tree(Blackhole bh) throws IOException {
        for (DeveloperDay.Request r : requests) {
            bh.consume(RequestJson.PARSER.readTree(r.body()));
        }
    }
}
