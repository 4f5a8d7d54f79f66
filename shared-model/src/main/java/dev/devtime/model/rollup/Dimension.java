package dev.devtime.model.rollup;

import java.util.Locale;

/** The attributes time is broken down by. Each duration row carries one value of each. */
public enum Dimension {
    TOOL,
    PROJECT,
    LANGUAGE,
    CATEGORY,
    EDITOR,
    MACHINE,
    BRANCH,
    OS;

    /** The query parameter and the stats key suffix: {@code project}, {@code by_project}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Dimension fromKey(String key) {
        for (Dimension d : values()) {
            if (d.key().equals(key)) {
                return d;
            }
        }
        return null;
    }
}
