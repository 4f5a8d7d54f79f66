package dev.devtime.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * The data directory holds every user's heartbeats, key hashes and the sign-in key: only its owner may read
 * it. On POSIX file systems it is made 0700 with its sub-directories, and its files 0600, when {@code local}
 * starts and when it stops. Files the emulators create while running (journals, new table files) get the
 * process's umask meanwhile, but sit in a directory nobody else can enter.
 */
public final class DataDir {

    private DataDir() {}

    /** Creates {@code dir} if needed and restricts it and everything in it to the owner; a no-op off POSIX. */
    public static void restrict(Path dir) {
        try {
            Files.createDirectories(dir);
            if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
                return;
            }
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    if (Files.isSymbolicLink(p)) {
                        continue;
                    }
                    try {
                        Files.setPosixFilePermissions(
                                p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // A journal the database removed meanwhile.
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict the permissions of " + dir, e);
        }
    }
}
