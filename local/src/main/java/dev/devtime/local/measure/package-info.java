/**
 * Measurement of the local deployment, apart from what it runs: the meters the gateway, the event source and
 * the SDK clients feed ({@link dev.devtime.local.measure.HandlerTimings},
 * {@link dev.devtime.local.measure.CallTimingInterceptor}, {@link dev.devtime.local.measure.QueueTraffic}),
 * the benchmark behind {@code devtime-local.jar bench} ({@link dev.devtime.local.measure.Benchmark}) with its
 * cost model, and the load run behind {@code local/load.sh} ({@link dev.devtime.local.measure.LoadRun}).
 */
package dev.devtime.local.measure;
