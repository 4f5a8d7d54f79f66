package dev.devtime.model.wakatime;

import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.DurationRow;
import dev.devtime.model.time.TimeAccounting;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * WakaTime's {@code durations}: a day's heartbeats joined into stretches of one project (and one value
 * of the {@code slice_by} attribute). The time of each stretch is credited exactly as
 * {@link TimeAccounting#day} credits it (gap to the next heartbeat, up to the timeout, to the earlier
 * heartbeat; idle closes; clipped at local midnight), so the durations of a day sum to its total.
 */
public final class WakaDurations {

    private WakaDurations() {}

    /** What {@code slice_by} can name; {@code project} is the default, as on wakatime.com. */
    public enum SliceBy {
        PROJECT(h -> h.project()),
        ENTITY(Heartbeat::entity),
        LANGUAGE(Heartbeat::language),
        BRANCH(Heartbeat::branch),
        CATEGORY(Heartbeat::category),
        EDITOR(Heartbeat::editor),
        OS(Heartbeat::os),
        MACHINE(Heartbeat::machine);

        final Function<Heartbeat, String> value;

        SliceBy(Function<Heartbeat, String> value) {
            this.value = value;
        }

        /** The JSON field the slice value is written to. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Null when the name is not one of them. Accepts WakaTime's {@code dependencies} as unknown. */
        public static SliceBy of(String name) {
            if (name == null || name.isEmpty()) {
                return PROJECT;
            }
            for (SliceBy s : values()) {
                if (s.key().equals(name.toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
            return null;
        }
    }

    /**
     * One duration.
     *
     * @param project the project (WakaTime always reports it)
     * @param slice   the value of the slice attribute ({@code project} slicing repeats the project)
     * @param startMs when it starts, clipped to the day
     * @param ms      its length; 0 for a heartbeat that joined nothing (WakaTime lists those too)
     */
    public record Span(String project, String slice, long startMs, long ms) {}

    /** @param timeline the user's sorted heartbeats covering {@link TimeAccounting#window} of the day */
    public static List<Span> of(List<Heartbeat> timeline, LocalDate day, Timing s, SliceBy sliceBy) {
        long start = TimeAccounting.dayStartMs(day, s.zone());
        long end = TimeAccounting.dayStartMs(day.plusDays(1), s.zone());
        List<Span> out = new ArrayList<>();
        Span open = null;
        for (int i = 0; i < timeline.size(); i++) {
            Heartbeat a = timeline.get(i);
            if (a.isIdle() || a.timeMs() >= end) {
                continue;
            }
            long credit = 0;
            long next = i + 1 < timeline.size() ? timeline.get(i + 1).timeMs() : Long.MIN_VALUE;
            if (i + 1 < timeline.size() && next - a.timeMs() <= s.timeoutMs()) {
                credit = Math.max(0, Math.min(next, end) - Math.max(a.timeMs(), start));
            }
            if (a.timeMs() < start && credit == 0) {
                continue;
            }
            long from = Math.max(a.timeMs(), start);
            String project = nz(a.project());
            String slice = nz(sliceBy.value.apply(a));
            if (open != null
                    && open.startMs() + open.ms() == from
                    && open.project().equals(project)
                    && open.slice().equals(slice)) {
                open = new Span(project, slice, open.startMs(), open.ms() + credit);
                out.set(out.size() - 1, open);
            } else if (open != null && credit == 0 && open.startMs() + open.ms() == from) {
                // The last heartbeat of a stretch, with other attributes: it adds no time and no duration.
                continue;
            } else {
                open = new Span(project, slice, from, credit);
                out.add(open);
            }
        }
        return out;
    }

    private static String nz(String v) {
        return Objects.requireNonNullElse(v, DurationRow.UNKNOWN);
    }
}
