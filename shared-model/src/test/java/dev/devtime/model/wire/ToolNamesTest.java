package dev.devtime.model.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server's tool names are the ones in tools.json, the file the dashboard's labels come from too. */
class ToolNamesTest {

    @Test
    void everyToolIdInTheSharedTableHasItsLabel() throws Exception {
        Map<String, String> table;
        try (InputStream in = UserAgent.class.getResourceAsStream("tools.json")) {
            table = new ObjectMapper().readValue(in, new TypeReference<>() {});
        }
        assertFalse(table.isEmpty());
        table.forEach((id, label) -> assertEquals(label, UserAgent.displayName(id), id));
        assertEquals("Kate", UserAgent.displayName("kate"), "an id outside the table is capitalised");
    }

    @Test
    void aJetBrainsUserAgentGetsTheTableLabel() {
        UserAgent ua = UserAgent.parse(
                "wakatime/v1.90.0 (linux-6.1-x86_64) go1.22.1 IntelliJ IDEA/2024.1 intellij-wakatime/15.0.0");
        assertEquals("intellij", ua.tool());
        assertEquals("IntelliJ IDEA", UserAgent.displayName(ua.tool()));
    }
}
