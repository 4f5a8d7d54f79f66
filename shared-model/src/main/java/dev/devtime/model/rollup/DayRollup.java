package dev.devtime.model.rollup;

import java.time.LocalDate;
import java.util.List;

/**
 * Everything DevTime knows about one user's local day: time by attribute combination, AI usage,
 * sessions, the number of heartbeats and the time of each project's main entities (bounded, see
 * {@link EntityRow#bounded}; days stored before entities were kept have none). Stats for any range are
 * sums of these.
 */
public record DayRollup(
        LocalDate date,
        List<DurationRow> rows,
        List<AiRow> ai,
        List<Session> sessions,
        int heartbeats,
        List<EntityRow> entities) {

    /** A day without entity time. */
    public DayRollup(LocalDate date, List<DurationRow> rows, List<AiRow> ai, List<Session> sessions, int heartbeats) {
        this(date, rows, ai, sessions, heartbeats, List.of());
    }

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
