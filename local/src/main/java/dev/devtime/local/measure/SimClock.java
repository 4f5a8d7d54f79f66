package dev.devtime.local.measure;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Simulated time for the handlers: once started, runs {@code speed} times faster than the real clock from a
 * chosen moment, so a working day passes in minutes while "today", key-cache ages and heartbeat age checks
 * all see the day being simulated. {@link #freezeAt} stops it (the morning after, when the day is checked).
 */
final class SimClock extends Clock {

    /** One volatile reference, so a reader never mixes the old start with the new speed. */
    private record Anchor(long simMs, long realNanos, double speed) {}

    private volatile Anchor anchor;

    /** A clock standing still at {@code simMs} until {@link #run} starts it. */
    SimClock(long simMs) {
        freezeAt(simMs);
    }

    /** From now on, simulated time runs from {@code simMs} at {@code speed} times real time. */
    void run(long simMs, double speed) {
        anchor = new Anchor(simMs, System.nanoTime(), speed);
    }

    void freezeAt(long simMs) {
        run(simMs, 0);
    }

    @Override
    public long millis() {
        Anchor a = anchor;
        return a.simMs + (long) ((System.nanoTime() - a.realNanos) / 1e6 * a.speed);
    }

    /** The real {@link System#nanoTime} at which simulated time reaches {@code simMs} (the clock must be running). */
    long realNanosAt(long simMs) {
        Anchor a = anchor;
        return a.realNanos + (long) ((simMs - a.simMs) / a.speed * 1e6);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same simulated time seen from another zone (the handlers ask for the user's). */
    @Override
    public Clock withZone(ZoneId zone) {
        SimClock self = this;
        return new Clock() {
            @Override
            public long millis() {
                return self.millis();
            }

            @Override
            public Instant instant() {
                return self.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return self.withZone(other);
            }
        };
    }
}
