package dev.devtime.local.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.devtime.functions.Log;
import dev.devtime.functions.auth.JwtVerifier;
import dev.devtime.model.api.ApiRoutes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The HTTP API on one machine: turns each request into the {@link APIGatewayV2HTTPEvent} that API
 * Gateway would send, runs the JWT authorizer on the routes that have it, invokes the same handler
 * object the Lambda runtime would, and writes its response back. Everything else is the dashboard.
 */
public final class LocalGateway implements AutoCloseable {

    /** API Gateway's own payload limit. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed
        // ACK, and every keep-alive response waits about 40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final RouteTable routes = RouteTable.standard();
    private final Map<ApiRoutes.Function, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions;
    private final JwtVerifier jwt;
    private final StaticSite site;
    private final java.util.Set<String> corsOrigins = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public LocalGateway(String host, int port, Map<ApiRoutes.Function, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions,
                        JwtVerifier jwt, StaticSite site) throws IOException {
        this.functions = functions;
        this.jwt = jwt;
        this.site = site;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 512);
        this.executor = Executors.newFixedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 8));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public LocalGateway start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = ex.getRequestURI().getRawPath();
            if (!path.startsWith("/api/")) {
                site.serve(ex);
                return;
            }
            if (cors(ex, method)) {
                return;
            }
            RouteTable.Match match = routes.match(method, path);
            if (match == null) {
                int status = routes.pathExists(path) ? 405 : 404;
                send(ex, status, "{\"message\":\"" + (status == 404 ? "Not Found" : "Method Not Allowed") + "\"}", Map.of());
                return;
            }
            byte[] body = readBody(ex.getRequestBody());
            if (body == null) {
                send(ex, 413, "{\"message\":\"Request Entity Too Large\"}", Map.of());
                return;
            }
            APIGatewayV2HTTPEvent event = event(ex, match, path, body);
            if (match.route().auth() == ApiRoutes.Auth.JWT && !authorize(ex, event)) {
                send(ex, 401, "{\"message\":\"Unauthorized\"}", Map.of("WWW-Authenticate", "Bearer"));
                return;
            }
            ApiRoutes.Function function = match.route().function();
            long started = System.nanoTime();
            APIGatewayV2HTTPResponse response;
            try {
                response = functions.get(function).apply(event);
            } finally {
                // A Lambda invocation is billed for its duration whether or not the handler throws.
                HandlerTimings.record(function.name().toLowerCase(Locale.ROOT), System.nanoTime() - started);
            }
            writeResponse(ex, response);
        } catch (RuntimeException e) {
            // API Gateway answers 500 when the integration fails; so does the local one.
            Log.error("handler invocation failed", e);
            send(ex, 500, "{\"message\":\"Internal Server Error\"}", Map.of());
        }
    }

    /**
     * Allows a page from another origin to call the API only when that origin was allowed (a dashboard dev
     * server; the dashboard served here is same-origin and needs nothing), as API Gateway does with the
     * CDK app's allowlist: a preflight is answered here, with CORS headers only for an allowed origin.
     *
     * @return true when the request was a preflight and has been answered
     */
    private boolean cors(HttpExchange ex, String method) throws IOException {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        boolean allowed = origin != null && corsOrigins.contains(origin);
        if (allowed) {
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
            ex.getResponseHeaders().set("Vary", "Origin");
        }
        if (!"OPTIONS".equals(method) || !ex.getRequestHeaders().containsKey("Access-Control-Request-Method")) {
            return false;
        }
        if (allowed) {
            ex.getResponseHeaders().set("Access-Control-Allow-Methods", "GET,POST,PUT,PATCH,DELETE,OPTIONS");
            ex.getResponseHeaders().set("Access-Control-Allow-Headers", "Authorization,Content-Type,X-Machine-Name");
            ex.getResponseHeaders().set("Access-Control-Max-Age", "3600");
        }
        write(ex, 204, new byte[0]);
        return true;
    }

    /** Lets pages from {@code origin} (scheme, host and port) call the API from a browser. */
    public LocalGateway allowOrigin(String origin) {
        corsOrigins.add(origin);
        return this;
    }

    private boolean authorize(HttpExchange ex, APIGatewayV2HTTPEvent event) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (jwt == null || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        JWTClaimsSet claims = jwt.verify(header.substring(7).trim());
        if (claims == null) {
            return false;
        }
        Map<String, String> flat = new HashMap<>();
        claims.getClaims().forEach((k, v) -> flat.put(k, String.valueOf(v)));
        String scope = flat.get("scope");
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                        .withClaims(flat)
                        .withScopes(scope == null ? List.of() : List.of(scope.split(" ")))
                        .build())
                .build());
        return true;
    }

    private static APIGatewayV2HTTPEvent event(HttpExchange ex, RouteTable.Match match, String path, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        String rawQuery = ex.getRequestURI().getRawQuery();
        Map<String, String> query = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.merge(k, v, (a, b) -> a + "," + b);
            }
        }
        String contentType = headers.getOrDefault("content-type", "");
        boolean text = body.length == 0 || contentType.isEmpty() || contentType.contains("json")
                || contentType.startsWith("text/") || contentType.contains("x-www-form-urlencoded");
        String source = ex.getRemoteAddress().getAddress().getHostAddress();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(path)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(match.route().routeKey())
                        .withStage("$default")
                        .withRequestId(UUID.randomUUID().toString())
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(ex.getRequestMethod().toUpperCase(Locale.ROOT))
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp(source)
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .build())
                .build();
    }

    /** Percent-decodes a query value; a malformed escape ({@code %%%}) is passed on as sent, for the handler to refuse. */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
        return b.length > MAX_BODY_BYTES ? null : b;
    }

    private static void writeResponse(HttpExchange ex, APIGatewayV2HTTPResponse r) throws IOException {
        byte[] body = r.getBody() == null ? new byte[0]
                : r.getIsBase64Encoded() ? Base64.getDecoder().decode(r.getBody()) : r.getBody().getBytes(StandardCharsets.UTF_8);
        if (r.getHeaders() != null) {
            r.getHeaders().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        }
        if (r.getMultiValueHeaders() != null) {
            r.getMultiValueHeaders().forEach((k, v) -> ex.getResponseHeaders().put(k, v));
        }
        write(ex, r.getStatusCode(), body);
    }

    static void send(HttpExchange ex, int status, String json, Map<String, String> headers) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        write(ex, status, json.getBytes(StandardCharsets.UTF_8));
    }

    static void write(HttpExchange ex, int status, byte[] body) throws IOException {
        boolean empty = body.length == 0 || "HEAD".equals(ex.getRequestMethod()) || status == 204 || status == 304;
        ex.sendResponseHeaders(status, empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops accepting requests and waits briefly for those in flight. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
    }
}
