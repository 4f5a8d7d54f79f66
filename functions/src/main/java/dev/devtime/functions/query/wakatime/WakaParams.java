package dev.devtime.functions.query.wakatime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.functions.http.HttpException;
import dev.devtime.functions.http.HttpRequest;
import dev.devtime.functions.http.Params;
import dev.devtime.functions.query.RollupReader;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.time.TimeAccounting;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** What WakaTime's reads share: their query parameters, all of a user's days, and the raw heartbeats behind a few. */
final class WakaParams {

    /**
     * The longest range a read recomputes from the raw heartbeats (about 100 small bucket items a day): summaries
     * in another {@code timezone} than the user's, and file experts.
     */
    static final int MAX_RAW_DAYS = 7;

    private WakaParams() {}

    /** The {@code timezone} parameter, else the user's zone. */
    static ZoneId zone(HttpRequest request, Timing s) {
        String tz = request.query("timezone");
        if (tz == null || tz.isBlank()) {
            return s.zone();
        }
        try {
            return ZoneId.of(tz.trim());
        } catch (DateTimeException e) {
            throw new HttpException(400, "timezone must be an IANA time zone like Asia/Kolkata");
        }
    }

    /** A required date parameter such as {@code date}. */
    static LocalDate requiredDate(HttpRequest request, String name) {
        String v = request.query(name);
        if (v == null || v.isBlank()) {
            throw new HttpException(400, name + " is required (YYYY-MM-DD)");
        }
        return Params.date(v, name);
    }

    /** The {@code page} parameter (1 when absent), as WakaTime's paged lists take it. */
    static int page(HttpRequest request, int pages) {
        String p = request.query("page");
        if (p == null || p.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(p.trim());
            if (n >= 1 && n <= pages) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new HttpException(400, "page must be a whole number from 1 to " + pages);
    }

    /** {@code prev_page}/{@code next_page}: a number, or null for none (0). */
    static void putPage(ObjectNode o, String name, int page) {
        if (page == 0) {
            o.putNull(name);
        } else {
            o.put(name, page);
        }
    }

    /** Every day of the user's, up to tomorrow in their zone ({@code today} is theirs). */
    static List<DayRollup> allDays(RollupReader rollups, String user, LocalDate today) {
        LocalDate first = rollups.firstDay(user);
        return first == null ? List.of() : rollups.query(user, first, today.plusDays(1));
    }

    /** The raw heartbeats deciding the days [start, end]: the days plus one timeout on each side. */
    static List<Heartbeat> timeline(BucketStore buckets, String user, LocalDate start, LocalDate end, Timing s) {
        long from = TimeAccounting.window(start, s)[0];
        long to = TimeAccounting.window(end, s)[1];
        return buckets.timeline(user, from, to + 1, true);
    }
}
