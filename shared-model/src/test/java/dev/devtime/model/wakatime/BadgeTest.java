package dev.devtime.model.wakatime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BadgeTest {

    @Test
    void shieldsEndpointShape() {
        assertEquals(
                "{\"schemaVersion\":1,\"label\":\"coding time\",\"message\":\"3 hrs 5 mins\",\"color\":\"007ec6\"}",
                new Badge("coding time", "3 hrs 5 mins", "007ec6").shieldsJson().toString());
    }

    @Test
    void svgEscapesWhatUsersTyped() {
        String svg = new Badge("<script>", "1 hr", "007ec6").svg();
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertTrue(svg.contains("&lt;script&gt;") && !svg.contains("<script>"), svg);
        assertTrue(svg.contains("fill=\"#007ec6\""), svg);
    }
}
