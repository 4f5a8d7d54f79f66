package dev.devtime.model;

import java.util.Objects;

/**
 * The canonical heartbeat: one moment of activity in one tool, whichever wire format it came in.
 * Strings may be null when the client did not send them; counters are 0 when absent.
 *
 * @param timeMs    when the activity happened, epoch milliseconds
 * @param tool      the tracking client's host tool, e.g. {@code vscode}, {@code claude-code}
 * @param category  WakaTime's category ({@code coding}, {@code ai coding}, ...); {@link #IDLE} ends activity
 * @param tokensIn  AI input tokens of this heartbeat only (a delta, never a running total)
 *
 * <p>Java code calls each field by its name here. The wire and storage formats keep their own documented
 * spellings, which clients, the API and stored items depend on: the input-token counter, for one, is
 * {@code ai_input_tokens} in WakaTime-style heartbeats and the heartbeat export, {@code tokens_in} in native
 * heartbeats and the stats, days and export answers, and {@code ti} in the stored compact form.
 * {@link dev.devtime.model.wire.HeartbeatField} maps each field to its wire name and compact key.
 */
public record Heartbeat(
        long timeMs,
        String tool,
        String editor,
        String plugin,
        String os,
        String machine,
        String entity,
        String type,
        String category,
        String project,
        String branch,
        String language,
        Boolean isWrite,
        Integer lines,
        Integer lineno,
        Integer cursorpos,
        String sessionId,
        long tokensIn,
        long tokensOut,
        long cacheCreationTokens,
        long cacheReadTokens,
        String model,
        int prompts,
        int aiLineChanges,
        int humanLineChanges) {

    /** Category of a heartbeat that marks the end of activity: it closes the previous span and opens none. */
    public static final String IDLE = "idle";

    public boolean isIdle() {
        return IDLE.equals(category);
    }

    public boolean hasAiUsage() {
        return tokensIn != 0
                || tokensOut != 0
                || cacheCreationTokens != 0
                || cacheReadTokens != 0
                || prompts != 0
                || aiLineChanges != 0
                || humanLineChanges != 0;
    }

    /**
     * What makes two heartbeats the same heartbeat: a client that resends (retries, offline queues) sends
     * the same time, tool, entity, category and machine, and must be counted once.
     */
    public String identity() {
        return timeMs + "\u0001" + Objects.toString(tool, "") + "\u0001" + Objects.toString(entity, "") + "\u0001"
                + Objects.toString(category, "") + "\u0001" + Objects.toString(machine, "");
    }

    /** A builder holding this heartbeat's fields, to make a copy that differs in a few. */
    public Builder toBuilder() {
        return new Builder(timeMs)
                .tool(tool)
                .editor(editor)
                .plugin(plugin)
                .os(os)
                .machine(machine)
                .entity(entity)
                .type(type)
                .category(category)
                .project(project)
                .branch(branch)
                .language(language)
                .isWrite(isWrite)
                .lines(lines)
                .lineno(lineno)
                .cursorpos(cursorpos)
                .sessionId(sessionId)
                .tokensIn(tokensIn)
                .tokensOut(tokensOut)
                .cacheCreationTokens(cacheCreationTokens)
                .cacheReadTokens(cacheReadTokens)
                .model(model)
                .prompts(prompts)
                .aiLineChanges(aiLineChanges)
                .humanLineChanges(humanLineChanges);
    }

    public static Builder builder(long timeMs) {
        return new Builder(timeMs);
    }

    /** Mutable builder: the parsers fill it field by field. */
    public static final class Builder {
        long timeMs;
        String tool,
                editor,
                plugin,
                os,
                machine,
                entity,
                type = "file",
                category = "coding",
                project,
                branch,
                language,
                sessionId,
                model;
        Boolean isWrite;
        Integer lines, lineno, cursorpos;
        long tokensIn, tokensOut, cacheCreationTokens, cacheReadTokens;
        int prompts, aiLineChanges, humanLineChanges;

        Builder(long timeMs) {
            this.timeMs = timeMs;
        }

        public Builder timeMs(long v) {
            timeMs = v;
            return this;
        }

        public Builder tool(String v) {
            tool = v;
            return this;
        }

        public Builder editor(String v) {
            editor = v;
            return this;
        }

        public Builder plugin(String v) {
            plugin = v;
            return this;
        }

        public Builder os(String v) {
            os = v;
            return this;
        }

        public Builder machine(String v) {
            machine = v;
            return this;
        }

        public Builder entity(String v) {
            entity = v;
            return this;
        }

        public Builder type(String v) {
            type = v;
            return this;
        }

        public Builder category(String v) {
            category = v;
            return this;
        }

        public Builder project(String v) {
            project = v;
            return this;
        }

        public Builder branch(String v) {
            branch = v;
            return this;
        }

        public Builder language(String v) {
            language = v;
            return this;
        }

        public Builder isWrite(Boolean v) {
            isWrite = v;
            return this;
        }

        public Builder lines(Integer v) {
            lines = v;
            return this;
        }

        public Builder lineno(Integer v) {
            lineno = v;
            return this;
        }

        public Builder cursorpos(Integer v) {
            cursorpos = v;
            return this;
        }

        public Builder sessionId(String v) {
            sessionId = v;
            return this;
        }

        public Builder tokensIn(long v) {
            tokensIn = v;
            return this;
        }

        public Builder tokensOut(long v) {
            tokensOut = v;
            return this;
        }

        public Builder cacheCreationTokens(long v) {
            cacheCreationTokens = v;
            return this;
        }

        public Builder cacheReadTokens(long v) {
            cacheReadTokens = v;
            return this;
        }

        public Builder model(String v) {
            model = v;
            return this;
        }

        public Builder prompts(int v) {
            prompts = v;
            return this;
        }

        public Builder aiLineChanges(int v) {
            aiLineChanges = v;
            return this;
        }

        public Builder humanLineChanges(int v) {
            humanLineChanges = v;
            return this;
        }

        public Heartbeat build() {
            return new Heartbeat(
                    timeMs,
                    tool,
                    editor,
                    plugin,
                    os,
                    machine,
                    entity,
                    type,
                    category,
                    project,
                    branch,
                    language,
                    isWrite,
                    lines,
                    lineno,
                    cursorpos,
                    sessionId,
                    tokensIn,
                    tokensOut,
                    cacheCreationTokens,
                    cacheReadTokens,
                    model,
                    prompts,
                    aiLineChanges,
                    humanLineChanges);
        }
    }
}
