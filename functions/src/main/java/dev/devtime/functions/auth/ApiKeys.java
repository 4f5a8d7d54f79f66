package dev.devtime.functions.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * API keys in WakaTime's form ({@code waka_} + a lowercase UUIDv4; wakatime-cli refuses anything else).
 * A key carries 122 random bits, so one SHA-256 is as safe to store as bcrypt and costs microseconds
 * instead of a hundred milliseconds on every heartbeat request.
 */
public final class ApiKeys {

    public static final String PREFIX = "waka_";
    private static final Pattern UUID_V4 =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    /** A new key, for the user to copy once. */
    public static String generate() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        String hex = HexFormat.of().formatHex(b);
        return PREFIX + hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    /** The UUID part, lower-cased: {@code waka_X} and {@code X} are the same key. Null when not a key. */
    public static String normalize(String key) {
        if (key == null) {
            return null;
        }
        String k = key.trim().toLowerCase(Locale.ROOT);
        if (k.startsWith(PREFIX)) {
            k = k.substring(PREFIX.length());
        }
        return UUID_V4.matcher(k).matches() ? k : null;
    }

    public static boolean isValid(String key) {
        return normalize(key) != null;
    }

    public static String hash(String key) {
        String n = normalize(key);
        if (n == null) {
            throw new IllegalArgumentException("not an API key");
        }
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(n.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Short, non-secret handle for listing a key: its id. */
    public static String newId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Compares hashes without leaking how many leading characters matched. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
