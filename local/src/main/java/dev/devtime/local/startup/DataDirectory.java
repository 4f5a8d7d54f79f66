package dev.devtime.local.startup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where DevTime on one machine keeps its database by default: the platform's folder for application data,
 * apart from {@code ~/.devtime}, which belongs to the clients (their queue and config), so resetting a
 * client never deletes the server's data.
 *
 * @param path   the folder to use
 * @param legacy true when it is {@code ~/.devtime/data}, where earlier versions kept it: it is used as it is
 *               (nothing is moved) and the banner says so
 */
public record DataDirectory(Path path, boolean legacy) {

    /** The platform's folder, or the old one when only that exists. */
    public static DataDirectory resolve(Map<String, String> env, String osName, String home) {
        Path platform = platformDefault(env, osName, home);
        Path old = Path.of(home, ".devtime", "data");
        if (!Files.exists(platform) && Files.isDirectory(old)) {
            return new DataDirectory(old, true);
        }
        return new DataDirectory(platform, false);
    }

    public static DataDirectory resolve() {
        return resolve(System.getenv(), System.getProperty("os.name", ""), System.getProperty("user.home"));
    }

    public static Path platformDefault() {
        return platformDefault(System.getenv(), System.getProperty("os.name", ""), System.getProperty("user.home"));
    }

    /**
     * XDG_DATA_HOME (or ~/.local/share) on Linux and other Unixes, ~/Library/Application Support on macOS,
     * %LOCALAPPDATA% on Windows.
     */
    static Path platformDefault(Map<String, String> env, String osName, String home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String local = env.get("LOCALAPPDATA");
            return (local != null && !local.isBlank() ? Path.of(local) : Path.of(home, "AppData", "Local"))
                    .resolve("DevTime");
        }
        if (os.startsWith("mac")) {
            return Path.of(home, "Library", "Application Support", "DevTime");
        }
        String xdg = env.get("XDG_DATA_HOME");
        // The XDG spec says a relative value is invalid and must be ignored.
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(home, ".local", "share");
        return base.resolve("devtime");
    }
}
