package dev.devtime.model.team;

import java.util.Locale;

/**
 * What a team sees of one member, chosen by the member and applied when a team view is read, so a change
 * applies to every day, past ones included.
 */
public enum ShareLevel {
    /** Listed as a member, no figures. */
    NONE,
    /** Daily totals only. */
    TOTALS,
    /** Totals by project, language, editor and category, and AI usage by model. */
    BREAKDOWN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level named {@code s}, or null for anything else. */
    public static ShareLevel parse(String s) {
        for (ShareLevel l : values()) {
            if (l.wire().equals(s)) {
                return l;
            }
        }
        return null;
    }

    public boolean atLeast(ShareLevel other) {
        return compareTo(other) >= 0;
    }
}
