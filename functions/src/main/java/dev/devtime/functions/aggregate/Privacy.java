package dev.devtime.functions.aggregate;

import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Heartbeat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The user's server-side privacy settings, applied before anything is stored: heartbeats of excluded
 * projects are dropped, and with "hide file names" a file path is stored only as a hash (the same path
 * always gives the same hash, so resends still deduplicate).
 */
final class Privacy {

    private Privacy() {
    }

    static List<Heartbeat> apply(Collection<Heartbeat> heartbeats, SettingsStore.Settings s) {
        List<Heartbeat> out = new ArrayList<>(heartbeats.size());
        for (Heartbeat h : heartbeats) {
            if (h.project() != null && s.excludedProjects().contains(h.project())) {
                continue;
            }
            if (s.hideFileNames() && "file".equals(h.type()) && h.entity() != null && !h.entity().startsWith("sha256:")) {
                h = h.toBuilder().entity(hash(h.entity())).build();
            }
            out.add(h);
        }
        return out;
    }

    static String hash(String path) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
