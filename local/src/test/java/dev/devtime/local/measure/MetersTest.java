package dev.devtime.local.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The local meters the cost model reads: handler durations and SQS payload chunks. */
class MetersTest {

    @Test
    void handlerTimingsBillEachInvocationRoundedUpAndReportOnlyWhatCameAfterTheMark() {
        HandlerTimings.record("meters-test", 5_000_000);
        HandlerTimings.Mark mark = HandlerTimings.mark();
        // 0.2 ms, 1.0 ms, 1.3 ms, then 97 of 2 ms and one of 40 ms: 101 invocations.
        HandlerTimings.record("meters-test", 200_000);
        HandlerTimings.record("meters-test", 1_000_000);
        HandlerTimings.record("meters-test", 1_300_000);
        for (int i = 0; i < 97; i++) {
            HandlerTimings.record("meters-test", 2_000_000);
        }
        HandlerTimings.record("meters-test", 40_000_000);
        HandlerTimings.Summary s = HandlerTimings.since(mark).get("meters-test");
        assertEquals(101, s.invocations());
        // Billed: 1 + 1 + 2 + 97 x 2 + 40 = 238 ms.
        assertEquals(238, s.billedMs());
        // Mean: (0.2 + 1.0 + 1.3 + 194 + 40) / 101.
        assertEquals(236.5 / 101, s.meanMs(), 1e-9);
        // Nearest rank: p99 of 101 values is the 100th smallest (a 2 ms one); the max is 40 ms.
        assertEquals(2.0, s.p99Ms(), 1e-9);
        assertEquals(40.0, s.maxMs(), 1e-9);
        assertEquals(2.0, s.p50Ms(), 1e-9);
    }

    @Test
    void awsCallsAreKeptApartFromFunctionsSoTheyAreNeverBilledAsLambdaTime() {
        HandlerTimings.Mark mark = HandlerTimings.mark();
        HandlerTimings.record("meters-fn", 3_000_000);
        HandlerTimings.recordCall("Sqs.SendMessage", 2_000_000);
        assertEquals(Set.of("meters-fn"), HandlerTimings.since(mark).keySet());
        assertEquals(Set.of("Sqs.SendMessage"), HandlerTimings.callsSince(mark).keySet());
        assertEquals(2.0, HandlerTimings.callsSince(mark).get("Sqs.SendMessage").p99Ms(), 1e-9);
    }

    @Test
    void functionsWithNothingNewAreLeftOut() {
        HandlerTimings.record("meters-idle", 1_000_000);
        Map<String, HandlerTimings.Summary> none = HandlerTimings.since(HandlerTimings.mark());
        assertFalse(none.containsKey("meters-idle"));
    }

    @Test
    void sqsBillsEach64KbChunkAsARequest() {
        assertEquals(1, QueueTraffic.chunks(0)); // an empty receive is still a request
        assertEquals(1, QueueTraffic.chunks(65_536));
        assertEquals(2, QueueTraffic.chunks(65_537));
        assertEquals(4, QueueTraffic.chunks(256 * 1024));
    }
}
