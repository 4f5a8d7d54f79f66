package dev.devtime.local.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * {@code java -jar devtime-local.jar smoke --url API_URL --key KEY [--timeout SECONDS]}: tells whether a
 * deployed DevTime works end to end, the way a plugin and the dashboard use it. It sends two heartbeats a
 * minute apart through WakaTime's bulk route, waits until the minute between them shows in
 * {@code /api/stats?range=today} for its own project, and reads it back through WakaTime's summaries.
 * Each step is printed with the time since the start; a failure says where to look. Exit code 0 when all
 * steps pass, 1 otherwise.
 *
 * <p>The heartbeats are real: they add a minute a run to the project {@value #PROJECT} of the key's user.
 */
public final class SmokeCommand {

    static final String PROJECT = "devtime-smoke-test";
    static final String BULK = "/api/v1/users/current/heartbeats.bulk";
    static final String USER_AGENT = "devtime-smoke/1 (java) devtime-local";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration GATEWAY_RETRY = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String authorization;
    private final Duration timeout;
    private final Duration gatewayRetry;
    private final PrintStream out;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final long startNanos = System.nanoTime();

    private SmokeCommand(String base, String key, Duration timeout, Duration gatewayRetry, PrintStream out) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.gatewayRetry = gatewayRetry;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** @return the process exit code: 0 when the deployment works end to end, 1 otherwise */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String url = null;
        String key = null;
        Duration timeout = DEFAULT_TIMEOUT;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                usage(out, null);
                return 0;
            }
            if (i + 1 >= args.length
                    || !(option.equals("--url") || option.equals("--key") || option.equals("--timeout"))) {
                return usage(
                        err,
                        option.startsWith("--") && i + 1 >= args.length
                                ? option + " needs a value"
                                : "unknown argument " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--url" -> url = value;
                case "--key" -> key = value;
                default -> {
                    try {
                        timeout = Duration.ofSeconds(Long.parseLong(value));
                    } catch (NumberFormatException e) {
                        return usage(err, "--timeout takes whole seconds, got " + value);
                    }
                }
            }
        }
        if (url == null || key == null) {
            return usage(err, "give --url and --key");
        }
        // The plugins' URL (ApiUrl + /api/v1) is what people have at hand: accept it too.
        String base = url.trim().replaceAll("/+$", "").replaceAll("/api/v1$", "");
        if (!base.startsWith("http://") && !base.startsWith("https://")) {
            return usage(err, "--url must start with https:// (the stack output ApiUrl), got " + url);
        }
        return new SmokeCommand(base, key.trim(), timeout, GATEWAY_RETRY, out).run();
    }

    /** For tests: the same with another pause before a request API Gateway failed is sent again. */
    static int run(String url, String key, Duration timeout, Duration gatewayRetry, PrintStream out) {
        return new SmokeCommand(url, key, timeout, gatewayRetry, out).run();
    }

    private static int usage(PrintStream to, String error) {
        if (error != null) {
            to.println("smoke: " + error);
        }
        to.println("usage: java -jar devtime-local.jar smoke --url API_URL --key KEY [--timeout SECONDS]");
        to.println("  API_URL  the stack output ApiUrl after `cdk deploy` (or a local DevTime's address)");
        to.println("  KEY      an API key of a user (create one in the dashboard's Keys page)");
        to.println("  SECONDS  how long to wait for the heartbeats to show in the stats (default 60)");
        return error == null ? 0 : 1;
    }

    /** A failed step: what happened, and what to look at. */
    private static final class Failure extends Exception {
        final String lookAt;

        Failure(String what, String lookAt) {
            super(what);
            this.lookAt = lookAt;
        }
    }

    private record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.nullNode();
            }
        }

        /** API Gateway's own 5xx ({"message": ...}; DevTime's handlers answer {"error": ...}): the function did not answer. */
        boolean fromGateway() {
            JsonNode j = json();
            return (status == 500 || status == 502 || status == 503) && j.hasNonNull("message") && !j.has("error");
        }

        /** DevTime's {"error": "..."}, API Gateway's {"message": "..."}, or the start of the body. */
        String message() {
            JsonNode j = json();
            if (j.hasNonNull("error")) {
                return j.get("error").asText();
            }
            if (j.hasNonNull("message")) {
                return j.get("message").asText();
            }
            return body.length() > 200 ? body.substring(0, 200) + "…" : body;
        }
    }

    private int run() {
        out.println("DevTime smoke test against " + base);
        try {
            double before = projectSecondsToday();
            step(String.format(Locale.ROOT, "before: project %s has %.0f s today", PROJECT, before));
            sendHeartbeats();
            double after = awaitInStats(before);
            step(String.format(
                    Locale.ROOT,
                    "/api/stats?range=today shows them: project %s %.0f s (was %.0f s)",
                    PROJECT,
                    after,
                    before));
            double summarized = summariesSeconds();
            if (summarized + 1 < after) {
                throw new Failure(
                        String.format(
                                Locale.ROOT,
                                "WakaTime summaries show %.0f s for %s where /api/stats shows %.0f s",
                                summarized,
                                PROJECT,
                                after),
                        "the query function's log group (DevTime-<stage>-QueryLogs…)");
            }
            step(String.format(
                    Locale.ROOT, "WakaTime summaries (range=Today) list project %s with %.0f s", PROJECT, summarized));
            out.println(String.format(Locale.ROOT, "OK: DevTime works end to end (%.1f s)", elapsed()));
            return 0;
        } catch (Failure f) {
            step("FAILED: " + f.getMessage());
            out.println("Look at: " + f.lookAt);
            return 1;
        }
    }

    private void step(String line) {
        out.println(String.format(Locale.ROOT, "[%6.1f s] %s", elapsed(), line));
    }

    private double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void sendHeartbeats() throws Failure {
        // A minute apart and a little in the past, so a client clock slightly ahead of the server's is fine.
        long now = System.currentTimeMillis();
        ArrayNode batch = JSON.createArrayNode();
        for (long t : new long[] {now - 90_000, now - 30_000}) {
            ObjectNode h = batch.addObject();
            h.put("entity", "smoke-test.txt");
            h.put("type", "file");
            h.put("category", "coding");
            h.put("time", t / 1000.0);
            h.put("project", PROJECT);
            h.put("language", "Text");
            h.put("is_write", false);
            h.put("user_agent", USER_AGENT);
        }
        Answer a = send("POST", BULK, batch.toString(), "the ingest function");
        if (a.status() != 201 && a.status() != 202) {
            throw unexpected("POST " + BULK, a, "the ingest function");
        }
        JsonNode responses = a.json().path("responses");
        for (int i = 0; i < 2; i++) {
            int status = responses.path(i).path(1).asInt(0);
            if (status != 201 && status != 202) {
                throw new Failure(
                        "heartbeat " + (i + 1) + " of 2 was refused (" + status + "): "
                                + responses.path(i).path(0),
                        "the message above; a refused timestamp means this machine's clock is far off");
            }
        }
        step("sent 2 heartbeats a minute apart to " + BULK + ": " + a.status() + ", both accepted");
    }

    /** Polls the stats until the project has gained the minute, or the time is up. */
    private double awaitInStats(double before) throws Failure {
        long deadline = System.nanoTime() + timeout.toNanos();
        double seconds = before;
        while (System.nanoTime() < deadline) {
            seconds = projectSecondsToday();
            // More than before, not necessarily a full minute: other heartbeats of the user sent meanwhile
            // take their share of the gap between the two.
            if (seconds > before) {
                return seconds;
            }
            sleep(Duration.ofSeconds(2));
        }
        throw new Failure(
                String.format(
                        Locale.ROOT,
                        "the heartbeats were accepted but did not show in /api/stats within %d s "
                                + "(project %s: %.0f s, was %.0f s)",
                        timeout.toSeconds(),
                        PROJECT,
                        seconds,
                        before),
                "the aggregator is failing: see the dead-letter queue (stack output DeadLetterQueueUrl; "
                        + "`java -jar devtime-local.jar dlq list` for a local DevTime) and its log group "
                        + "(DevTime-<stage>-AggregatorLogs… in CloudWatch Logs)");
    }

    private double projectSecondsToday() throws Failure {
        String path = "/api/stats?range=today&project=" + URLEncoder.encode(PROJECT, StandardCharsets.UTF_8);
        Answer a = send("GET", path, null, "the query function");
        if (a.status() != 200) {
            throw unexpected("GET " + path, a, "the query function");
        }
        return a.json().path("total_seconds").asDouble(0);
    }

    private double summariesSeconds() throws Failure {
        String path = "/api/v1/users/current/summaries?range=Today";
        Answer a = send("GET", path, null, "the query function");
        if (a.status() != 200) {
            throw unexpected("GET " + path, a, "the query function");
        }
        for (JsonNode p : a.json().path("data").path(0).path("projects")) {
            if (PROJECT.equals(p.path("name").asText())) {
                return p.path("total_seconds").asDouble(0);
            }
        }
        throw new Failure(
                "WakaTime summaries (range=Today) do not list project " + PROJECT + " although /api/stats does",
                "the query function's log group (DevTime-<stage>-QueryLogs…)");
    }

    private Answer send(String method, String path, String body, String function) throws Failure {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization)
                .header("User-Agent", USER_AGENT)
                .header("X-Machine-Name", "devtime-smoke")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Answer a = new Answer(r.statusCode(), r.body());
            if (a.fromGateway()) {
                // A function version idle for 14 days fails its first call while Lambda restores it
                // (SnapStartNotReadyException): ask once more, as the clients do. Heartbeats are kept once.
                step(method + " " + path + " answered " + a.status() + " from API Gateway itself; asking once more in "
                        + gatewayRetry.toSeconds() + " s");
                sleep(gatewayRetry);
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                a = new Answer(r.statusCode(), r.body());
            }
            return a;
        } catch (HttpTimeoutException e) {
            throw new Failure(
                    method + " " + path + " got no answer within 30 s",
                    function + "'s log group (DevTime-<stage>-…Logs…) for timeouts, and the API access log group "
                            + "(DevTime-<stage>-ApiAccessLogs…)");
        } catch (ConnectException e) {
            throw new Failure(
                    "cannot connect to " + base + " (" + e.getMessage() + ")",
                    "--url: the stack output ApiUrl, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com");
        } catch (IOException e) {
            throw new Failure("cannot reach " + base + ": " + e, "--url: the stack output ApiUrl, and your network");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted", "nothing: the test was stopped");
        }
    }

    private Failure unexpected(String request, Answer a, String function) {
        String what = request + " answered " + a.status() + ": " + a.message();
        return switch (a.status()) {
            case 401 ->
                new Failure(
                        what,
                        "the API key: --key must be a key of a user of this deployment "
                                + "(create one in the dashboard's Keys page); keys of a deleted account stop working within a minute");
            case 403 ->
                new Failure(what, "the API key: a read-only key cannot send heartbeats; use a key with write access");
            case 404 -> new Failure(what, "--url: the stack output ApiUrl (the API's base URL, without a path)");
            case 429 ->
                new Failure(
                        what,
                        "the API's throttling (-c throttleRate / throttleBurst) or the per-user rate limit: "
                                + "wait a minute and run it again");
            default ->
                a.status() >= 500
                        ? new Failure(
                                what,
                                (a.fromGateway() ? "API Gateway answered for the function twice: " : "")
                                        + function + "'s log group (DevTime-<stage>-"
                                        + (function.contains("ingest") ? "Ingest" : "Query")
                                        + "Logs… in CloudWatch Logs) and the API access "
                                        + "log group (DevTime-<stage>-ApiAccessLogs…, its integrationError field)")
                        : new Failure(what, "the message above");
        };
    }

    private static void sleep(Duration d) throws Failure {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted", "nothing: the test was stopped");
        }
    }
}
