package dev.devtime.local.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that encrypt queued messages, one per user, in a small file beside the queue's database, never in
 * it. Destroying a user's key makes everything of theirs still in the queue file unreadable, however the
 * database keeps deleted rows. The file is replaced atomically and synced before a key is used or after it is
 * destroyed, so a crash never leaves a queued message without its key, nor a destroyed key on disk.
 *
 * <p>The ids of destroyed keys are kept (random, they name nobody): a message under one of them is known to
 * belong to a deleted account, while one under a key this file never held is left alone.
 */
public final class QueueKeys {

    static final String FILE = "message-keys.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One instance per file in this JVM: two would overwrite each other's keys. */
    private static final Map<Path, QueueKeys> OPEN = new HashMap<>();

    /** A user's data key and its id, which sealed messages name. */
    public record Key(String id, SecretKey key) {}

    private final Path file;
    private final Map<String, Key> byUser = new HashMap<>();
    private final Map<String, Key> byId = new ConcurrentHashMap<>();
    private final Set<String> destroyed = ConcurrentHashMap.newKeySet();

    private QueueKeys(Path file) {
        this.file = file;
    }

    /** Keys that live as long as this process, for a queue that does too. */
    public static QueueKeys inMemory() {
        return new QueueKeys(null);
    }

    /** The keys kept in {@code dir}, read from its file if there is one. */
    public static synchronized QueueKeys open(Path dir) {
        return OPEN.computeIfAbsent(dir.toAbsolutePath().normalize(), QueueKeys::read);
    }

    /** The file's keys as they are on disk now (a restart's view). */
    static QueueKeys read(Path dir) {
        QueueKeys k = new QueueKeys(dir.toAbsolutePath().normalize().resolve(FILE));
        k.load();
        return k;
    }

    /** The user's key, made (and stored) on first use. */
    public synchronized Key forUser(String user) {
        Key k = byUser.get(user);
        if (k != null) {
            return k;
        }
        byte[] id = new byte[16];
        byte[] key = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(key);
        k = new Key(HexFormat.of().formatHex(id), new SecretKeySpec(key, "AES"));
        byUser.put(user, k);
        try {
            save();
        } catch (UncheckedIOException e) {
            // Never used unless stored: a message sealed under it would not survive a restart.
            byUser.remove(user);
            throw e;
        }
        byId.put(k.id(), k);
        return k;
    }

    /** The key with this id, or null when it was destroyed or never held here. */
    public Key byId(String id) {
        return byId.get(id);
    }

    public boolean destroyed(String id) {
        return destroyed.contains(id);
    }

    /** Forgets the user's key for good; a user who comes back gets a new one. */
    public synchronized void destroy(String user) {
        Key k = byUser.remove(user);
        if (k == null) {
            return;
        }
        destroyed.add(k.id());
        try {
            save();
        } catch (UncheckedIOException e) {
            byUser.put(user, k);
            destroyed.remove(k.id());
            throw e;
        }
        byId.remove(k.id());
    }

    private void load() {
        try {
            Files.deleteIfExists(tmp());
            if (!Files.exists(file)) {
                return;
            }
            JsonNode root = JSON.readTree(file.toFile());
            root.get("keys").fields().forEachRemaining(e -> {
                Key k = new Key(
                        e.getValue().get("id").asText(),
                        new SecretKeySpec(
                                Base64.getDecoder()
                                        .decode(e.getValue().get("key").asText()),
                                "AES"));
                byUser.put(e.getKey(), k);
                byId.put(k.id(), k);
            });
            root.get("destroyed").forEach(id -> destroyed.add(id.asText()));
        } catch (IOException | RuntimeException e) {
            // Starting without the keys would make every queued message unreadable: refuse instead.
            throw new IllegalStateException("cannot read the queue's keys in " + file + ": " + e.getMessage(), e);
        }
    }

    private void save() {
        if (file == null) {
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        ObjectNode keys = root.putObject("keys");
        byUser.forEach((user, k) -> keys.putObject(user)
                .put("id", k.id())
                .put("key", Base64.getEncoder().encodeToString(k.key().getEncoded())));
        var gone = root.putArray("destroyed");
        destroyed.forEach(gone::add);
        try {
            // The folder can be gone while its message store lives on, open but unlinked: ElasticMQ keeps the
            // first store of a JVM for every later server in it (test classes whose folders were cleaned up).
            Files.createDirectories(file.getParent());
            Path tmp = tmp();
            Files.deleteIfExists(tmp);
            FileAttribute<?>[] ownerOnly =
                    FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                            ? new FileAttribute<?>[] {
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                            }
                            : new FileAttribute<?>[0];
            Files.createFile(tmp, ownerOnly);
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(JSON.writeValueAsBytes(root));
                while (b.hasRemaining()) {
                    c.write(b);
                }
                c.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the queue's keys to " + file, e);
        }
    }

    /** The rename itself is durable only once the directory is synced (where the platform can). */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Not every platform opens directories; the file's own sync above still holds.
        }
    }

    private Path tmp() {
        return file.resolveSibling(FILE + ".tmp");
    }
}
