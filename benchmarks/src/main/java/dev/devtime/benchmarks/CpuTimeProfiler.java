package dev.devtime.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Operations per second of CPU time used by the benchmark's JVM (the benchmark thread plus the GC and JIT
 * threads it keeps busy). On a machine shared with other builds, wall-clock throughput falls whenever the
 * thread waits for a core; CPU time does not, so this is the steadier "per core" figure.
 * Use with {@code -prof dev.devtime.benchmarks.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuStart;
    private long wallStart;

    @Override
    public String getDescription() {
        return "operations per CPU-second of the benchmark JVM, and the share of wall time it had a core";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        wallStart = System.nanoTime();
        cpuStart = os.getProcessCpuTime();
    }

    @Override
    public List<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuStart;
        long wall = System.nanoTime() - wallStart;
        // Measured operations already count @OperationsPerInvocation.
        long ops = result.getMetadata().getMeasuredOps();
        return List.of(
                new ScalarResult("cpu.ops/s", ops / (cpu / 1e9), "ops/cpu-s", AggregationPolicy.AVG),
                new ScalarResult("cpu.share", (double) cpu / wall, "cpu/wall", AggregationPolicy.AVG));
    }
}
