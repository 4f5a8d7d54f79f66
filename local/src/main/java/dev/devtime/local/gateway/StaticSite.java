package dev.devtime.local.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The dashboard, from the jar's {@code /web} folder (the built {@code web/dist}), with the runtime
 * configuration at {@code /config.json} and the security headers Amplify is configured to send in AWS.
 * Paths that are not files fall back to {@code index.html}, as a single-page app needs.
 */
public final class StaticSite {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("map", "application/json"));

    private final Map<String, String> securityHeaders;

    /** The headers every dashboard response carries; the sign-in issuer is the one other origin it talks to. */
    static Map<String, String> securityHeaders(String issuerOrigin) {
        return Map.of(
                "Content-Security-Policy",
                        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                + "img-src 'self' data:; connect-src 'self' " + issuerOrigin + "; form-action 'self' "
                                + issuerOrigin
                                + "; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
                "X-Frame-Options", "DENY",
                "Referrer-Policy", "no-referrer",
                "X-Content-Type-Options", "nosniff",
                "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    }

    private final Supplier<String> runtimeConfig;

    /**
     * @param runtimeConfig the JSON the dashboard loads at start-up (API URL, OIDC issuer and client)
     * @param issuerOrigin  scheme, host and port of the sign-in issuer
     */
    public StaticSite(Supplier<String> runtimeConfig, String issuerOrigin) {
        this.runtimeConfig = runtimeConfig;
        this.securityHeaders = securityHeaders(issuerOrigin);
    }

    /** The dashboard's answer to a GET or HEAD of {@code path} (decoded, from the root). */
    Reply serve(String method, String path) throws IOException {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return Reply.json(405, "Method Not Allowed");
        }
        Map<String, String> headers = new HashMap<>(securityHeaders);
        if (path.equals("/config.json")) {
            headers.put("Content-Type", "application/json");
            headers.put("Cache-Control", "no-store");
            return new Reply(200, headers, runtimeConfig.get().getBytes(StandardCharsets.UTF_8));
        }
        if (path.contains("..")) {
            return Reply.json(400, "Bad Request");
        }
        String file = path.equals("/") ? "/index.html" : path;
        byte[] body = resource(file);
        if (body == null && !file.substring(file.lastIndexOf('/') + 1).contains(".")) {
            file = "/index.html";
            body = resource(file);
        }
        if (body == null) {
            if (file.equals("/index.html")) {
                body = ("<!doctype html><title>DevTime</title><h1>DevTime</h1><p>The API is running. The dashboard "
                                + "was not built into this jar: run <code>mvn -B package</code> from the repository root.</p>")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                return Reply.json(404, "Not Found");
            }
        }
        String ext = file.substring(file.lastIndexOf('.') + 1);
        headers.put("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
        headers.put("Cache-Control", file.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
        return new Reply(200, headers, body);
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = StaticSite.class.getResourceAsStream("/web" + file)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
