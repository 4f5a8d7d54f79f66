package dev.devtime.cdk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awscdk.RemovalPolicy;

/**
 * What a deployment can be told with {@code -c key=value} (or in cdk.json's "context"). Everything has a
 * default except the custom domain, so a plain {@code cdk deploy} works.
 */
public record DeployConfig(
        String stage,
        Path functionsDir,
        Path webDist,
        String domainName,
        String apiDomainName,
        String certificateArn,
        int rawRetentionDays,
        List<String> allowedOrigins,
        List<String> callbackUrls,
        int logRetentionDays,
        boolean selfSignUp,
        String alarmEmail,
        boolean retainData,
        int throttleRate,
        int throttleBurst,
        int memoryMb,
        String authDomainPrefix,
        String budgetEmail,
        int budgetUsd) {

    /**
     * API stage throttling sized for a team of up to about 100 developers: each sends about 1.5 requests a
     * minute (an editor and an AI tool, a heartbeat a minute each, two per request, plus the status bar),
     * 2.5 requests a second together; 10 leaves four times that for dashboards and offline queues flushing.
     * The burst of 50 lets a few dashboards load at once (each page asks about ten routes in parallel).
     * Saturated around the clock by requests refused at the key check, 10 a second (26 million a month)
     * cost about $40 a month at us-east-1 list prices (API Gateway $26, Lambda $9, DynamoDB reads $3);
     * 50 a second would cost five times that.
     */
    public static final int DEFAULT_THROTTLE_RATE = 10;

    public static final int DEFAULT_THROTTLE_BURST = 50;
    /** The monthly budget the optional alarm watches; a team's real use is a few dollars (cdk-app/README.md). */
    public static final int DEFAULT_BUDGET_USD = 10;

    private static final Pattern STAGE = Pattern.compile("[a-z][a-z0-9-]{0,19}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[^/\\s]+");

    public DeployConfig {
        if (!STAGE.matcher(stage).matches()) {
            throw new IllegalArgumentException(
                    "stage must be 1-20 lowercase letters, digits or '-', starting with a letter: " + stage);
        }
        if (domainName != null && certificateArn == null) {
            throw new IllegalArgumentException(
                    "domainName needs certificateArn: an ACM certificate in the stack's region that covers "
                            + apiDomainName + " (the API's custom domain)");
        }
        for (String o : allowedOrigins) {
            if (!ORIGIN.matcher(o).matches()) {
                throw new IllegalArgumentException(
                        "allowedOrigins entries are origins like https://example.com (no path): " + o);
            }
        }
        if (rawRetentionDays < 1) {
            throw new IllegalArgumentException("rawRetentionDays must be at least 1");
        }
        if (throttleRate < 1 || throttleBurst < 1) {
            throw new IllegalArgumentException("throttleRate and throttleBurst must be at least 1");
        }
        if (budgetEmail != null && !budgetEmail.matches("[^@\\s]+@[^@\\s]+")) {
            throw new IllegalArgumentException("budgetEmail must be an e-mail address, got: " + budgetEmail);
        }
        if (budgetUsd < 1) {
            throw new IllegalArgumentException("budgetUsd must be at least 1 (US dollars a month)");
        }
        if (memoryMb < 128 || memoryMb > 10240) {
            throw new IllegalArgumentException("memoryMb must be between 128 and 10240");
        }
        allowedOrigins = List.copyOf(allowedOrigins);
        callbackUrls = List.copyOf(callbackUrls);
    }

    /** What deleting the stack does to the table and the user pool, which hold the users' data. */
    RemovalPolicy dataRemoval() {
        return retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    }

    /** Reads the context; {@code ctx} returns null for an unset key. Relative paths resolve against {@code baseDir}. */
    public static DeployConfig fromContext(Function<String, Object> ctx, Path baseDir) {
        String stage = str(ctx, "stage", "prod");
        String domain = str(ctx, "domainName", null);
        String apiDomain = domain == null ? null : str(ctx, "apiDomainName", "api." + domain);
        return new DeployConfig(
                stage,
                baseDir.resolve(str(ctx, "functionsDir", "../functions/target")).normalize(),
                baseDir.resolve(str(ctx, "webDist", "../web/dist")).normalize(),
                domain,
                apiDomain,
                str(ctx, "certificateArn", null),
                integer(ctx, "rawRetentionDays", 365),
                list(ctx, "allowedOrigins", true),
                list(ctx, "callbackUrls", false),
                integer(ctx, "logRetentionDays", 30),
                bool(ctx, "selfSignUp", false),
                str(ctx, "alarmEmail", null),
                bool(ctx, "retainData", true),
                integer(ctx, "throttleRate", DEFAULT_THROTTLE_RATE),
                integer(ctx, "throttleBurst", DEFAULT_THROTTLE_BURST),
                integer(ctx, "memoryMb", 1024),
                str(ctx, "authDomainPrefix", null),
                str(ctx, "budgetEmail", null),
                integer(ctx, "budgetUsd", DEFAULT_BUDGET_USD));
    }

    private static String str(Function<String, Object> ctx, String key, String dflt) {
        Object v = ctx.apply(key);
        if (v == null || v.toString().isBlank()) {
            return dflt;
        }
        return v.toString().trim();
    }

    private static int integer(Function<String, Object> ctx, String key, int dflt) {
        Object v = ctx.apply(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got: " + v);
        }
    }

    private static boolean bool(Function<String, Object> ctx, String key, boolean dflt) {
        Object v = ctx.apply(key);
        if (v == null) {
            return dflt;
        }
        String s = v.toString().trim().toLowerCase();
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false, got: " + v);
        }
        return Boolean.parseBoolean(s);
    }

    /** A list from cdk.json (a JSON array) or from the command line (comma-separated). */
    private static List<String> list(Function<String, Object> ctx, String key, boolean origins) {
        Object v = ctx.apply(key);
        List<String> out = new ArrayList<>();
        if (v instanceof Collection<?> c) {
            c.forEach(x -> add(out, x.toString(), origins));
        } else if (v != null) {
            for (String s : v.toString().split(",")) {
                add(out, s, origins);
            }
        }
        return out;
    }

    private static void add(List<String> out, String s, boolean origin) {
        // Browsers send Origin without a trailing slash; callback URLs must match exactly, so keep theirs.
        String t = origin ? s.trim().replaceAll("/+$", "") : s.trim();
        if (!t.isEmpty()) {
            out.add(t);
        }
    }
}
