package dev.devtime.coldstart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Lambda Runtime API, version 2018-06-01, for one execution environment: what a runtime polls for
 * events and answers to. Paths, headers and status codes as AWS documents them ("Using the Lambda runtime
 * API for custom runtimes"): {@code GET /runtime/invocation/next} hands out one event at a time with
 * {@code Lambda-Runtime-Aws-Request-Id}, {@code -Deadline-Ms}, {@code -Invoked-Function-Arn} and
 * {@code -Trace-Id}; {@code POST /runtime/invocation/{id}/response} and {@code /error} answer it (202; an
 * unknown id is a 400); {@code POST /runtime/init/error} reports a failed init.
 */
final class LambdaRuntimeApi implements AutoCloseable {

    private static final String BASE = "/2018-06-01/runtime/";

    /**
     * What the runtime answered for one event: the response payload, or an error with its
     * {@code Lambda-Runtime-Function-Error-Type} and its error document.
     */
    record Outcome(String requestId, String response, String errorType, String error) {
        boolean failed() {
            return errorType != null;
        }
    }

    private record Invocation(String requestId, String event, CompletableFuture<Outcome> outcome) {}

    private final HttpServer server;
    private final ExecutorService threads;
    private final String functionArn;
    private final Duration timeout;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Outcome> initError = new CompletableFuture<>();
    private volatile boolean closed;

    /**
     * @param functionName the function's name, for its ARN
     * @param timeout      the function's configured timeout: each event's deadline is this far from its
     *                     hand-out, and {@link #invoke} waits no longer for its answer
     */
    LambdaRuntimeApi(String functionName, Duration timeout) throws IOException {
        this.functionArn = "arn:aws:lambda:us-east-1:123456789012:function:" + functionName;
        this.timeout = timeout;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        // A runtime keeps one GET next waiting while it is idle: one thread each for it and the answers.
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "runtime-api-" + functionName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port. */
    String address() {
        return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /**
     * Hands {@code event} to the runtime at its next poll and waits for its answer. Fails at once when the
     * runtime reports an init error or its process ends, with what it printed.
     */
    Outcome invoke(String event, Process runtime, String output) throws Exception {
        Invocation inv = new Invocation(UUID.randomUUID().toString(), event, new CompletableFuture<>());
        pending.put(inv);
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (initError.isDone()) {
                Outcome e = initError.get();
                throw new IllegalStateException("init error " + e.errorType() + ": " + e.error() + "\n" + output);
            }
            try {
                return inv.outcome().get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                if (!runtime.isAlive()) {
                    throw new IllegalStateException(
                            "the runtime exited (" + runtime.exitValue() + ") without answering\n" + output);
                }
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException(
                            "no answer within the function's timeout " + timeout + "\n" + output);
                }
            }
        }
    }

    /** The init error the runtime reported, if any, once it has. */
    Outcome awaitInitError(Duration wait) throws Exception {
        return initError.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath().substring(BASE.length());
            String method = x.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(x);
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError.complete(new Outcome(null, null, errorType(x), body(x)));
                send(x, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST")
                    && path.startsWith("invocation/")
                    && (path.endsWith("/response") || path.endsWith("/error"))) {
                answer(x, path);
            } else {
                send(x, 404, "{\"errorMessage\":\"unknown path\",\"errorType\":\"NotFound\"}");
            }
        }
    }

    private void next(HttpExchange x) throws IOException {
        Invocation inv = null;
        try {
            while (inv == null && !closed) {
                inv = pending.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inv == null) {
            return;
        }
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        inFlight.put(inv.requestId(), inv);
        var h = x.getResponseHeaders();
        h.set("Content-Type", "application/json");
        h.set("Lambda-Runtime-Aws-Request-Id", inv.requestId());
        h.set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        h.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        h.set("Lambda-Runtime-Trace-Id", traceId());
        send(x, 200, inv.event());
    }

    private void answer(HttpExchange x, String path) throws IOException {
        String[] parts = path.split("/");
        Invocation inv = parts.length == 3 ? inFlight.remove(parts[1]) : null;
        if (inv == null) {
            send(x, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        byte[] body = x.getRequestBody().readAllBytes();
        if (parts[2].equals("error")) {
            inv.outcome()
                    .complete(
                            new Outcome(inv.requestId(), null, errorType(x), new String(body, StandardCharsets.UTF_8)));
        } else {
            inv.outcome().complete(new Outcome(inv.requestId(), new String(body, StandardCharsets.UTF_8), null, null));
        }
        send(x, 202, "{\"status\":\"OK\"}");
    }

    private static String errorType(HttpExchange x) {
        String t = x.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        return t == null ? "Unknown" : t;
    }

    private static String body(HttpExchange x) throws IOException {
        try (InputStream in = x.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(b);
        }
    }

    /** An X-Ray trace header in the form Lambda passes: Root=1-{epoch hex}-{24 hex};Parent={16 hex};Sampled=0. */
    private static String traceId() {
        var r = ThreadLocalRandom.current();
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        r.nextBytes(root);
        r.nextBytes(parent);
        HexFormat hex = HexFormat.of();
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + hex.formatHex(root) + ";Parent="
                + hex.formatHex(parent) + ";Sampled=0";
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
