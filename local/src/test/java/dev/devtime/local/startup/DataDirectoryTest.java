package dev.devtime.local.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path home;

    @Test
    void eachPlatformHasItsOwnFolderApartFromTheClients() {
        String h = home.toString();
        assertEquals(home.resolve(".local/share/devtime"), DataDirectory.platformDefault(Map.of(), "Linux", h));
        assertEquals(
                Path.of("/xdg/devtime"), DataDirectory.platformDefault(Map.of("XDG_DATA_HOME", "/xdg"), "Linux", h));
        // A relative XDG_DATA_HOME is invalid by the spec and ignored.
        assertEquals(
                home.resolve(".local/share/devtime"),
                DataDirectory.platformDefault(Map.of("XDG_DATA_HOME", "rel"), "Linux", h));
        assertEquals(
                home.resolve("Library/Application Support/DevTime"),
                DataDirectory.platformDefault(Map.of(), "Mac OS X", h));
        assertEquals(
                Path.of("/appdata/DevTime"),
                DataDirectory.platformDefault(Map.of("LOCALAPPDATA", "/appdata"), "Windows 11", h));
        assertEquals(home.resolve("AppData/Local/DevTime"), DataDirectory.platformDefault(Map.of(), "Windows 11", h));
    }

    @Test
    void anExistingOldFolderIsKeptUntilThePlatformOneExists() throws Exception {
        String h = home.toString();
        DataDirectory fresh = DataDirectory.resolve(Map.of(), "Linux", h);
        assertEquals(home.resolve(".local/share/devtime"), fresh.path());
        assertFalse(fresh.legacy());

        Files.createDirectories(home.resolve(".devtime/data"));
        DataDirectory old = DataDirectory.resolve(Map.of(), "Linux", h);
        assertEquals(home.resolve(".devtime/data"), old.path());
        assertTrue(old.legacy());

        // Once moved, the platform's folder wins.
        Files.createDirectories(home.resolve(".local/share/devtime"));
        assertEquals(
                home.resolve(".local/share/devtime"),
                DataDirectory.resolve(Map.of(), "Linux", h).path());
    }
}
