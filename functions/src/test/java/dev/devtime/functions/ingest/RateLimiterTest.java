package dev.devtime.functions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        long ms = 1_700_000_000_000L;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(ms);
        }
    }

    final ManualClock clock = new ManualClock();

    @Test
    void aFullBucketTakesTheBurstThenRefusesWithTheWaitForTheMissingTokens() {
        RateLimiter l = new RateLimiter(100, 1000, clock);
        for (int i = 0; i < 40; i++) {
            assertTrue(l.tryAcquire("a", 25).allowed(), "request " + i);
        }
        RateLimiter.Decision d = l.tryAcquire("a", 25);
        assertFalse(d.allowed());
        // 25 tokens at 100 a minute: 15 s.
        assertEquals(15, d.retryAfterSeconds());
        clock.ms += 14_000;
        assertFalse(l.tryAcquire("a", 25).allowed());
        clock.ms += 1_000;
        assertTrue(l.tryAcquire("a", 25).allowed());
        assertFalse(l.tryAcquire("a", 1).allowed());
    }

    @Test
    void aRefusedRequestTakesNothing() {
        RateLimiter l = new RateLimiter(60, 10, clock);
        assertTrue(l.tryAcquire("a", 8).allowed());
        assertFalse(l.tryAcquire("a", 5).allowed());
        // The 2 tokens left are still there for a smaller request.
        assertTrue(l.tryAcquire("a", 2).allowed());
        assertFalse(l.tryAcquire("a", 1).allowed());
    }

    @Test
    void usersHaveTheirOwnBuckets() {
        RateLimiter l = new RateLimiter(100, 100, clock);
        assertTrue(l.tryAcquire("a", 100).allowed());
        assertFalse(l.tryAcquire("a", 1).allowed());
        assertTrue(l.tryAcquire("b", 100).allowed());
    }

    @Test
    void theSustainedRateIsThePerMinuteRateWhateverTheRequestSize() {
        RateLimiter l = new RateLimiter(100, 1000, clock);
        int accepted = 0;
        // Ten minutes of a client sending 25 heartbeats every second.
        for (int s = 0; s < 600; s++) {
            if (l.tryAcquire("a", 25).allowed()) {
                accepted += 25;
            }
            clock.ms += 1000;
        }
        // The burst plus ten minutes at 100 a minute, within one request.
        assertTrue(accepted <= 1000 + 1000 + 25 && accepted >= 1000 + 1000 - 25, "accepted " + accepted);
    }

    @Test
    void aRequestLargerThanTheBurstPassesOnceTheBucketIsFull() {
        RateLimiter l = new RateLimiter(100, 50, clock);
        assertTrue(l.tryAcquire("a", 80).allowed());
        RateLimiter.Decision d = l.tryAcquire("a", 80);
        assertFalse(d.allowed());
        assertEquals(30, d.retryAfterSeconds());
        clock.ms += 30_000;
        assertTrue(l.tryAcquire("a", 80).allowed());
    }

    @Test
    void zeroPerMinuteIsOff() {
        RateLimiter l = new RateLimiter(0, 0, clock);
        for (int i = 0; i < 100; i++) {
            assertTrue(l.tryAcquire("a", 1000).allowed());
        }
        assertEquals(0, l.trackedUsers());
    }

    @Test
    void idleUsersAreForgottenWhenManyAreTracked() {
        RateLimiter l = new RateLimiter(100, 100, clock);
        for (int i = 0; i <= RateLimiter.MAX_TRACKED_USERS; i++) {
            l.tryAcquire("u" + i, 1);
        }
        clock.ms += 60_000;
        l.tryAcquire("late", 1);
        assertEquals(1, l.trackedUsers());
    }
}
