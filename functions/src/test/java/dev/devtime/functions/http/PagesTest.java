package dev.devtime.functions.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Paging by byte budget: every item once, in order, however many share a time across a page boundary. */
class PagesTest {

    record Item(long time, int n) {}

    static ObjectNode json(Item i) {
        return HttpResponses.JSON
                .createObjectNode()
                .put("time", i.time())
                .put("n", i.n())
                .put("pad", "x".repeat(40));
    }

    @Test
    void pagesGiveEveryItemOnceEvenWhenManyShareATime() throws Exception {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            items.add(new Item(1000 + i / 37, i)); // runs of 37 items with the same time
        }
        int budget = Pages.ENVELOPE_RESERVE + 2_000;
        List<Integer> seen = new ArrayList<>();
        Pages.Cursor cursor = Pages.Cursor.START;
        int pages = 0;
        do {
            // The cursor survives its trip through a URL.
            Pages.Page page = Pages.page(items, Item::time, PagesTest::json, cursor, budget);
            String body = Pages.body(
                    "data", page, HttpResponses.JSON.createObjectNode().put("timezone", "UTC"));
            JsonNode o = HttpResponses.JSON.readTree(body);
            assertEquals("UTC", o.get("timezone").asText());
            assertTrue(HttpResponses.lambdaBytes(body) <= budget, "page " + pages + " is " + body.length());
            o.get("data").forEach(d -> seen.add(d.get("n").asInt()));
            cursor = o.get("next_cursor").isNull()
                    ? null
                    : decode(o.get("next_cursor").asText());
            pages++;
        } while (cursor != null);
        assertTrue(pages > 10, "pages: " + pages);
        List<Integer> expected = new ArrayList<>();
        items.forEach(i -> expected.add(i.n()));
        assertEquals(expected, seen);
    }

    @Test
    void aShortListIsOnePageWithANullCursor() {
        Pages.Page page = Pages.page(List.of(new Item(1, 1)), Item::time, PagesTest::json, Pages.Cursor.START);
        assertNull(page.next());
        assertEquals(1, page.items().size());
    }

    @Test
    void lambdaBytesCountsTheEscapesOfAJsonString() {
        assertEquals(4 + 2 + 2 + 6 + 2 + 3, HttpResponses.lambdaBytes("abcd\"\\\u0001\u00e9\u20ac"));
        assertEquals(4, HttpResponses.lambdaBytes("\ud83d\ude00"));
    }

    private static Pages.Cursor decode(String s) {
        com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent e =
                new com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent();
        e.setQueryStringParameters(java.util.Map.of("cursor", s));
        return Pages.Cursor.of(new HttpRequest(e));
    }
}
