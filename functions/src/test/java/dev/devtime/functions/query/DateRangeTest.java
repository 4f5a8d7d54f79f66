package dev.devtime.functions.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DateRangeTest {

    static final LocalDate TODAY = LocalDate.of(2026, 3, 10);

    static DateRange of(Map<String, String> query) {
        return DateRange.of(
                new HttpRequest(APIGatewayV2HTTPEvent.builder()
                        .withQueryStringParameters(query)
                        .build()),
                TODAY,
                () -> LocalDate.of(2025, 1, 5),
                "week");
    }

    @Test
    void namedRangesEndToday() {
        assertEquals(new DateRange(TODAY, TODAY), of(Map.of("range", "today")));
        assertEquals(new DateRange(TODAY.minusDays(6), TODAY), of(Map.of()));
        assertEquals(new DateRange(TODAY.minusDays(29), TODAY), of(Map.of("range", "month")));
        assertEquals(new DateRange(TODAY.minusDays(364), TODAY), of(Map.of("range", "year")));
        assertEquals(new DateRange(LocalDate.of(2025, 1, 5), TODAY), of(Map.of("range", "all")));
    }

    @Test
    void explicitDatesAreChecked() {
        assertEquals(
                new DateRange(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 31)),
                of(Map.of("start", "2026-01-01", "end", "2026-01-31")));
        assertEquals(
                400,
                assertThrows(HttpException.class, () -> of(Map.of("start", "2026-01-01")))
                        .status());
        assertEquals(
                400,
                assertThrows(HttpException.class, () -> of(Map.of("start", "2026-02-01", "end", "2026-01-01")))
                        .status());
        assertEquals(
                400,
                assertThrows(HttpException.class, () -> of(Map.of("start", "01/02/2026", "end", "2026-01-01")))
                        .status());
        assertEquals(
                400,
                assertThrows(HttpException.class, () -> of(Map.of("start", "2000-01-01", "end", "2026-01-01")))
                        .status());
        assertEquals(
                400,
                assertThrows(HttpException.class, () -> of(Map.of("range", "fortnight")))
                        .status());
    }

    @Test
    void datesAtTheEndsOfLocalDateAreRefusedNotOverflowed() {
        for (String d : new String[] {"+999999999-12-31", "-999999999-01-01", "+10000-01-01", "1969-12-31"}) {
            HttpException e = assertThrows(HttpException.class, () -> of(Map.of("start", d, "end", d)), d);
            assertEquals(400, e.status(), d);
        }
        assertEquals(
                new DateRange(LocalDate.of(9999, 12, 31), LocalDate.of(9999, 12, 31)),
                of(Map.of("start", "9999-12-31", "end", "9999-12-31")));
    }

    @Test
    void wakatimeReadsShareTheExplicitDatesAndNameTheirOwnRanges() {
        HttpRequest none = new HttpRequest(APIGatewayV2HTTPEvent.builder()
                .withQueryStringParameters(Map.of("range", "today"))
                .build());
        assertEquals(null, DateRange.explicit(none));
        HttpRequest dates = new HttpRequest(APIGatewayV2HTTPEvent.builder()
                .withQueryStringParameters(Map.of("start", "2026-03-01", "end", "2026-03-02T10:00:00Z"))
                .build());
        assertEquals(new DateRange(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 2)), DateRange.explicit(dates));

        var week = DateRange.wakatime("Last 7 Days", TODAY, () -> null);
        assertEquals(TODAY.minusDays(6), week.start());
        assertEquals("last_7_days", week.key());
        HttpException e = assertThrows(HttpException.class, () -> DateRange.wakatime("fortnight", TODAY, () -> null));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("unknown range 'fortnight'"), e.getMessage());
    }
}
