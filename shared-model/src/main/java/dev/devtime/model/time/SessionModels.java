package dev.devtime.model.time;

import dev.devtime.model.Heartbeat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The model of AI heartbeats that name none. A prompt (Claude Code's UserPromptSubmit, a Codex user
 * message) carries no model, but it is answered in its session: it takes the model of the next heartbeat
 * of the same tool and AI session that names one (the response to it), or, when the session names none
 * after it, of the last one before it. Heartbeats without a session, and sessions that name no model in
 * the timeline at hand, keep no model.
 */
public final class SessionModels {

    private SessionModels() {}

    /**
     * @param timeline heartbeats in time order, as {@link Timeline#of} gives
     * @return for each index of the timeline, the heartbeat's own model, else its session's, else null
     */
    public static String[] of(List<Heartbeat> timeline) {
        String[] models = new String[timeline.size()];
        // Backwards: the next model of each session; then forwards: the last one, where no next exists.
        Map<List<String>, String> seen = new HashMap<>();
        for (int i = timeline.size() - 1; i >= 0; i--) {
            models[i] = resolve(timeline.get(i), seen, models[i]);
        }
        seen.clear();
        for (int i = 0; i < timeline.size(); i++) {
            models[i] = resolve(timeline.get(i), seen, models[i]);
        }
        return models;
    }

    private static String resolve(Heartbeat h, Map<List<String>, String> seen, String sofar) {
        if (named(h.model())) {
            if (named(h.sessionId())) {
                seen.put(key(h), h.model());
            }
            return h.model();
        }
        if (sofar != null || !named(h.sessionId())) {
            return sofar;
        }
        return seen.get(key(h));
    }

    private static List<String> key(Heartbeat h) {
        return List.of(String.valueOf(h.tool()), h.sessionId());
    }

    private static boolean named(String s) {
        return s != null && !s.isBlank();
    }
}
