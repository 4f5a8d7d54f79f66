package dev.devtime.model.rollup;

import java.time.LocalDate;
import java.util.List;

/**
 * Everything DevTime knows about one user's local day: time by attribute combination, AI usage,
 * sessions and the number of heartbeats. Stats for any range are sums of these.
 */
public record DayRollup(LocalDate date, List<DurationRow> rows, List<AiRow> ai, List<Session> sessions,
                        int heartbeats) {

    public long totalMs() {
        long t = 0;
        for (DurationRow r : rows) {
            t += r.ms();
        }
        return t;
    }

    public static DayRollup empty(LocalDate date) {
        return new DayRollup(date, List.of(), List.of(), List.of(), 0);
    }
}
