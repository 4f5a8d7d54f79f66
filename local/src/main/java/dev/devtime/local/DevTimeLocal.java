package dev.devtime.local;

import dev.devtime.functions.Log;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.local.bench.Benchmark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar devtime-local.jar [options]}: DevTime on one machine. {@code bench} runs the benchmark
 * instead (see {@link Benchmark}), {@code dlq} and {@code smoke} the operator's commands in {@code ops}.
 */
public final class DevTimeLocal {

    static final String DEFAULT_USER = "local";

    private DevTimeLocal() {
    }

    public static void main(String[] args) throws Exception {
        // ElasticMQ's jar brings a logback.xml of its own; name ours so logback does not pick between them.
        System.setProperty("logback.configurationFile", "devtime-logback.xml");
        if (args.length > 0 && args[0].equals("bench")) {
            Benchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("dlq")) {
            System.exit(dev.devtime.local.ops.DlqCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("smoke")) {
            System.exit(dev.devtime.local.ops.SmokeCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        int port = 8080;
        Integer oidcPort = null;
        Integer batchSize = null;
        Integer batchWindowMs = null;
        Path dataDir = Path.of(System.getProperty("user.home"), ".devtime", "data");
        String apiKey = null;
        List<String[]> users = new ArrayList<>();
        List<String> corsOrigins = new ArrayList<>();
        List<String> allowedHosts = new ArrayList<>();
        String host = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = value(args, ++i, "--host");
                case "--allowed-host" -> allowedHosts.add(value(args, ++i, "--allowed-host"));
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--oidc-port" -> oidcPort = Integer.parseInt(value(args, ++i, "--oidc-port"));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                case "--api-key" -> apiKey = value(args, ++i, "--api-key");
                case "--api-key-file" -> apiKey = file(value(args, ++i, "--api-key-file"), "--api-key-file").trim();
                case "--user" -> users.addAll(users(value(args, ++i, "--user")));
                case "--users-file" -> users.addAll(users(file(value(args, ++i, "--users-file"), "--users-file")));
                case "--batch-size" -> batchSize = Integer.parseInt(value(args, ++i, "--batch-size"));
                case "--batch-window-ms" -> batchWindowMs = Integer.parseInt(value(args, ++i, "--batch-window-ms"));
                case "--cors-origin" -> corsOrigins.add(value(args, ++i, "--cors-origin"));
                case "--quiet" -> Log.setQuiet(true);
                case "-h", "--help" -> {
                    usage(null);
                    return;
                }
                default -> usage("unknown option " + args[i]);
            }
        }
        // Keys from the environment or files stay out of /proc/PID/cmdline, which every local user can read.
        if (apiKey == null && System.getenv("DEVTIME_API_KEY") != null && !System.getenv("DEVTIME_API_KEY").isBlank()) {
            apiKey = System.getenv("DEVTIME_API_KEY").trim();
        }
        if (System.getenv("DEVTIME_USERS") != null) {
            users.addAll(users(System.getenv("DEVTIME_USERS")));
        }
        if (apiKey != null && !ApiKeys.isValid(apiKey)) {
            usage("--api-key must look like waka_<lowercase uuid4> (wakatime-cli refuses other keys)");
        }
        DataDir.restrict(dataDir);
        Path keyFile = dataDir.resolve("api-key");
        boolean generated = false;
        if (apiKey == null) {
            if (Files.exists(keyFile)) {
                apiKey = Files.readString(keyFile, StandardCharsets.UTF_8).trim();
            } else {
                apiKey = ApiKeys.generate();
                Files.writeString(keyFile, apiKey + "\n", StandardCharsets.UTF_8);
                keyFile.toFile().setReadable(false, false);
                keyFile.toFile().setReadable(true, true);
                generated = true;
            }
        }

        String defaultKey = apiKey;
        DevTimeStack.Options options = DevTimeStack.Options.defaults(dataDir).withHost(host).withPorts(port, oidcPort != null ? oidcPort : port + 1);
        if (batchSize != null || batchWindowMs != null) {
            if ((batchSize != null && (batchSize < 1 || batchSize > 10_000)) || (batchWindowMs != null && (batchWindowMs < 0 || batchWindowMs > 300_000))) {
                usage("--batch-size takes 1 to 10000, --batch-window-ms 0 to 300000 (Lambda's limits)");
            }
            options = options.withBatching(batchSize != null ? batchSize : options.batchSize(),
                    batchWindowMs != null ? java.time.Duration.ofMillis(batchWindowMs) : options.batchWindow(), options.concurrency());
        }
        DevTimeStack stack = DevTimeStack.start(options, s -> {
            s.seedKey(DEFAULT_USER, defaultKey, "local default");
            for (String[] nk : users) {
                s.seedKey(nk[0], nk[1], "seeded by --user");
            }
        });
        for (String origin : corsOrigins) {
            // A dashboard served from there (Vite's dev server, say) also signs in and out there.
            try {
                stack.issuer.registerDashboard(origin);
            } catch (IllegalArgumentException e) {
                stack.close();
                usage("--cors-origin takes an origin, scheme://host[:port] without a path: " + origin);
            }
            stack.gateway.allowOrigin(origin);
        }
        for (String allowed : allowedHosts) {
            stack.gateway.allowHost(allowed);
            stack.issuer.allowHost(allowed);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Path dir = dataDir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.close();
                DataDir.restrict(dir);
            } catch (Exception e) {
                System.err.println("shutdown: " + e);
            }
            stopped.countDown();
        }, "devtime-shutdown"));

        String base = stack.baseUrl();
        System.out.println();
        System.out.println("DevTime is running at " + base + "  (data: " + dataDir + ")");
        System.out.println(generated ? "A new API key was generated for you:" : "Your API key:");
        System.out.println("  " + apiKey);
        System.out.println();
        System.out.println("WakaTime plugins, ~/.wakatime.cfg:");
        System.out.println("  [settings]");
        System.out.println("  api_url = " + base + "/api/v1");
        System.out.println("  api_key = " + apiKey);
        System.out.println();
        System.out.println("DevTime clients, ~/.devtime/config.toml:");
        System.out.println("  [api]");
        System.out.println("  endpoint = \"" + base + "\"");
        System.out.println("  key = \"" + apiKey + "\"");
        System.out.println();
        System.out.println("Dashboard: " + base + "/  (sign in as \"" + DEFAULT_USER + "\" to see this key's data;");
        System.out.println("  any other user name signs in as that user; sign-in runs at " + stack.issuer.domain() + ")   Stop with Ctrl-C.");
        stopped.await();
    }

    /** NAME:KEY pairs, separated by white space, commas or lines. */
    static List<String[]> users(String text) {
        List<String[]> out = new ArrayList<>();
        for (String pair : text.trim().split("[\\s,]+")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] nk = pair.split(":", 2);
            if (nk.length != 2 || nk[0].isEmpty() || !ApiKeys.isValid(nk[1])) {
                usage("users are given as NAME:KEY with KEY like waka_<uuid4>");
            }
            out.add(nk);
        }
        return out;
    }

    private static String file(String path, String option) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            usage(option + " cannot read " + path + ": " + e);
            return "";
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(String error) {
        if (error != null) {
            System.err.println("error: " + error);
        }
        System.err.println("""
                usage: java -jar devtime-local.jar [--port 8080] [--oidc-port PORT+1] [--data-dir ~/.devtime/data]
                                                   [--api-key-file FILE | --api-key KEY] [--users-file FILE | --user NAME:KEY]...
                                                   [--batch-size 100] [--batch-window-ms 500] [--quiet]
                                                   [--cors-origin http://localhost:5173]...
                                                   [--host 127.0.0.1] [--allowed-host NAME]...
                         The default user's key also comes from DEVTIME_API_KEY, more users (NAME:KEY, separated by
                         spaces, commas or lines) from DEVTIME_USERS or a --users-file. Keys given as --api-key or --user
                         can be read by every local user in the process list; prefer a file or the environment.
                       java -jar devtime-local.jar bench [--json FILE] [--quick]
                       java -jar devtime-local.jar dlq list|redrive [--data-dir ~/.devtime/data]
                       java -jar devtime-local.jar smoke --url API_URL --key KEY [--timeout 60]
                """);
        if (error != null) {
            System.exit(2);
        }
    }
}
