package dev.devtime.model.wakatime;

import java.util.Locale;

/**
 * Heartbeat categories as WakaTime's read API writes them: heartbeats carry {@code running tests}, reads
 * say {@code Running Tests} (and {@code AI Coding}), so {@code wakatime-cli --today} prints
 * "2 hrs 3 mins Coding".
 */
public final class CategoryNames {

    private CategoryNames() {}

    /** The display name of a stored category: each word capitalised, {@code ai} as {@code AI}. */
    public static String display(String category) {
        if (category == null || category.isBlank()) {
            return "Coding";
        }
        StringBuilder sb = new StringBuilder();
        for (String word : category.trim().split("\\s+")) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String w = word.toLowerCase(Locale.ROOT);
            sb.append(w.equals("ai") ? "AI" : Character.toUpperCase(w.charAt(0)) + w.substring(1));
        }
        return sb.toString();
    }
}
