package dev.devtime.model.wakatime;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * WakaTime's named ranges, for {@code summaries?range=} ("Last 7 Days") and {@code stats/{range}}
 * ({@code last_7_days}), resolved against the user's local today. Both spellings are accepted
 * everywhere. Weeks start on Monday.
 *
 * @param key  the snake_case name, as {@code stats} reports it in {@code range}
 * @param text the human-readable name, as WakaTime writes it
 */
public record WakaRange(LocalDate start, LocalDate end, String key, String text) {

    /** Thrown for a name that is none of the ranges; its message says which ones exist. */
    public static final class UnknownRange extends IllegalArgumentException {
        UnknownRange(String name) {
            super("unknown range '" + name + "'; use today, yesterday, last_7_days, last_7_days_from_yesterday, "
                    + "last_14_days, last_30_days, last_6_months, last_year, all_time, this_week, last_week, "
                    + "this_month, last_month, a year (2026) or a month (2026-03)");
        }
    }

    /** @param firstDay the user's first day with data, asked for only by {@code all_time} */
    public static WakaRange of(String name, LocalDate today, Supplier<LocalDate> firstDay) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        switch (key) {
            case "today":
                return new WakaRange(today, today, key, "Today");
            case "yesterday":
                return new WakaRange(today.minusDays(1), today.minusDays(1), key, "Yesterday");
            case "last_7_days":
                return new WakaRange(today.minusDays(6), today, key, "Last 7 Days");
            case "last_7_days_from_yesterday":
                return new WakaRange(today.minusDays(7), today.minusDays(1), key, "Last 7 Days from Yesterday");
            case "last_14_days":
                return new WakaRange(today.minusDays(13), today, key, "Last 14 Days");
            case "last_30_days":
                return new WakaRange(today.minusDays(29), today, key, "Last 30 Days");
            case "last_6_months":
                return new WakaRange(today.minusMonths(6).plusDays(1), today, key, "Last 6 Months");
            case "last_year", "last_12_months":
                return new WakaRange(today.minusYears(1).plusDays(1), today, "last_year", "Last Year");
            case "this_week": {
                LocalDate monday = today.with(DayOfWeek.MONDAY);
                return new WakaRange(monday, today, key, "This Week");
            }
            case "last_week": {
                LocalDate monday = today.with(DayOfWeek.MONDAY).minusWeeks(1);
                return new WakaRange(monday, monday.plusDays(6), key, "Last Week");
            }
            case "this_month":
                return new WakaRange(today.withDayOfMonth(1), today, key, "This Month");
            case "last_month": {
                YearMonth m = YearMonth.from(today).minusMonths(1);
                return new WakaRange(m.atDay(1), m.atEndOfMonth(), key, "Last Month");
            }
            case "all_time": {
                LocalDate first = firstDay.get();
                return new WakaRange(first == null || first.isAfter(today) ? today : first, today, key, "All Time");
            }
            default:
                return calendar(name.trim());
        }
    }

    /** {@code 2026} or {@code 2026-03}: a calendar year or month (WakaTime's stats accept both). */
    private static WakaRange calendar(String name) {
        try {
            if (name.matches("\\d{4}")) {
                int y = Integer.parseInt(name);
                return new WakaRange(LocalDate.of(y, 1, 1), LocalDate.of(y, 12, 31), name, name);
            }
            if (name.matches("\\d{4}-\\d{2}")) {
                YearMonth m = YearMonth.parse(name);
                return new WakaRange(m.atDay(1), m.atEndOfMonth(), name, name);
            }
        } catch (java.time.DateTimeException e) {
            throw new UnknownRange(name);
        }
        throw new UnknownRange(name);
    }

    public int days() {
        return (int) (end.toEpochDay() - start.toEpochDay() + 1);
    }
}
