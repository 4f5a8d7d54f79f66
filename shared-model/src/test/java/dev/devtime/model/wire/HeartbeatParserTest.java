package dev.devtime.model.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.model.Heartbeat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeartbeatParserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long NOW = 1_773_000_000_000L;
    static final RequestMeta META = RequestMeta.of(
            "wakatime/v1.73.0 (linux-5.15.0-76-generic-x86_64) go1.20.5 vscode/1.80.0 vscode-wakatime/24.2.0",
            "dev-laptop",
            NOW);

    static ParseResult parse(String json) throws Exception {
        return HeartbeatParser.parse(JSON.readTree(json), META);
    }

    /** What wakatime-cli sends for a VS Code edit. */
    @Test
    void wakatimeCliItem() throws Exception {
        ParseResult r = parse("""
                {"entity":"/home/me/app/src/main.ts","type":"file","category":"coding","time":1772999990.123,
                 "project":"app","project_root_count":4,"branch":"main","language":"TypeScript","dependencies":["react"],
                 "lines":120,"lineno":14,"cursorpos":7,"is_write":true,
                 "user_agent":"wakatime/v1.73.0 (linux-5.15.0-76-generic-x86_64) go1.20.5 vscode/1.80.0 vscode-wakatime/24.2.0"}
                """);
        Heartbeat h = r.heartbeat();
        assertEquals(1_772_999_990_123L, h.timeMs());
        assertEquals("vscode", h.tool());
        assertEquals("VS Code", h.editor());
        assertEquals("vscode-wakatime/24.2.0", h.plugin());
        assertEquals("Linux", h.os());
        assertEquals("dev-laptop", h.machine());
        assertEquals("/home/me/app/src/main.ts", h.entity());
        assertEquals("app", h.project());
        assertEquals("main", h.branch());
        assertEquals("TypeScript", h.language());
        assertEquals(Boolean.TRUE, h.isWrite());
        assertEquals(120, h.lines());
        assertEquals(14, h.lineno());
    }

    @Test
    void devtimeClientItemWithAiFields() throws Exception {
        Heartbeat h = parse("""
                {"entity":"/repo/src/a.py","time":1772999000,"category":"ai coding","project":"repo","tool":"claude-code",
                 "user_agent":"devtime/0.1.0 (darwin-arm64) node/20.20.2 claude-code/2.0.1 devtime-claude-code/0.1.0",
                 "ai_input_tokens":1200,"ai_output_tokens":300,"ai_cache_read_tokens":5000,"ai_model":"claude-sonnet-4-5",
                 "ai_prompts":1,"ai_session":"s-1","ai_line_changes":12,"human_line_changes":-3}
                """).heartbeat();
        assertEquals("claude-code", h.tool());
        assertEquals("Claude Code", h.editor());
        assertEquals("macOS", h.os());
        assertEquals("ai coding", h.category());
        assertEquals(1200, h.tokensIn());
        assertEquals(300, h.tokensOut());
        assertEquals(5000, h.cacheReadTokens());
        assertEquals("claude-sonnet-4-5", h.model());
        assertEquals(1, h.prompts());
        assertEquals("s-1", h.sessionId());
        assertEquals(-3, h.humanLineChanges());
    }

    /** DevTime's native format. */
    @Test
    void nativeItem() throws Exception {
        Heartbeat h = parse("""
                {"tool":"vscode","timestamp":1772999000000,"activity_type":"coding","project":"my-app",
                 "file":"src/index.ts","language":"typescript","is_write":true,"machine_id":"m1","cursor_line":3,
                 "editor_version":"1.95.0","unknown_field":{"nested":[1,2]}}
                """).heartbeat();
        assertEquals(1_772_999_000_000L, h.timeMs());
        assertEquals("vscode", h.tool());
        assertEquals("coding", h.category());
        assertEquals("src/index.ts", h.entity());
        assertEquals("m1", h.machine());
        assertEquals(3, h.lineno());
        assertEquals("vscode/1.95.0", h.plugin());
    }

    @Test
    void nativePromptingIsAiCoding() throws Exception {
        Heartbeat h = parse("""
                {"tool":"claude-code","timestamp":1772999000000,"activity_type":"prompting","tokens_in":10,"tokens_out":2,
                 "session_id":"abc","model":"gpt-5"}
                """).heartbeat();
        assertEquals("ai coding", h.category());
        assertEquals(10, h.tokensIn());
        assertEquals("gpt-5", h.model());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"entity\":\"a\"}|time is required",
                "{\"entity\":\"a\",\"time\":\"soon\"}|time must be a number",
                "{\"entity\":\"a\",\"time\":[1]}|time must be a number",
                "{\"entity\":\"a\",\"time\":-5}|time must be a positive epoch time",
                "{\"entity\":\"a\",\"time\":1773010000}|time is more than an hour in the future; check the clock (time is in epoch seconds)",
                "{\"entity\":\"a\",\"time\":1000000000}|time is older than the server's maximum heartbeat age of 365 days",
                "{\"time\":1772999000}|entity is required (the file, app or domain being worked on)",
                "{\"entity\":\"a\",\"time\":1772999000,\"is_write\":\"yes\"}|is_write must be true or false",
                "{\"entity\":\"a\",\"time\":1772999000,\"lines\":-1}|lines must be a whole number of at least 0",
                "{\"entity\":\"a\",\"time\":1772999000,\"ai_input_tokens\":1.5}|ai_input_tokens must be a whole number of at least 0",
                "{\"entity\":\"a\",\"time\":1772999000,\"project\":{\"x\":1}}|project must be a string",
                "{\"entity\":\"a\",\"time\":1772999000,\"type\":\"galaxy\"}|type must be one of file, app, domain, url, event",
                "{\"entity\":\"a\\u0007b\",\"time\":1772999000}|entity contains a control character",
                "{\"entity\":\"a\\ud800b\",\"time\":1772999000}|entity contains an invalid character (lone surrogate)",
                "{\"timestamp\":1772999000000,\"activity_type\":\"coding\"}|tool is required (e.g. vscode, claude-code, codex, zed)",
                "{\"timestamp\":1772999000000,\"tool\":\"zed\"}|activity_type is required (coding, debugging, building, prompting or idle)",
                "[1,2]|a heartbeat must be a JSON object",
            })
    void refusedItemsSayWhy(String json, String message) throws Exception {
        ParseResult r = parse(json);
        assertFalse(r.isOk());
        assertEquals(message, r.error());
    }

    @Test
    void overlongStringsAreRefused() throws Exception {
        String longEntity = "x".repeat(HeartbeatParser.MAX_ENTITY_LENGTH + 1);
        ParseResult r = parse("{\"entity\":\"" + longEntity + "\",\"time\":1772999000}");
        assertEquals("entity is longer than 2048 characters", r.error());
    }

    @Test
    void aValidSurrogatePairIsKept() throws Exception {
        assertEquals(
                "caf\uD83D\uDE00",
                parse("{\"entity\":\"caf\\ud83d\\ude00\",\"time\":1772999000}")
                        .heartbeat()
                        .entity());
    }

    @Test
    void userAgentHeaderIsUsedWhenTheBodyHasNone() throws Exception {
        JsonNode item = JSON.readTree("{\"entity\":\"a\",\"time\":1772999000}");
        Heartbeat h = HeartbeatParser.parse(
                        item,
                        RequestMeta.of(
                                "wakatime/v1.90.0 (windows-10.0.22631-x86_64) go1.22.1 IntelliJ IDEA/2024.1 intellij-wakatime/15.0.0",
                                null,
                                NOW))
                .heartbeat();
        assertEquals("intellij", h.tool());
        assertEquals("IntelliJ IDEA", h.editor());
        assertEquals("Windows", h.os());
        assertNull(h.machine());
        assertEquals("coding", h.category());
        assertEquals("file", h.type());
    }

    @Test
    void unknownPluginsFallBackToTheEditorToken() {
        UserAgent ua = UserAgent.parse("wakatime/v1.90.0 (linux-6.1-x86_64) go1.22.1 Kate/23.08 kate-plugin/1.0");
        assertEquals("kate", ua.tool());
        assertEquals("Kate", ua.editor());
        assertTrue(UserAgent.parse("").equals(UserAgent.UNKNOWN));
    }

    /** WakaTime counts browser heartbeats without a category as browsing; a given category wins. */
    @ParameterizedTest
    @CsvSource({"url,,browsing", "domain,,browsing", "file,,coding", "app,,coding", "url,researching,researching"})
    void defaultCategoryFollowsTheType(String type, String category, String expected) throws Exception {
        String c = category == null ? "" : ",\"category\":\"" + category + "\"";
        Heartbeat h = parse("{\"entity\":\"https://docs.rs\",\"type\":\"" + type + "\",\"time\":1772999000" + c + "}")
                .heartbeat();
        assertEquals(expected, h.category());
    }
}
