package dev.devtime.functions.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.functions.http.HttpException;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.wire.ParseResult;
import dev.devtime.model.wire.RequestMeta;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ImportServiceTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long NOW = 1_763_800_000_000L;
    static final RequestMeta META = new RequestMeta(null, null, NOW, ImportService.MAX_AGE_MS);

    ParseResult parse(String json) throws Exception {
        return ImportService.parse(JSON.readTree(json), META);
    }

    @Test
    void aWakaTimeDumpHeartbeatTenYearsOldImportsWithItsMachineId() throws Exception {
        // As in a wakatime.com dump: ids for the machine and user agent, no user_agent string.
        ParseResult r = parse("""
                {"id":"9b1c0a0e-0f6f-4a39-9d7e-3b8d7f0c2a11","branch":"main","category":"coding",
                 "created_at":"2016-03-01T09:00:03Z","cursorpos":12,"dependencies":["requests"],
                 "entity":"/home/me/api/app.py","is_write":true,"language":"Python","lineno":40,"lines":210,
                 "machine_name_id":"4f2a0b7c-1111-4a2b-9c3d-5e6f7a8b9c0d","project":"api","project_root_count":4,
                 "time":1456822800.25,"type":"file","user_agent_id":"0c1d2e3f-2222-4b5c-8d6e-7f8091a2b3c4"}""");
        assertTrue(r.isOk(), r.error());
        Heartbeat h = r.heartbeat();
        assertEquals(1_456_822_800_250L, h.timeMs());
        assertEquals("4f2a0b7c-1111-4a2b-9c3d-5e6f7a8b9c0d", h.machine());
        assertEquals("api", h.project());
        assertEquals(Boolean.TRUE, h.isWrite());
    }

    @Test
    void aDevTimeExportItemKeepsItsEditorPluginAndOsAndMayHaveNoEntity() throws Exception {
        ParseResult r = parse("""
                {"id":"x","time":1763790000.123,"entity":null,"type":"app","category":"ai coding","project":"p",
                 "branch":null,"language":null,"is_write":null,"lines":null,"lineno":null,"cursorpos":null,
                 "tool":"claude-code","editor":"Claude Code","plugin":"devtime-claude-code/0.1.0",
                 "operating_system":"Linux","machine":"box","ai_session":"s1","ai_model":"claude-sonnet-4-5",
                 "ai_input_tokens":1200,"ai_output_tokens":300,"ai_prompts":1}""");
        assertTrue(r.isOk(), r.error());
        Heartbeat h = r.heartbeat();
        assertNull(h.entity());
        assertEquals("app", h.type());
        assertEquals("Claude Code", h.editor());
        assertEquals("devtime-claude-code/0.1.0", h.plugin());
        assertEquals("Linux", h.os());
        assertEquals(1200, h.tokensIn());
        assertEquals(1, h.prompts());
        assertEquals(1_763_790_000_123L, h.timeMs());
    }

    @Test
    void exportedNamesGetTheParsersLimits() throws Exception {
        ParseResult r =
                parse("{\"time\":1763790000,\"entity\":\"/a\",\"tool\":\"vscode\",\"editor\":\"VS\\u0007Code\"}");
        assertFalse(r.isOk());
        assertTrue(r.error().contains("editor"), r.error());
        r = parse("{\"time\":1763790000,\"entity\":\"/a\",\"tool\":\"vscode\",\"editor\":\"VS Code\",\"plugin\":\""
                + "x".repeat(600) + "\"}");
        assertFalse(r.isOk());
        // The future is still refused: a dump cannot hold tomorrow.
        assertFalse(parse("{\"time\":" + (NOW / 1000 + 7200) + ",\"entity\":\"/a\"}")
                .isOk());
    }

    @Test
    void theCursorRoundTripsAndAForgedOneIsA400() {
        ExportService.Cursor c = new ExportService.Cursor("B#1763790000000", 17);
        assertEquals(c, ExportService.Cursor.decode(c.encode()));
        assertThrows(HttpException.class, () -> ExportService.Cursor.decode("S0VZIzx8MA"));
        assertThrows(HttpException.class, () -> ExportService.Cursor.decode("not base64 !"));
    }

    @Test
    void csvFieldsAreQuotedOnlyWhenTheyMustBe() {
        assertEquals("plain", ExportService.csvField("plain"));
        assertEquals("\"a,b\"", ExportService.csvField("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", ExportService.csvField("say \"hi\""));
        assertEquals("\"two\nlines\"", ExportService.csvField("two\nlines"));
        assertEquals("", ExportService.csvField(null));
        assertEquals("1763790000.123", ExportService.csvField(BigDecimal.valueOf(1_763_790_000_123L, 3)));
    }
}
