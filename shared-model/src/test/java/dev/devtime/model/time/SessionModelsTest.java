package dev.devtime.model.time;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.rollup.AiRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Prompts take their session's model. The fixture cases replay the Claude Code transcripts and the Codex
 * rollout the clients' tests read (extensions/cli/test/fixtures) as the heartbeats the clients send: a
 * prompt with its session and no model, a response with its model and tokens.
 */
class SessionModelsTest {

    static final Path FIXTURES = Path.of("../extensions/cli/test/fixtures");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Timing UTC = new Timing(ZoneId.of("UTC"), 15, 0);

    static Heartbeat prompt(long t, String tool, String session) {
        return Heartbeat.builder(t)
                .tool(tool)
                .category("ai coding")
                .type("app")
                .entity(tool)
                .sessionId(session)
                .prompts(1)
                .build();
    }

    static Heartbeat response(long t, String tool, String session, String model) {
        return Heartbeat.builder(t)
                .tool(tool)
                .category("ai coding")
                .type("app")
                .entity(tool)
                .sessionId(session)
                .model(model)
                .tokensOut(10)
                .build();
    }

    @Test
    void aPromptTakesTheModelThatAnswersItInItsSession() {
        List<Heartbeat> hbs = List.of(
                response(1_000, "claude-code", "s1", "opus"),
                prompt(2_000, "claude-code", "s1"), // answered by sonnet at 9 s, not opus 1 s before
                prompt(3_000, "claude-code", "s2"), // its session answers with haiku
                prompt(4_000, "claude-code", null), // no session: no model
                prompt(5_000, "codex", "s1"), // the same session id in another tool is another session
                response(6_000, "claude-code", "s2", "haiku"),
                response(9_000, "claude-code", "s1", "sonnet"),
                prompt(10_000, "claude-code", "s1"), // nothing answers it yet: the session's last model
                prompt(11_000, "claude-code", "s3")); // a session that names no model
        assertArrayEquals(
                new String[] {"opus", "sonnet", "haiku", null, null, "haiku", "sonnet", "sonnet", null},
                SessionModels.of(hbs));
    }

    @Test
    void claudeCodeTranscriptsPromptsCountForTheSessionsModels() throws IOException {
        List<Heartbeat> hbs = new ArrayList<>();
        try (var files = Files.walk(FIXTURES.resolve("claude/projects"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (JsonNode o : lines(f)) {
                    String session = o.path("sessionId").asText(null);
                    JsonNode m = o.path("message");
                    if (o.path("type").asText().equals("user")
                            && m.path("content").isTextual()) {
                        hbs.add(prompt(time(o), "claude-code", session));
                    } else if (m.has("usage") && !m.path("model").asText().startsWith("<")) {
                        // Claude Code's <synthetic> messages are no API call; the client sends no usage for them.
                        hbs.add(response(
                                time(o), "claude-code", session, m.path("model").asText()));
                    }
                }
            }
        }
        Map<String, Long> prompts = promptsByModel(hbs, LocalDate.of(2026, 11, 20));
        // 09:00 answered by Sonnet; 09:01 (a side chain) by Haiku; 09:03 (a sub-agent) by Sonnet; 23:59:59.5 by
        // Opus, two seconds after midnight: the day's timeline reaches a timeout into the next day.
        assertEquals(
                Map.of(
                        "claude-sonnet-4-5-20250929",
                        2L,
                        "claude-haiku-4-5-20251001",
                        1L,
                        "claude-opus-4-1-20250805",
                        1L),
                prompts);
        assertEquals(Map.of("claude-sonnet-4-5-20250929", 1L), promptsByModel(hbs, LocalDate.of(2026, 11, 21)));
    }

    @Test
    void codexRolloutPromptsCountForTheTurnsModel() throws IOException {
        Path rollout = FIXTURES.resolve(
                "codex/sessions/2026/11/20/rollout-2026-11-20T10-15-02-019a9e1c-4f2b-7c3d-9e8f-1a2b3c4d5e6f.jsonl");
        List<Heartbeat> hbs = new ArrayList<>();
        String session = null;
        String model = null;
        for (JsonNode o : lines(rollout)) {
            JsonNode p = o.path("payload");
            switch (o.path("type").asText()) {
                case "session_meta" -> session = p.path("id").asText();
                case "turn_context" -> model = p.path("model").asText();
                case "event_msg" -> {
                    if (p.path("type").asText().equals("user_message")) {
                        hbs.add(prompt(time(o), "codex", session));
                    } else if (p.path("info").has("last_token_usage")) {
                        hbs.add(response(time(o), "codex", session, model));
                    }
                }
                default -> {}
            }
        }
        // The first turn runs on gpt-5-codex; the user switches to gpt-5.1-codex-max before the second prompt.
        assertEquals(
                Map.of("gpt-5-codex", 1L, "gpt-5.1-codex-max", 1L), promptsByModel(hbs, LocalDate.of(2026, 11, 20)));
    }

    static Map<String, Long> promptsByModel(List<Heartbeat> hbs, LocalDate day) {
        Map<String, Long> out = new TreeMap<>();
        for (AiRow r : TimeAccounting.day(Timeline.of(hbs), day, UTC).ai()) {
            if (r.prompts() > 0) {
                out.merge(r.model(), r.prompts(), Long::sum);
            }
        }
        return out;
    }

    /** The file's JSON lines; the fixtures hold some cut-off lines on purpose, which the clients skip too. */
    static List<JsonNode> lines(Path f) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
            try {
                out.add(JSON.readTree(line));
            } catch (IOException cutOff) {
                // skipped
            }
        }
        return out;
    }

    static long time(JsonNode o) {
        return Instant.parse(o.path("timestamp").asText()).toEpochMilli();
    }
}
