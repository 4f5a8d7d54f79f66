package dev.devtime.functions.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Map;

/**
 * The checks every path and query value goes through before a handler uses it, so that a well-formed request
 * can only be refused with a 4xx: identifiers fit in a DynamoDB key, dates lie where date arithmetic and epoch
 * milliseconds cannot overflow.
 */
public final class Params {

    /**
     * The longest identifier (user, key id) taken from a request. DynamoDB refuses partition keys over 2 KB and
     * sort keys over 1 KB; the stores add short prefixes, so this leaves room.
     */
    public static final int MAX_ID_BYTES = 512;
    /** Dates outside these can hold no heartbeat, and days past year 9999 do not format as ISO dates. */
    public static final LocalDate MIN_DATE = LocalDate.of(1970, 1, 1);

    public static final LocalDate MAX_DATE = LocalDate.of(9999, 12, 31);

    private Params() {}

    /** Refuses a request whose path parameters could not be a stored identifier. */
    static void checkPathParameters(HttpRequest request) {
        Map<String, String> p = request.event().getPathParameters();
        if (p == null) {
            return;
        }
        p.forEach((name, value) -> {
            if (value != null && !fitsId(value)) {
                throw new HttpException(400, "path parameter " + name + " is longer than " + MAX_ID_BYTES + " bytes");
            }
        });
    }

    /**
     * The {@code {user}} of a {@code /users/{user}} route, percent-decoded as WakaTime clients encode it; null on
     * the {@code /users/current} routes.
     */
    public static String pathUser(HttpRequest request) {
        String raw = request.pathParameter("user");
        if (raw == null) {
            return null;
        }
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A malformed escape names nobody; compared as sent, it matches no user.
            return raw;
        }
    }

    /** Whether {@code id} is short enough to be a user or key identifier. */
    public static boolean fitsId(String id) {
        return id.length() <= MAX_ID_BYTES && id.getBytes(StandardCharsets.UTF_8).length <= MAX_ID_BYTES;
    }

    /**
     * A date parameter: {@code YYYY-MM-DD}, or a full ISO date-time (some WakaTime clients send one) whose date
     * part is meant, between {@link #MIN_DATE} and {@link #MAX_DATE}.
     */
    public static LocalDate date(String value, String name) {
        LocalDate d;
        try {
            d = LocalDate.parse(
                    value.length() > 10 && (value.charAt(10) == 'T' || value.charAt(10) == ' ')
                            ? value.substring(0, 10)
                            : value);
        } catch (DateTimeException e) {
            throw new HttpException(400, name + " must be a date like 2026-01-31");
        }
        if (d.isBefore(MIN_DATE) || d.isAfter(MAX_DATE)) {
            throw new HttpException(400, name + " must be a date from " + MIN_DATE + " to " + MAX_DATE);
        }
        return d;
    }
}
