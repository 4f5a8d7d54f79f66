package dev.devtime.local.startup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What can stop DevTime from starting, checked before anything is created: each check answers null or
 * one line saying what is wrong and what to do, so a mistake leaves the disk as it was.
 */
public final class StartupChecks {

    /** Held by the running server inside its data directory; a second server on the same folder finds it locked. */
    public static final String LOCK_FILE = "devtime.lock";

    private StartupChecks() {}

    /** Whether {@code port} can be listened on at {@code host} (0, any free port, always can). */
    public static String port(String host, int port, String option) {
        if (port == 0) {
            return null;
        }
        if (port < 0 || port > 65_535) {
            return option + " takes 0 to 65535, not " + port;
        }
        try (ServerSocket s = new ServerSocket()) {
            // As the real listeners do, so a port left in TIME_WAIT by a stopped DevTime is not reported as taken.
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return null;
        } catch (IOException e) {
            return "port " + port + " on " + host
                    + " is in use (is DevTime already running?): stop the other program or start with " + option
                    + " and a free port";
        }
    }

    /** Whether {@code dir} is, or can be created as, a folder this process can write. */
    public static String dataDir(Path dir) {
        Path abs = dir.toAbsolutePath();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                return "the data directory " + abs + " is a file, not a folder: give --data-dir a folder";
            }
            if (!Files.isWritable(abs)) {
                return "the data directory " + abs
                        + " is not writable: fix its permissions or give --data-dir another folder";
            }
            return null;
        }
        Path parent = abs.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null) {
            return "the data directory " + abs + " cannot be created: give --data-dir another folder";
        }
        if (!Files.isDirectory(parent)) {
            return "the data directory " + abs + " cannot be created: " + parent
                    + " is a file: give --data-dir another folder";
        }
        if (!Files.isWritable(parent)) {
            return "the data directory " + abs + " cannot be created: " + parent
                    + " is not writable: fix its permissions or give --data-dir another folder";
        }
        return null;
    }

    /** Whether another DevTime holds the lock of an existing data directory (checked without writing). */
    public static String notInUse(Path dir) {
        Path lock = dir.resolve(LOCK_FILE);
        if (!Files.exists(lock)) {
            return null;
        }
        try (FileChannel c = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l = c.tryLock();
            if (l == null) {
                return inUse(dir);
            }
            l.release();
            return null;
        } catch (OverlappingFileLockException e) {
            return inUse(dir);
        } catch (IOException e) {
            return "cannot read " + lock + " (" + e.getMessage()
                    + "): fix its permissions or give --data-dir another folder";
        }
    }

    /** Takes the data directory's lock for as long as this process runs; null when another process holds it. */
    public static FileLock lock(Path dir) throws IOException {
        FileChannel c = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock l = c.tryLock();
            if (l == null) {
                c.close();
            }
            return l;
        } catch (OverlappingFileLockException e) {
            c.close();
            return null;
        }
    }

    public static String inUse(Path dir) {
        return "another DevTime is using the data directory " + dir.toAbsolutePath()
                + ": stop it, or start this one with --data-dir and another folder";
    }
}
