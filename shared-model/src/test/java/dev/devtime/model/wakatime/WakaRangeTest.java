package dev.devtime.model.wakatime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class WakaRangeTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 22); // a Sunday

    static WakaRange of(String name) {
        return WakaRange.of(name, TODAY, () -> LocalDate.of(2025, 1, 5));
    }

    @Test
    void bothSpellingsOfEveryRange() {
        assertEquals(new WakaRange(LocalDate.of(2026, 11, 16), TODAY, "last_7_days", "Last 7 Days"), of("Last 7 Days"));
        assertEquals(of("last_7_days"), of("Last 7 Days"));
        assertEquals(
                new WakaRange(
                        LocalDate.of(2026, 11, 15),
                        LocalDate.of(2026, 11, 21),
                        "last_7_days_from_yesterday",
                        "Last 7 Days from Yesterday"),
                of("Last 7 Days from Yesterday"));
        assertEquals(LocalDate.of(2026, 10, 24), of("last_30_days").start());
        assertEquals(LocalDate.of(2026, 5, 23), of("last_6_months").start());
        assertEquals(LocalDate.of(2025, 11, 23), of("last_year").start());
        assertEquals(LocalDate.of(2025, 1, 5), of("all_time").start());
        assertEquals(new WakaRange(LocalDate.of(2026, 11, 16), TODAY, "this_week", "This Week"), of("This Week"));
        assertEquals(
                new WakaRange(LocalDate.of(2026, 11, 9), LocalDate.of(2026, 11, 15), "last_week", "Last Week"),
                of("Last Week"));
        assertEquals(
                new WakaRange(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 31), "last_month", "Last Month"),
                of("Last Month"));
        assertEquals(
                new WakaRange(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 29), "2024-02", "2024-02"),
                of("2024-02"));
        assertEquals(365, of("2025").days());
    }

    @Test
    void allTimeWithoutDataIsToday() {
        assertEquals(new WakaRange(TODAY, TODAY, "all_time", "All Time"), WakaRange.of("all_time", TODAY, () -> null));
    }

    @Test
    void unknownNamesAreRefusedWithTheList() {
        assertThrows(WakaRange.UnknownRange.class, () -> of("next_week"));
        assertThrows(WakaRange.UnknownRange.class, () -> of("2026-13"));
    }
}
