package dev.devtime.functions.query;

import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.Params;
import dev.devtime.model.wakatime.WakaRange;
import java.time.LocalDate;
import java.util.function.Supplier;

/**
 * The days a read covers, in the user's time zone, from its query: {@code start}/{@code end} dates, or a
 * named range: DevTime's ({@code range=today|week|month|year|all}, {@link #of}) or WakaTime's
 * ({@code Last 7 Days}, {@code last_30_days}, {@code 2026-03}, ..., {@link #wakatime}).
 */
public record DateRange(LocalDate start, LocalDate end) {

    public static final int MAX_DAYS = 3660;

    /**
     * {@code start}/{@code end}, else DevTime's named ranges: week, month and year are the last 7, 30 and 365
     * days including today.
     *
     * @param firstDay the first day with data, asked for only when {@code range=all}
     */
    public static DateRange of(HttpRequest r, LocalDate today, Supplier<LocalDate> firstDay, String defaultRange) {
        DateRange explicit = explicit(r);
        if (explicit != null) {
            return explicit;
        }
        String range = r.query("range") != null ? r.query("range") : defaultRange;
        return switch (range) {
            case "today" -> new DateRange(today, today);
            case "yesterday" -> new DateRange(today.minusDays(1), today.minusDays(1));
            case "week", "last_7_days" -> new DateRange(today.minusDays(6), today);
            case "month", "last_30_days" -> new DateRange(today.minusDays(29), today);
            case "year", "last_year", "last_365_days" -> new DateRange(today.minusDays(364), today);
            case "all", "all_time" -> {
                LocalDate first = firstDay.get();
                yield new DateRange(first == null || first.isAfter(today) ? today : first, today);
            }
            default ->
                throw new HttpException(
                        400, "unknown range '" + range + "'; use today, week, month, year or all, or start and end");
        };
    }

    /** The {@code start} and {@code end} dates of the query, at most {@link #MAX_DAYS} apart; null when it gives neither. */
    public static DateRange explicit(HttpRequest r) {
        String start = r.query("start");
        String end = r.query("end");
        if (start == null && end == null) {
            return null;
        }
        if (start == null || end == null) {
            throw new HttpException(400, "give both start and end (YYYY-MM-DD)");
        }
        LocalDate s = Params.date(start, "start");
        LocalDate e = Params.date(end, "end");
        if (e.isBefore(s)) {
            throw new HttpException(400, "end is before start");
        }
        if (s.plusDays(MAX_DAYS).isBefore(e)) {
            throw new HttpException(400, "a range may span at most " + MAX_DAYS + " days");
        }
        return new DateRange(s, e);
    }

    /**
     * One of WakaTime's named ranges ({@link WakaRange}), a 400 for a name that is none.
     *
     * @param firstDay the first day with data, asked for only by {@code all_time}
     */
    public static WakaRange wakatime(String name, LocalDate today, Supplier<LocalDate> firstDay) {
        try {
            return WakaRange.of(name, today, firstDay);
        } catch (WakaRange.UnknownRange e) {
            throw new HttpException(400, e.getMessage());
        }
    }
}
