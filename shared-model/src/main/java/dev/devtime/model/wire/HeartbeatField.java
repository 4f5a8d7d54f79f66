package dev.devtime.model.wire;

import dev.devtime.model.Heartbeat;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The heartbeat's fields as they travel: the name on the wire (WakaTime's where WakaTime has the field,
 * DevTime's otherwise; the export writes and the import and ingest read these), the key of the compact
 * form on the queue and in stored buckets ({@link HeartbeatCodec}), how the export writes the value, and
 * whether clients pass it through as the adapter reported it. In the export's column order.
 *
 * <p>The export (JSON and CSV) and WakaTime's heartbeat listing ({@code WakaTimeJson.heartbeat}) are written
 * from this table. {@link HeartbeatCodec} and {@link HeartbeatParser}
 * spell the keys out in their hot paths, and {@code heartbeat-fields.json} beside this class is the table
 * for the TypeScript clients: {@code HeartbeatFieldTest} holds all three to the table (and the clients'
 * test their pass-through list to the JSON).
 */
public enum HeartbeatField {
    TIME("time", "t", Kind.TIME, false, Heartbeat::timeMs),
    ENTITY("entity", "e", Kind.TEXT, false, Heartbeat::entity),
    TYPE("type", "ty", Kind.TEXT, false, Heartbeat::type),
    CATEGORY("category", "c", Kind.TEXT, false, Heartbeat::category),
    PROJECT("project", "p", Kind.TEXT, false, Heartbeat::project),
    BRANCH("branch", "b", Kind.TEXT, false, Heartbeat::branch),
    LANGUAGE("language", "l", Kind.TEXT, false, Heartbeat::language),
    IS_WRITE("is_write", "w", Kind.FLAG, true, Heartbeat::isWrite),
    LINES("lines", "ln", Kind.NUMBER, true, Heartbeat::lines),
    LINENO("lineno", "no", Kind.NUMBER, true, Heartbeat::lineno),
    CURSORPOS("cursorpos", "cp", Kind.NUMBER, true, Heartbeat::cursorpos),
    TOOL("tool", "tl", Kind.TEXT, false, Heartbeat::tool),
    EDITOR("editor", "ed", Kind.TEXT, false, Heartbeat::editor),
    PLUGIN("plugin", "pl", Kind.TEXT, false, Heartbeat::plugin),
    OPERATING_SYSTEM("operating_system", "os", Kind.TEXT, false, Heartbeat::os),
    MACHINE("machine", "m", Kind.TEXT, false, Heartbeat::machine),
    AI_SESSION("ai_session", "s", Kind.OPTIONAL_TEXT, true, Heartbeat::sessionId),
    AI_MODEL("ai_model", "md", Kind.OPTIONAL_TEXT, true, Heartbeat::model),
    AI_INPUT_TOKENS("ai_input_tokens", "ti", Kind.COUNT, true, Heartbeat::tokensIn),
    AI_OUTPUT_TOKENS("ai_output_tokens", "to", Kind.COUNT, true, Heartbeat::tokensOut),
    AI_CACHE_CREATION_TOKENS("ai_cache_creation_tokens", "cc", Kind.COUNT, true, Heartbeat::cacheCreationTokens),
    AI_CACHE_READ_TOKENS("ai_cache_read_tokens", "cr", Kind.COUNT, true, Heartbeat::cacheReadTokens),
    AI_PROMPTS("ai_prompts", "pr", Kind.COUNT, true, Heartbeat::prompts),
    AI_LINE_CHANGES("ai_line_changes", "al", Kind.COUNT, true, Heartbeat::aiLineChanges),
    HUMAN_LINE_CHANGES("human_line_changes", "hl", Kind.COUNT, true, Heartbeat::humanLineChanges),
    /** Sent by the AI clients with each prompt; the server keeps no prompt sizes. */
    AI_PROMPT_LENGTH("ai_prompt_length", null, Kind.NOT_STORED, true, h -> null);

    /** How the value is held and how the export writes it. */
    public enum Kind {
        /** Epoch milliseconds, written as seconds with three decimals. */
        TIME,
        /** Text, written as null when absent. */
        TEXT,
        /** A boolean, written as null when absent. */
        FLAG,
        /** An integer, written as null when absent. */
        NUMBER,
        /** Text, left out when absent. */
        OPTIONAL_TEXT,
        /** A count, left out when 0. */
        COUNT,
        /** Accepted from clients and dropped. */
        NOT_STORED
    }

    private final String wireName;
    private final String key;
    private final Kind kind;
    private final boolean passedThrough;
    private final Function<Heartbeat, Object> value;

    HeartbeatField(String wireName, String key, Kind kind, boolean passedThrough, Function<Heartbeat, Object> value) {
        this.wireName = wireName;
        this.key = key;
        this.kind = kind;
        this.passedThrough = passedThrough;
        this.value = value;
    }

    public String wireName() {
        return wireName;
    }

    /** The compact form's key; null for a field that is not stored. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether clients copy the field from what the adapter reported into the heartbeat they send, as it is. */
    public boolean passedThrough() {
        return passedThrough;
    }

    /** The heartbeat's value of this field: a Long, Integer, Boolean or String, or null. */
    public Object of(Heartbeat h) {
        return value.apply(h);
    }

    /** The fields the server stores, in the export's order. */
    public static List<HeartbeatField> stored() {
        return Arrays.stream(values()).filter(f -> f.kind != Kind.NOT_STORED).toList();
    }
}
