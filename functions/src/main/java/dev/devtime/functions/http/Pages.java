package dev.devtime.functions.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Lists too long for one response, answered a page at a time: each page holds as many items as fit in
 * {@link HttpResponses#PAGE_BUDGET_BYTES} and a {@code next_cursor} to ask for the rest with, or null on the
 * last page. The items are in time order; the cursor names the time of the next item and how many items of
 * that same time come before it, so every item is answered exactly once while the data does not change.
 */
public final class Pages {

    /** Room for the fields around the list (start, end, time zone, the cursor). */
    static final int ENVELOPE_RESERVE = 8 * 1024;

    private Pages() {}

    /** Where a page starts: at the first item of time {@code timeMs}, past {@code skip} items of that time. */
    public record Cursor(long timeMs, int skip) {

        public static final Cursor START = new Cursor(Long.MIN_VALUE, 0);

        public String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((timeMs + "|" + skip).getBytes(StandardCharsets.UTF_8));
        }

        /** The {@code cursor} query parameter, or {@link #START} without one. */
        public static Cursor of(HttpRequest request) {
            String s = request.query("cursor");
            if (s == null || s.isEmpty()) {
                return START;
            }
            try {
                String raw = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
                int bar = raw.indexOf('|');
                Cursor c = new Cursor(Long.parseLong(raw.substring(0, bar)), Integer.parseInt(raw.substring(bar + 1)));
                if (c.skip < 0) {
                    throw new IllegalArgumentException(raw);
                }
                return c;
            } catch (RuntimeException e) {
                throw new HttpException(400, "cursor is not one this server gave out; start again without it");
            }
        }
    }

    /** One page: the items as JSON text, and where the next page starts (null: this was the last). */
    public record Page(List<String> items, Cursor next) {}

    /**
     * The page of {@code items} (sorted by {@code timeOf}, all of them from at least the cursor's time on)
     * that starts at {@code from} and fits the budget.
     */
    public static <T> Page page(
            List<T> items, ToLongFunction<T> timeOf, Function<T, ? extends JsonNode> json, Cursor from) {
        return page(items, timeOf, json, from, HttpResponses.PAGE_BUDGET_BYTES);
    }

    static <T> Page page(
            List<T> items,
            ToLongFunction<T> timeOf,
            Function<T, ? extends JsonNode> json,
            Cursor from,
            int budgetBytes) {
        List<String> out = new ArrayList<>();
        long used = ENVELOPE_RESERVE;
        int firstOfTime = 0;
        for (int i = 0; i < items.size(); i++) {
            long t = timeOf.applyAsLong(items.get(i));
            if (i == 0 || t != timeOf.applyAsLong(items.get(i - 1))) {
                firstOfTime = i;
            }
            if (t < from.timeMs() || (t == from.timeMs() && i - firstOfTime < from.skip())) {
                continue;
            }
            String text = text(json.apply(items.get(i)));
            long size = HttpResponses.lambdaBytes(text) + 1;
            // At least one item a page, so a client always gets further.
            if (!out.isEmpty() && used + size > budgetBytes) {
                return new Page(out, new Cursor(t, i - firstOfTime));
            }
            out.add(text);
            used += size;
        }
        return new Page(out, null);
    }

    /**
     * The body {@code {"<field>": [items...], ...rest, "next_cursor": ...}}: the items are written as they
     * were measured, not serialized a second time.
     */
    public static String body(String field, Page page, ObjectNode rest) {
        ObjectNode tail = rest.deepCopy();
        if (page.next() == null) {
            tail.putNull("next_cursor");
        } else {
            tail.put("next_cursor", page.next().encode());
        }
        String restJson = tail.toString();
        StringBuilder b =
                new StringBuilder(page.items().stream().mapToInt(String::length).sum() + restJson.length() + 32);
        b.append("{\"").append(field).append("\":[");
        for (int i = 0; i < page.items().size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(page.items().get(i));
        }
        b.append("],").append(restJson, 1, restJson.length());
        return b.toString();
    }

    private static String text(JsonNode node) {
        try {
            return HttpResponses.JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
