package dev.devtime.model.rollup;

/**
 * A stretch of work in one tool and project (see {@code TimeAccounting} for the rule), clipped to one local day.
 * Its duration runs from its first to its last heartbeat.
 */
public record Session(String tool, String project, long startMs, long endMs, int heartbeats) {

    public long durationMs() {
        return endMs - startMs;
    }

    /** Stable for the same session on the same day: the tool, project and start. */
    public String id() {
        return Integer.toHexString((tool + "\u0001" + project).hashCode()) + "-" + startMs;
    }
}
