package dev.devtime.model.deploy;

import dev.devtime.model.api.ApiRoutes;
import java.util.Arrays;
import java.util.Locale;

/**
 * The functions DevTime deploys, with what every place that builds, deploys or runs them must agree on: the
 * CDK app's Lambdas, the shaded jars of {@code functions/pom.xml} (a test there holds the pom to this table),
 * the local deployment and the cold-start harness. A new function is one more entry here, one shade
 * execution, and its grants in the CDK app.
 */
public enum LambdaFunction {

    // Timeouts are starting points: the benchmark (functions' README) is where they are tuned. The API's
    // functions finish inside API Gateway's 30 s.
    INGEST("dev.devtime.functions.ingest.IngestHandler", Event.HTTP, 10, true, true),
    AGGREGATOR("dev.devtime.functions.aggregate.AggregatorHandler", Event.SQS, 60, true, false),
    QUERY("dev.devtime.functions.query.QueryHandler", Event.HTTP, 20, false, true),
    ACCOUNT("dev.devtime.functions.account.AccountHandler", Event.HTTP, 29, true, true);

    /** What invokes the function: API Gateway's HTTP API, or the heartbeat queue's event source. */
    public enum Event {
        HTTP,
        SQS
    }

    private final String handlerClass;
    private final Event event;
    private final int timeoutSeconds;
    private final boolean sendsToQueue;
    private final boolean verifiesTokens;

    LambdaFunction(String handlerClass, Event event, int timeoutSeconds, boolean sendsToQueue, boolean verifiesTokens) {
        this.handlerClass = handlerClass;
        this.event = event;
        this.timeoutSeconds = timeoutSeconds;
        this.sendsToQueue = sendsToQueue;
        this.verifiesTokens = verifiesTokens;
    }

    /** Lower case ({@code ingest}): the jar's, the log's and the recorded calls' name. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Capitalized ({@code Ingest}): the CDK constructs' prefix, and so the logical ids'. */
    public String title() {
        return name().charAt(0) + id().substring(1);
    }

    /** The function's own deployment jar in the functions build: {@code devtime-<id>.jar}. */
    public String jarName() {
        return "devtime-" + id() + ".jar";
    }

    /** The handler's fully qualified class name. */
    public String handlerClass() {
        return handlerClass;
    }

    /** Lambda's handler string: the class and its {@code handleRequest} method. */
    public String handler() {
        return handlerClass + "::handleRequest";
    }

    public Event event() {
        return event;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** Whether it sends to the heartbeat queue, and so gets QUEUE_URL. */
    public boolean sendsToQueue() {
        return sendsToQueue;
    }

    /** Whether it accepts dashboard tokens, and so gets the JWT issuer, audience and scope. */
    public boolean verifiesTokens() {
        return verifiesTokens;
    }

    /** The function that serves the routes of {@code f}. */
    public static LambdaFunction of(ApiRoutes.Function f) {
        return valueOf(f.name());
    }

    /** The function whose id is {@code id}. */
    public static LambdaFunction byId(String id) {
        return Arrays.stream(values())
                .filter(f -> f.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + id));
    }
}
