package dev.devtime.model;

import java.time.ZoneId;

/**
 * How a user's time is counted: the part of their settings that time accounting depends on (the store's
 * {@code SettingsStore.Settings} holds all of them, {@code SettingsStore.UserState} those with the user's
 * open days and deletion as read together).
 *
 * @param zone           the user's time zone: days split at its midnight
 * @param timeoutMinutes the keystroke timeout: a gap up to this long counts as time between two heartbeats, and a
 *                       gap this long or longer ends a session
 * @param version        bumped whenever zone or timeout change, so rollups computed under older settings
 *                       are recognised as stale
 */
public record Timing(ZoneId zone, int timeoutMinutes, long version) {

    public static final int DEFAULT_TIMEOUT_MINUTES = 15;
    public static final int MIN_TIMEOUT_MINUTES = 1;
    public static final int MAX_TIMEOUT_MINUTES = 120;

    public static Timing defaults() {
        return new Timing(ZoneId.of("UTC"), DEFAULT_TIMEOUT_MINUTES, 0);
    }

    public long timeoutMs() {
        return timeoutMinutes * 60_000L;
    }
}
