package dev.devtime.model.wakatime;

import dev.devtime.model.Heartbeat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id WakaTime clients see for a heartbeat: its time in epoch ms, a dash and a hash of its identity.
 * Stable across resends (the identity is), and the time tells where a heartbeat is stored, so a delete by
 * id reads one bucket without a search.
 */
public final class HeartbeatId {

    private HeartbeatId() {}

    public static String of(Heartbeat h) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(h.identity().getBytes(StandardCharsets.UTF_8));
            return h.timeMs() + "-" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The time part of an id, or -1 when the id is not one of ours. */
    public static long timeOf(String id) {
        int dash = id == null ? -1 : id.indexOf('-');
        if (dash <= 0 || dash > 15) {
            return -1;
        }
        try {
            return Long.parseLong(id.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
