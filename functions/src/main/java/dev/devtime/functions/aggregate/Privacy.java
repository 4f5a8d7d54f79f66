package dev.devtime.functions.aggregate;

import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Heartbeat;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The user's server-side privacy settings, applied before anything is stored: heartbeats of excluded
 * projects are dropped, and with "hide file names" every entity (file path, URL, app or event name) is stored
 * only as {@code hmac-sha256:<hex>}, keyed with the user's own secret: the same entity always gives the same
 * hash, so resends still deduplicate, but nobody without the secret can test a guessed path against it.
 */
final class Privacy {

    static final String PREFIX = "hmac-sha256:";

    private Privacy() {}

    /** @param hashKey the user's secret, asked for only when an entity is to be hidden and the settings lack it */
    static List<Heartbeat> apply(Collection<Heartbeat> heartbeats, SettingsStore.Settings s, Supplier<byte[]> hashKey) {
        List<Heartbeat> out = new ArrayList<>(heartbeats.size());
        Mac mac = null;
        for (Heartbeat h : heartbeats) {
            if (h.project() != null && s.excludedProjects().contains(h.project())) {
                continue;
            }
            if (s.hideFileNames() && h.entity() != null && !hidden(h.entity())) {
                if (mac == null) {
                    mac = mac(s.hashKey() != null ? s.hashKey() : hashKey.get());
                }
                h = h.toBuilder().entity(hash(mac, h.entity())).build();
            }
            out.add(h);
        }
        return out;
    }

    /**
     * Only the server's own keyed form counts as hidden. A client that hashes paths itself sends
     * {@code sha256:<hex>}, an unkeyed hash anyone can test a guessed path against: it is keyed like any other
     * entity. Items stored in that form earlier are not rewritten.
     */
    static boolean hidden(String entity) {
        return entity.startsWith(PREFIX);
    }

    static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hash(Mac mac, String entity) {
        return PREFIX + HexFormat.of().formatHex(mac.doFinal(entity.getBytes(StandardCharsets.UTF_8)));
    }
}
