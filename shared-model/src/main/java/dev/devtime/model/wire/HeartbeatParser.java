package dev.devtime.model.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.model.Heartbeat;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;

/**
 * Maps one JSON item, WakaTime-shaped or DevTime-native, onto the canonical {@link Heartbeat}, and says
 * in plain words what is wrong with an item it refuses. Unknown fields are ignored.
 */
public final class HeartbeatParser {

    public static final int MAX_ENTITY_LENGTH = 2048;
    public static final int MAX_FIELD_LENGTH = 512;

    private static final Set<String> TYPES = Set.of("file", "app", "domain", "url", "event");

    private HeartbeatParser() {}

    public static ParseResult parse(JsonNode item, RequestMeta meta) {
        if (item == null || !item.isObject()) {
            return ParseResult.error("a heartbeat must be a JSON object");
        }
        try {
            Heartbeat hb =
                    item.has("timestamp") && !item.has("time") ? parseNative(item, meta) : parseWakaTime(item, meta);
            return ParseResult.ok(hb);
        } catch (InvalidHeartbeat e) {
            return ParseResult.error(e.getMessage());
        }
    }

    private static Heartbeat parseWakaTime(JsonNode n, RequestMeta meta) {
        double seconds = number(n, "time", true);
        long timeMs = checkTime(Math.round(seconds * 1000), meta, "time");
        String entity = string(n, "entity", MAX_ENTITY_LENGTH);
        if (entity == null || entity.isBlank()) {
            throw new InvalidHeartbeat("entity is required (the file, app or domain being worked on)");
        }
        String type = lower(string(n, "type", MAX_FIELD_LENGTH));
        if (type != null && !TYPES.contains(type)) {
            throw new InvalidHeartbeat("type must be one of file, app, domain, url, event");
        }
        String ua = string(n, "user_agent", MAX_FIELD_LENGTH);
        UserAgent agent = UserAgent.parse(ua != null ? ua : meta.userAgentHeader());
        String tool = lower(string(n, "tool", MAX_FIELD_LENGTH));
        if (tool == null) {
            tool = agent.tool();
        }
        String machine = string(n, "machine", MAX_FIELD_LENGTH);
        if (machine == null) {
            machine = clean(meta.machineHeader(), "X-Machine-Name header");
        }
        String category = lower(string(n, "category", MAX_FIELD_LENGTH));
        return Heartbeat.builder(timeMs)
                .tool(tool != null ? tool : "unknown")
                .editor(
                        agent.editor() != null && tool != null && tool.equals(agent.tool())
                                ? agent.editor()
                                : UserAgent.displayName(tool))
                .plugin(agent.plugin())
                .os(agent.os())
                .machine(machine)
                .entity(entity)
                .type(type != null ? type : "file")
                .category(category != null ? category : defaultCategory(type))
                .project(string(n, "project", MAX_FIELD_LENGTH))
                .branch(string(n, "branch", MAX_FIELD_LENGTH))
                .language(string(n, "language", MAX_FIELD_LENGTH))
                .isWrite(bool(n, "is_write"))
                .lines(integer(n, "lines"))
                .lineno(integer(n, "lineno"))
                .cursorpos(integer(n, "cursorpos"))
                .sessionId(string(n, "ai_session", MAX_FIELD_LENGTH))
                .tokensIn(count(n, "ai_input_tokens"))
                .tokensOut(count(n, "ai_output_tokens"))
                .cacheCreationTokens(count(n, "ai_cache_creation_tokens"))
                .cacheReadTokens(count(n, "ai_cache_read_tokens"))
                .model(string(n, "ai_model", MAX_FIELD_LENGTH))
                .prompts(smallCount(n, "ai_prompts"))
                .aiLineChanges(signedInt(n, "ai_line_changes"))
                .humanLineChanges(signedInt(n, "human_line_changes"))
                .build();
    }

    private static Heartbeat parseNative(JsonNode n, RequestMeta meta) {
        double ms = number(n, "timestamp", true);
        long timeMs = checkTime(Math.round(ms), meta, "timestamp");
        String tool = lower(string(n, "tool", MAX_FIELD_LENGTH));
        if (tool == null || tool.isBlank()) {
            throw new InvalidHeartbeat("tool is required (e.g. vscode, claude-code, codex, zed)");
        }
        String activity = lower(string(n, "activity_type", MAX_FIELD_LENGTH));
        if (activity == null || activity.isBlank()) {
            throw new InvalidHeartbeat("activity_type is required (coding, debugging, building, prompting or idle)");
        }
        String category = switch (activity) {
            case "prompting" -> "ai coding";
            default -> activity;
        };
        String machine = string(n, "machine_id", MAX_FIELD_LENGTH);
        if (machine == null) {
            machine = clean(meta.machineHeader(), "X-Machine-Name header");
        }
        String editorVersion = string(n, "editor_version", MAX_FIELD_LENGTH);
        String file = string(n, "file", MAX_ENTITY_LENGTH);
        UserAgent agent = UserAgent.parse(meta.userAgentHeader());
        return Heartbeat.builder(timeMs)
                .tool(tool)
                .editor(UserAgent.displayName(tool))
                .plugin(editorVersion != null ? tool + "/" + editorVersion : agent.plugin())
                .os(agent.os())
                .machine(machine)
                .entity(file)
                .type(file != null ? "file" : "app")
                .category(category)
                .project(string(n, "project", MAX_FIELD_LENGTH))
                .branch(string(n, "branch", MAX_FIELD_LENGTH))
                .language(string(n, "language", MAX_FIELD_LENGTH))
                .isWrite(bool(n, "is_write"))
                .lines(integer(n, "lines"))
                .lineno(integer(n, "cursor_line"))
                .sessionId(string(n, "session_id", MAX_FIELD_LENGTH))
                .tokensIn(count(n, "tokens_in"))
                .tokensOut(count(n, "tokens_out"))
                .cacheCreationTokens(count(n, "cache_creation_tokens"))
                .cacheReadTokens(count(n, "cache_read_tokens"))
                .model(string(n, "model", MAX_FIELD_LENGTH))
                .prompts(smallCount(n, "prompts"))
                .aiLineChanges(signedInt(n, "ai_line_changes"))
                .humanLineChanges(signedInt(n, "human_line_changes"))
                .build();
    }

    private static long checkTime(long timeMs, RequestMeta meta, String field) {
        if (timeMs <= 0) {
            throw new InvalidHeartbeat(field + " must be a positive epoch time");
        }
        if (timeMs > meta.nowMs() + RequestMeta.MAX_FUTURE_MS) {
            throw new InvalidHeartbeat(field + " is more than an hour in the future; check the clock"
                    + ("time".equals(field) ? " (time is in epoch seconds)" : " (timestamp is in epoch milliseconds)"));
        }
        if (timeMs < meta.nowMs() - meta.maxAgeMs()) {
            throw new InvalidHeartbeat(field + " is older than the server's maximum heartbeat age of "
                    + (meta.maxAgeMs() / 86_400_000L) + " days");
        }
        return timeMs;
    }

    private static double number(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidHeartbeat(field + " is required");
            }
            return 0;
        }
        double d;
        if (v.isNumber()) {
            d = v.asDouble();
        } else if (v.isTextual()) {
            // As long as the JSON parser allows a number to be: a 200 KB digit string would cost seconds here.
            if (v.asText().length() > 64) {
                throw new InvalidHeartbeat(field + " must be a number");
            }
            try {
                d = new BigDecimal(v.asText().trim()).doubleValue();
            } catch (NumberFormatException e) {
                throw new InvalidHeartbeat(field + " must be a number");
            }
        } else {
            throw new InvalidHeartbeat(field + " must be a number");
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new InvalidHeartbeat(field + " must be a finite number");
        }
        return d;
    }

    /** Token and prompt counts: whole, not negative. */
    private static long count(JsonNode n, String field) {
        double d = number(n, field, false);
        if (d < 0 || d != Math.floor(d) || d > 1e15) {
            throw new InvalidHeartbeat(field + " must be a whole number of at least 0");
        }
        return (long) d;
    }

    /** A count stored as an int: a larger one would wrap around to a negative number of prompts. */
    private static int smallCount(JsonNode n, String field) {
        long c = count(n, field);
        if (c > Integer.MAX_VALUE) {
            throw new InvalidHeartbeat(field + " must be a whole number from 0 to " + Integer.MAX_VALUE);
        }
        return (int) c;
    }

    private static int signedInt(JsonNode n, String field) {
        double d = number(n, field, false);
        if (d != Math.floor(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new InvalidHeartbeat(field + " must be a whole number");
        }
        return (int) d;
    }

    private static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        double d = number(n, field, false);
        if (d != Math.floor(d) || d < 0 || d > Integer.MAX_VALUE) {
            throw new InvalidHeartbeat(field + " must be a whole number of at least 0");
        }
        return (int) d;
    }

    private static Boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && ("true".equalsIgnoreCase(v.asText()) || "false".equalsIgnoreCase(v.asText()))) {
            return Boolean.parseBoolean(v.asText());
        }
        // canConvertToInt: asInt() would read 4294967297 as 1.
        if (v.isIntegralNumber() && v.canConvertToInt() && (v.asInt() == 0 || v.asInt() == 1)) {
            return v.asInt() == 1;
        }
        throw new InvalidHeartbeat(field + " must be true or false");
    }

    private static String string(JsonNode n, String field, int maxLength) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
            throw new InvalidHeartbeat(field + " must be a string");
        }
        String s = v.asText();
        if (s.length() > maxLength) {
            throw new InvalidHeartbeat(field + " is longer than " + maxLength + " characters");
        }
        s = clean(s, field);
        return s == null || s.isEmpty() ? null : s;
    }

    /** Refuses control characters and lone UTF-16 surrogates, which no editor puts in a path or name. */
    private static String clean(String s, String field) {
        if (s == null) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                continue; // printable ASCII, nearly every character of a path or a name
            }
            if (Character.isISOControl(c)) {
                throw new InvalidHeartbeat(field + " contains a control character");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new InvalidHeartbeat(field + " contains an invalid character (lone surrogate)");
            }
            if (Character.isLowSurrogate(c)) {
                throw new InvalidHeartbeat(field + " contains an invalid character (lone surrogate)");
            }
        }
        return s.trim();
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /** Internal control flow for a refused item; never escapes the parser. */
    private static final class InvalidHeartbeat extends RuntimeException {
        InvalidHeartbeat(String message) {
            super(message, null, false, false);
        }
    }

    /** WakaTime's default: browser heartbeats (a url or domain) are browsing, everything else coding. */
    private static String defaultCategory(String type) {
        return "url".equals(type) || "domain".equals(type) ? "browsing" : "coding";
    }
}
