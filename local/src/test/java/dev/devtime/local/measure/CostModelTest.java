package dev.devtime.local.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hand-computed bills: each expected figure is worked out in the comment beside it. */
class CostModelTest {

    private static final CostModel.Prices P = CostModel.Prices.US_EAST_1;

    @Test
    void aMillionOfEverythingCostsTheListPrices() {
        // 1M requests of each kind, 1M GB-seconds at 1024 MB (1e9 ms), 1 GB-month stored.
        CostModel.Bill b = CostModel.price(new CostModel.Usage(1e6, 1e6, 1e9, 1e6, 1e6, 1e6, 1), P, 1024);
        assertEquals(1.00, b.apiGateway(), 1e-12);
        assertEquals(0.20, b.lambdaRequests(), 1e-12);
        assertEquals(1e6 * 0.0000133334, b.lambdaDuration(), 1e-9); // 13.3334
        assertEquals(0.40, b.sqs(), 1e-12);
        assertEquals(0.625, b.dynamoWrites(), 1e-12);
        assertEquals(0.125, b.dynamoReads(), 1e-12);
        assertEquals(0.25, b.dynamoStorage(), 1e-12);
        assertEquals(1.00 + 0.20 + 13.3334 + 0.40 + 0.625 + 0.125 + 0.25, b.total(), 1e-9);
    }

    @Test
    void lambdaDurationScalesWithMemory() {
        // 2,000 billed ms at 512 MB = 2 s x 0.5 GB = 1 GB-s.
        CostModel.Bill b = CostModel.price(new CostModel.Usage(0, 0, 2000, 0, 0, 0, 0), P, 512);
        assertEquals(0.0000133334, b.lambdaDuration(), 1e-15);
        assertEquals(b.lambdaDuration(), b.total(), 1e-15);
    }

    @Test
    void idlePollingOfFivePollersAtTwentySecondLongPolls() {
        // 730 h x 3600 s / 20 s = 131,400 receives per poller; x 5 = 657,000; x $0.40/M = $0.2628.
        double receives = CostModel.idleReceivesPerMonth(5, 20);
        assertEquals(657_000, receives, 0);
        assertEquals(
                0.2628,
                CostModel.price(new CostModel.Usage(0, 0, 0, receives, 0, 0, 0), P, 1024)
                        .sqs(),
                1e-12);
    }

    @Test
    void perMillionAndPerDeveloperMonthFromOneSimulatedDay() {
        // A day of 2 developers: 4,000 heartbeats, 2,000 API requests, 3,000 invocations billed 30,000 ms,
        // 4,000 SQS requests, 1,000 write and 500 read units, 4,000,000 bytes stored.
        CostModel.Usage day = new CostModel.Usage(2000, 3000, 30_000, 4000, 1000, 500, 0);
        CostModel.Figures f = CostModel.figures(day, 4000, 4_000_000, 2, 22, 12, P, 1024);

        // Per heartbeat: 0.5 API requests, 0.75 invocations, 7.5 ms, 1 SQS request, 0.25 WRU, 0.125 RRU, 1,000 bytes.
        CostModel.Bill m = f.perMillionHeartbeats();
        assertEquals(0.50, m.apiGateway(), 1e-12); // 500,000 x $1/M
        assertEquals(0.15, m.lambdaRequests(), 1e-12); // 750,000 x $0.20/M
        assertEquals(0.1000005, m.lambdaDuration(), 1e-12); // 7.5e6 ms = 7,500 GB-s x $0.0000133334
        assertEquals(0.40, m.sqs(), 1e-12); // 1,000,000 x $0.40/M
        assertEquals(0.15625, m.dynamoWrites(), 1e-12); // 250,000 x $0.625/M
        assertEquals(0.015625, m.dynamoReads(), 1e-12); // 125,000 x $0.125/M
        assertEquals(1e9 / 1073741824.0 * 0.25, m.dynamoStorage(), 1e-12); // 1e9 bytes for a month: $0.2328...

        // A developer's month: 4,000 / 2 x 22 = 44,000 heartbeats, 0.044 of the million above, plus twelve
        // months of 2,000,000 bytes x 22 days = 528,000,000 bytes stored.
        assertEquals(44_000, f.heartbeatsPerDevMonth(), 0);
        CostModel.Bill d = f.perDevMonth();
        assertEquals(0.022, d.apiGateway(), 1e-12);
        assertEquals(0.0066, d.lambdaRequests(), 1e-12);
        assertEquals(0.004400022, d.lambdaDuration(), 1e-12);
        assertEquals(0.0176, d.sqs(), 1e-12);
        assertEquals(0.006875, d.dynamoWrites(), 1e-12);
        assertEquals(0.0006875, d.dynamoReads(), 1e-12);
        assertEquals(528e6 / 1073741824.0 * 0.25, d.dynamoStorage(), 1e-12); // $0.12293...
        assertEquals(
                0.022 + 0.0066 + 0.004400022 + 0.0176 + 0.006875 + 0.0006875 + 528e6 / 1073741824.0 * 0.25,
                d.total(),
                1e-12);
    }

    @Test
    void dollarsAreRoundedToEightDecimals() {
        assertEquals(0.00000123, CostModel.round(0.000001234), 0);
        assertEquals(0.00000124, CostModel.round(0.000001235), 0);
    }
}
