package dev.devtime.model.wire;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a WakaTime-style user agent says about the editor, the plugin and the OS, e.g.
 * {@code wakatime/v1.73.0 (linux-5.15.0-76-generic-x86_64) go1.20.5 vscode/1.80.0 vscode-wakatime/24.2.0}
 * or DevTime's own {@code devtime/0.1.0 (linux-x64) node/20.20.2 claude-code/2.0.1 devtime-claude-code/0.1.0}.
 *
 * @param tool   a stable lowercase id of the host tool ({@code vscode}, {@code intellij}, ...)
 * @param editor the host's display name ({@code VS Code})
 * @param plugin the plugin token ({@code vscode-wakatime/24.2.0})
 * @param os     {@code Linux}, {@code macOS}, {@code Windows}, or the raw platform
 */
public record UserAgent(String tool, String editor, String plugin, String os) {

    /** Tool ids and their display names: {@code tools.json} beside this class, which the dashboard reads too. */
    private static final Map<String, String> DISPLAY_NAMES = loadDisplayNames();

    private static Map<String, String> loadDisplayNames() {
        try (InputStream in = UserAgent.class.getResourceAsStream("tools.json")) {
            if (in == null) {
                throw new IllegalStateException("tools.json is missing from the class path");
            }
            return Map.copyOf(new ObjectMapper().readValue(in, new TypeReference<Map<String, String>>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final UserAgent UNKNOWN = new UserAgent(null, null, null, null);

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern GO_RUNTIME = Pattern.compile("go\\d.*");

    /** The last string parsed and its result. */
    private record Parsed(String ua, UserAgent agent) {}

    /**
     * Every item of a request, and every request of one client, carries the same user agent, and parsing it
     * each time would be a third of the parser's time: the last result is kept (one immutable pair, so threads can share it).
     */
    private static volatile Parsed last = new Parsed("", UNKNOWN);

    /** The display name for a tool id, or the id itself capitalised. */
    public static String displayName(String tool) {
        if (tool == null || tool.isEmpty()) {
            return null;
        }
        String known = DISPLAY_NAMES.get(tool.toLowerCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        return Character.toUpperCase(tool.charAt(0)) + tool.substring(1);
    }

    public static UserAgent parse(String ua) {
        if (ua == null || ua.isBlank()) {
            return UNKNOWN;
        }
        Parsed cached = last;
        if (cached.ua().equals(ua)) {
            return cached.agent();
        }
        UserAgent agent = parseUncached(ua);
        last = new Parsed(ua, agent);
        return agent;
    }

    private static UserAgent parseUncached(String ua) {
        String os = null;
        int open = ua.indexOf('(');
        int close = open >= 0 ? ua.indexOf(')', open) : -1;
        String rest = ua;
        if (open >= 0 && close > open) {
            os = osName(ua.substring(open + 1, close));
            rest = ua.substring(0, open) + " " + ua.substring(close + 1);
        }
        List<String> tokens = new ArrayList<>();
        for (String t : WHITESPACE.split(rest.trim())) {
            if (!t.isEmpty()) {
                tokens.add(t);
            }
        }
        // Leading runtime tokens (wakatime/x, devtime/x, go1.20, node/20) say nothing about the editor.
        while (!tokens.isEmpty() && isRuntimeToken(tokens.get(0))) {
            tokens.remove(0);
        }
        if (tokens.isEmpty()) {
            return new UserAgent(null, null, null, os);
        }
        String plugin = tokens.get(tokens.size() - 1);
        String editorRaw = tokens.size() > 1 ? String.join(" ", tokens.subList(0, tokens.size() - 1)) : null;
        String editorName = editorRaw == null ? null : stripVersion(editorRaw);
        String tool = toolFromPlugin(stripVersion(plugin));
        if (tool == null && editorName != null) {
            tool = editorName.toLowerCase(Locale.ROOT).replace(' ', '-');
        }
        boolean known = tool != null && DISPLAY_NAMES.containsKey(tool);
        String editor = known || editorName == null ? displayName(tool) : editorName;
        return new UserAgent(tool, editor, plugin, os);
    }

    private static boolean isRuntimeToken(String t) {
        String l = t.toLowerCase(Locale.ROOT);
        return l.startsWith("wakatime/")
                || l.startsWith("devtime/")
                || l.startsWith("node/")
                || GO_RUNTIME.matcher(l).matches()
                || l.startsWith("python/")
                || l.startsWith("cpython/");
    }

    private static String stripVersion(String token) {
        int slash = token.lastIndexOf('/');
        return slash > 0 ? token.substring(0, slash) : token;
    }

    /** {@code vscode-wakatime} and {@code devtime-vscode} both mean vscode. */
    static String toolFromPlugin(String pluginName) {
        String p = pluginName.toLowerCase(Locale.ROOT);
        if (p.startsWith("devtime-")) {
            return p.substring("devtime-".length());
        }
        if (p.endsWith("-wakatime")) {
            return p.substring(0, p.length() - "-wakatime".length());
        }
        if (p.startsWith("wakatime-")) {
            return p.substring("wakatime-".length());
        }
        return null;
    }

    static String osName(String platform) {
        String p = platform.trim().toLowerCase(Locale.ROOT);
        if (p.startsWith("linux")) {
            return "Linux";
        }
        if (p.startsWith("darwin") || p.startsWith("mac")) {
            return "macOS";
        }
        if (p.startsWith("windows") || p.startsWith("win32")) {
            return "Windows";
        }
        if (p.isEmpty()) {
            return null;
        }
        int dash = p.indexOf('-');
        return dash > 0 ? p.substring(0, dash) : p;
    }
}
