package dev.devtime.local.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.devtime.functions.Log;
import dev.devtime.functions.auth.JwtVerifier;
import dev.devtime.local.measure.HandlerTimings;
import dev.devtime.model.api.ApiRoutes;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP API on one machine: turns each request into the {@link APIGatewayV2HTTPEvent} that API
 * Gateway would send, runs the JWT authorizer on the routes that have it, invokes the same handler
 * object the Lambda runtime would, and writes its response back, within API Gateway's and Lambda's limits
 * ({@link GatewayLimits}). Everything else is the dashboard.
 *
 * <p>Jetty reads headers and bodies without holding a thread per connection, so slow or stalled clients
 * cost a socket each, not a worker; each is dropped after {@link GatewayLimits#readTimeout()} of silence or
 * {@link GatewayLimits#headerTimeout()} without a whole request header. Only requests whose Host header
 * is on the {@link HostAllowList} are answered.
 */
public final class LocalGateway implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService invocations;
    private final GatewayLimits limits;
    private final HostAllowList hosts = new HostAllowList();
    private final RouteTable routes = RouteTable.standard();
    private final Map<ApiRoutes.Function, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions;
    private final JwtVerifier jwt;
    private final StaticSite site;
    private final Set<String> corsOrigins = ConcurrentHashMap.newKeySet();
    /** Requests begun on each open connection, for the header deadline. */
    private final Map<Connection, AtomicLong> requestsBegun = new ConcurrentHashMap<>();

    public LocalGateway(
            String host,
            int port,
            Map<ApiRoutes.Function, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions,
            JwtVerifier jwt,
            StaticSite site) {
        this(host, port, functions, jwt, site, GatewayLimits.AWS);
    }

    public LocalGateway(
            String host,
            int port,
            Map<ApiRoutes.Function, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> functions,
            JwtVerifier jwt,
            StaticSite site,
            GatewayLimits limits) {
        this.functions = functions;
        this.jwt = jwt;
        this.site = site;
        this.limits = limits;
        hosts.allow(host);
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("gateway");
        server = new Server(pool);
        server.setStopTimeout(1000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(GatewayLimits.MAX_HEADER_BYTES);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(512);
        // Without TCP_NODELAY a keep-alive response meets the client's delayed ACK and waits about 40 ms.
        connector.setAcceptedTcpNoDelay(true);
        // Between any two reads of a request (header or body) and while a response waits to be taken.
        connector.setIdleTimeout(limits.readTimeout().toMillis());
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection c) {
                requestsBegun.put(c, new AtomicLong());
                headerDeadline(c, 0, limits.headerTimeout());
            }

            @Override
            public void onClosed(Connection c) {
                requestsBegun.remove(c);
            }
        });
        server.addConnector(connector);
        // Jetty's own refusals (a malformed request line, headers over the limit) answer JSON as well.
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setDefaultResponseMimeType("application/json");
        server.setErrorHandler(errors);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return LocalGateway.this.handle(request, response, callback);
            }
        });
        // Handlers run here, as Lambda runs each invocation apart from API Gateway: a handler past the
        // integration timeout goes on running while the client has its 503.
        AtomicInteger n = new AtomicInteger();
        invocations = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lambda-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public LocalGateway start() {
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new IllegalStateException(
                    "the gateway could not listen on " + connector.getHost() + ":" + connector.getPort() + ": "
                            + e.getMessage(),
                    e);
        }
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Lets pages from {@code origin} (scheme, host and port) call the API from a browser. */
    public LocalGateway allowOrigin(String origin) {
        corsOrigins.add(origin);
        return this;
    }

    /** Answers requests whose Host header names {@code host} (loopback names are always answered). */
    public LocalGateway allowHost(String host) {
        hosts.allow(host);
        return this;
    }

    /** Closes {@code c} unless a request has begun on it since {@code begun} were counted. */
    private void headerDeadline(Connection c, long begun, Duration after) {
        server.getScheduler()
                .schedule(
                        () -> {
                            AtomicLong n = requestsBegun.get(c);
                            if (n != null && n.get() == begun && c.getEndPoint().isOpen()) {
                                c.getEndPoint().close();
                            }
                        },
                        after.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    private boolean handle(Request req, Response resp, Callback cb) {
        Connection connection = req.getConnectionMetaData().getConnection();
        AtomicLong begun = requestsBegun.get(connection);
        if (begun != null) {
            long n = begun.incrementAndGet();
            // The next request on a kept-alive connection gets the same deadline, counted from this answer.
            Request.addCompletionListener(
                    req,
                    failure ->
                            headerDeadline(connection, n, limits.readTimeout().plus(limits.headerTimeout())));
        }
        String method = req.getMethod().toUpperCase(Locale.ROOT);
        boolean head = method.equals("HEAD");
        try {
            String host = req.getHeaders().get(HttpHeader.HOST);
            if (!hosts.allows(host)) {
                reply(
                        resp,
                        cb,
                        head,
                        Reply.json(
                                403,
                                "Forbidden: this server answers requests for localhost, 127.0.0.1 or [::1]"
                                        + " (or a host named with --host or --allowed-host), not for Host " + host));
                return true;
            }
            String path = req.getHttpURI().getPath();
            if (!path.equals("/api") && !path.startsWith("/api/")) {
                String hint = prefixHint(path);
                reply(
                        resp,
                        cb,
                        head,
                        hint != null
                                ? Reply.json(404, hint)
                                : site.serve(method, req.getHttpURI().getDecodedPath()));
                return true;
            }
            if (cors(req, resp, method)) {
                reply(resp, cb, false, new Reply(204, Map.of(), new byte[0]));
                return true;
            }
            // HEAD runs the GET route and drops the body, as a client expects of any GET resource.
            RouteTable.Match match = routes.match(head ? "GET" : method, path);
            if (match == null) {
                String hint = prefixHint(path);
                reply(
                        resp,
                        cb,
                        head,
                        hint != null
                                ? Reply.json(404, hint)
                                : routes.pathExists(path)
                                        ? Reply.json(405, "Method Not Allowed")
                                        : Reply.json(404, "Not Found"));
                return true;
            }
            if (req.getLength() > limits.maxRequestBytes()) {
                tooLarge(match, req.getLength());
                reply(resp, cb, head, Reply.json(413, "Request Entity Too Large"));
                return true;
            }
            CompletableFuture<byte[]> read = new CompletableFuture<>();
            readBody(req, new ByteArrayOutputStream((int) Math.max(0, req.getLength())), read);
            read.whenCompleteAsync(
                    (body, failure) -> {
                        try {
                            if (failure != null) {
                                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                        ? failure.getCause()
                                        : failure;
                                if (cause instanceof TimeoutException) {
                                    reply(resp, cb, head, Reply.json(408, "Request Timeout"));
                                } else if (cause instanceof BodyTooLarge) {
                                    tooLarge(match, -1);
                                    reply(resp, cb, head, Reply.json(413, "Request Entity Too Large"));
                                } else {
                                    cb.failed(cause);
                                }
                                return;
                            }
                            route(req, resp, cb, match, body, head);
                        } catch (Throwable t) {
                            fail(resp, cb, head, t);
                        }
                    },
                    server.getThreadPool());
        } catch (Throwable t) {
            fail(resp, cb, head, t);
        }
        return true;
    }

    /** Collects the body as it arrives, without holding a thread while the client is slow. */
    private void readBody(Request req, ByteArrayOutputStream body, CompletableFuture<byte[]> done) {
        while (true) {
            Content.Chunk chunk = req.read();
            if (chunk == null) {
                req.demand(() -> readBody(req, body, done));
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                // Includes the read timeout, as a TimeoutException.
                done.completeExceptionally(chunk.getFailure());
                return;
            }
            ByteBuffer b = chunk.getByteBuffer();
            if (body.size() + b.remaining() > limits.maxRequestBytes()) {
                chunk.release();
                done.completeExceptionally(new BodyTooLarge());
                return;
            }
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            body.writeBytes(bytes);
            chunk.release();
            if (chunk.isLast()) {
                done.complete(body.toByteArray());
                return;
            }
        }
    }

    private static final class BodyTooLarge extends Exception {
        BodyTooLarge() {
            super(null, null, false, false);
        }
    }

    private static void tooLarge(RouteTable.Match match, long bytes) {
        Log.error(
                "request body over API Gateway's limit",
                null,
                "route",
                match.route().routeKey(),
                "bytes",
                bytes);
    }

    /** Past the limits of the read, as far as the client is concerned, the request is API Gateway's and Lambda's. */
    private void route(Request req, Response resp, Callback cb, RouteTable.Match match, byte[] body, boolean head) {
        APIGatewayV2HTTPEvent event = event(req, match, body);
        if (match.route().auth() == ApiRoutes.Auth.JWT && !authorize(req, event)) {
            reply(
                    resp,
                    cb,
                    head,
                    new Reply(
                            401,
                            Map.of("Content-Type", "application/json", "WWW-Authenticate", "Bearer"),
                            "{\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8)));
            return;
        }
        ApiRoutes.Function function = match.route().function();
        String route = match.route().routeKey();
        CompletableFuture.supplyAsync(
                        () -> {
                            long started = System.nanoTime();
                            try {
                                return functions.get(function).apply(event);
                            } finally {
                                // A Lambda invocation is billed for its duration whether or not the handler throws.
                                HandlerTimings.record(
                                        function.name().toLowerCase(Locale.ROOT), System.nanoTime() - started);
                            }
                        },
                        invocations)
                .orTimeout(limits.integrationTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, failure) -> {
                    try {
                        if (failure != null) {
                            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                    ? failure.getCause()
                                    : failure;
                            if (cause instanceof TimeoutException) {
                                Log.error(
                                        "integration timeout: the handler is still running",
                                        null,
                                        "route",
                                        route,
                                        "timeoutMs",
                                        limits.integrationTimeout().toMillis());
                                reply(resp, cb, head, Reply.json(503, "Service Unavailable"));
                            } else {
                                // API Gateway answers 500 when the integration fails; so does the local one.
                                Log.error("handler invocation failed", cause, "route", route);
                                reply(resp, cb, head, Reply.json(500, "Internal Server Error"));
                            }
                            return;
                        }
                        int size = serializedSize(response);
                        if (size > limits.maxResponseBytes()) {
                            // Lambda fails the invocation (Function.ResponseSizeTooLarge) and the HTTP API answers its
                            // generic integration failure.
                            Log.error(
                                    "response over Lambda's payload limit",
                                    null,
                                    "route",
                                    route,
                                    "bytes",
                                    size,
                                    "limit",
                                    limits.maxResponseBytes());
                            reply(resp, cb, head, Reply.json(500, "Internal Server Error"));
                            return;
                        }
                        writeResponse(resp, cb, response, head);
                    } catch (Throwable t) {
                        fail(resp, cb, head, t);
                    }
                });
    }

    /** A path that would be a WakaTime route under {@code /api/v1}: the plugin's api_url lacks that prefix. */
    private String prefixHint(String path) {
        String rest = path.startsWith("/api/") ? path.substring(4) : path;
        String prefix = ApiRoutes.WAKATIME_PREFIXES.get(0);
        if (!rest.isEmpty() && !rest.equals("/") && routes.pathExists(prefix + rest)) {
            return "Not Found: WakaTime's API is under " + prefix + ", as in " + prefix + rest
                    + " (set api_url to this server's address followed by " + prefix + ")";
        }
        return null;
    }

    /** The response as Lambda's runtime serializes it for the invocation result. */
    static int serializedSize(APIGatewayV2HTTPResponse r) throws JsonProcessingException {
        ObjectNode o = JSON.createObjectNode();
        o.put("statusCode", r.getStatusCode());
        o.set("headers", JSON.valueToTree(r.getHeaders()));
        o.set("multiValueHeaders", JSON.valueToTree(r.getMultiValueHeaders()));
        o.set("cookies", JSON.valueToTree(r.getCookies()));
        o.put("body", r.getBody());
        o.put("isBase64Encoded", r.getIsBase64Encoded());
        return JSON.writeValueAsBytes(o).length;
    }

    private static void fail(Response resp, Callback cb, boolean head, Throwable t) {
        Log.error("gateway failed", t);
        if (resp.isCommitted()) {
            cb.failed(t);
        } else {
            resp.reset();
            reply(resp, cb, head, Reply.json(500, "Internal Server Error"));
        }
    }

    /**
     * Allows a page from another origin to call the API only when that origin was allowed (a dashboard dev
     * server; the dashboard served here is same-origin and needs nothing), as API Gateway does with the
     * CDK app's allowlist: a preflight is answered here, with CORS headers only for an allowed origin.
     *
     * @return true when the request is a preflight, to be answered 204 with the headers set here
     */
    private boolean cors(Request req, Response resp, String method) {
        String origin = req.getHeaders().get(HttpHeader.ORIGIN);
        boolean allowed = origin != null && corsOrigins.contains(origin);
        if (allowed) {
            resp.getHeaders().put("Access-Control-Allow-Origin", origin);
            resp.getHeaders().put("Vary", "Origin");
        }
        if (!"OPTIONS".equals(method) || !req.getHeaders().contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD)) {
            return false;
        }
        if (allowed) {
            resp.getHeaders().put("Access-Control-Allow-Methods", "GET,POST,PUT,PATCH,DELETE,OPTIONS");
            resp.getHeaders().put("Access-Control-Allow-Headers", "Authorization,Content-Type,X-Machine-Name");
            resp.getHeaders().put("Access-Control-Max-Age", "3600");
        }
        return true;
    }

    private boolean authorize(Request req, APIGatewayV2HTTPEvent event) {
        String header = req.getHeaders().get(HttpHeader.AUTHORIZATION);
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
        event.getRequestContext()
                .setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                                .builder()
                                .withClaims(flat)
                                .withScopes(scope == null ? List.of() : List.of(scope.split(" ")))
                                .build())
                        .build());
        return true;
    }

    /** The HTTP API payload 2.0 event. A HEAD request reaches the handler as the GET it stands for. */
    private static APIGatewayV2HTTPEvent event(Request req, RouteTable.Match match, byte[] body) {
        String path = req.getHttpURI().getPath();
        Map<String, String> headers = new HashMap<>();
        for (HttpField f : req.getHeaders()) {
            headers.merge(f.getLowerCaseName(), f.getValue(), (a, b) -> a + "," + b);
        }
        String rawQuery = req.getHttpURI().getQuery();
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
        boolean text = body.length == 0
                || contentType.isEmpty()
                || contentType.contains("json")
                || contentType.startsWith("text/")
                || contentType.contains("x-www-form-urlencoded");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(path)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withBody(
                        body.length == 0
                                ? null
                                : text
                                        ? new String(body, StandardCharsets.UTF_8)
                                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(match.route().routeKey())
                        .withStage("$default")
                        .withRequestId(UUID.randomUUID().toString())
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(match.route().method())
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp(Request.getRemoteAddr(req))
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

    private static void writeResponse(Response resp, Callback cb, APIGatewayV2HTTPResponse r, boolean head) {
        byte[] body = r.getBody() == null
                ? new byte[0]
                : r.getIsBase64Encoded()
                        ? Base64.getDecoder().decode(r.getBody())
                        : r.getBody().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>();
        if (r.getHeaders() != null) {
            headers.putAll(r.getHeaders());
        }
        if (r.getMultiValueHeaders() != null) {
            r.getMultiValueHeaders().forEach((k, v) -> resp.getHeaders().put(k, v));
        }
        reply(resp, cb, head, new Reply(r.getStatusCode(), headers, body));
    }

    /** Writes {@code r}; for HEAD, its headers and length without the body. */
    static void reply(Response resp, Callback cb, boolean head, Reply r) {
        resp.setStatus(r.status());
        r.headers().forEach((k, v) -> resp.getHeaders().put(k, v));
        boolean noContent = r.status() == 204 || r.status() == 304;
        if (noContent) {
            resp.write(true, BufferUtil.EMPTY_BUFFER, cb);
            return;
        }
        resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, r.body().length);
        resp.write(true, head || r.body().length == 0 ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(r.body()), cb);
    }

    /** Stops accepting requests and waits briefly for those in flight. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            Log.error("gateway stop failed", e);
        }
        invocations.shutdown();
    }
}
