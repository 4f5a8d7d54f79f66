package dev.devtime.local;

import dev.devtime.functions.Log;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.local.measure.Benchmark;
import dev.devtime.local.oidc.LocalIssuer;
import dev.devtime.local.startup.DataDirectory;
import dev.devtime.local.startup.StartupChecks;
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

    /** Referenced for as long as the process runs: a collected channel would release the lock. */
    private static java.nio.channels.FileLock dataDirLock;

    private DevTimeLocal() {}

    public static void main(String[] args) throws Exception {
        // ElasticMQ's jar brings a logback.xml of its own; name ours so logback does not pick between them.
        System.setProperty("logback.configurationFile", "devtime-logback.xml");
        if (args.length > 0 && args[0].equals("bench")) {
            Benchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("dlq")) {
            System.exit(dev.devtime.local.ops.DlqCommand.run(
                    Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("smoke")) {
            System.exit(dev.devtime.local.ops.SmokeCommand.run(
                    Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        int port = 8080;
        Integer oidcPort = null;
        Integer batchSize = null;
        Integer batchWindowMs = null;
        DataDirectory defaultDir = DataDirectory.resolve();
        Path dataDir = null;
        String apiKey = null;
        List<String[]> users = new ArrayList<>();
        List<String> corsOrigins = new ArrayList<>();
        List<String> allowedHosts = new ArrayList<>();
        String host = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = value(args, ++i, "--host");
                case "--allowed-host" -> allowedHosts.add(value(args, ++i, "--allowed-host"));
                case "--port" -> port = number(args, ++i, "--port");
                case "--oidc-port" -> oidcPort = number(args, ++i, "--oidc-port");
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                case "--api-key" -> apiKey = value(args, ++i, "--api-key");
                case "--api-key-file" ->
                    apiKey = file(value(args, ++i, "--api-key-file"), "--api-key-file")
                            .trim();
                case "--user" -> users.addAll(users(value(args, ++i, "--user")));
                case "--users-file" -> users.addAll(users(file(value(args, ++i, "--users-file"), "--users-file")));
                case "--batch-size" -> batchSize = number(args, ++i, "--batch-size");
                case "--batch-window-ms" -> batchWindowMs = number(args, ++i, "--batch-window-ms");
                case "--cors-origin" -> {
                    String origin = value(args, ++i, "--cors-origin");
                    if (!LocalIssuer.isOrigin(origin)) {
                        usage("--cors-origin takes an origin, scheme://host[:port] without a path: " + origin);
                    }
                    corsOrigins.add(origin);
                }
                case "--quiet" -> Log.setQuiet(true);
                case "--verbose" -> Log.setVerbose(true);
                case "-h", "--help" -> {
                    usage(null);
                    return;
                }
                default -> usage("unknown option " + args[i]);
            }
        }
        // Keys from the environment or files stay out of /proc/PID/cmdline, which every local user can read.
        if (apiKey == null
                && System.getenv("DEVTIME_API_KEY") != null
                && !System.getenv("DEVTIME_API_KEY").isBlank()) {
            apiKey = System.getenv("DEVTIME_API_KEY").trim();
        }
        if (System.getenv("DEVTIME_USERS") != null) {
            users.addAll(users(System.getenv("DEVTIME_USERS")));
        }
        if (apiKey != null && !ApiKeys.isValid(apiKey)) {
            usage("--api-key must look like waka_<lowercase uuid4> (wakatime-cli refuses other keys)");
        }
        if ((batchSize != null && (batchSize < 1 || batchSize > 10_000))
                || (batchWindowMs != null && (batchWindowMs < 0 || batchWindowMs > 300_000))) {
            usage("--batch-size takes 1 to 10000, --batch-window-ms 0 to 300000 (Lambda's limits)");
        }
        boolean legacyDir = dataDir == null && defaultDir.legacy();
        if (dataDir == null) {
            dataDir = defaultDir.path();
        }
        int gatewayPort = port;
        int issuerPort = oidcPort != null ? oidcPort : port == 0 ? 0 : port + 1;
        // Every check before anything is written: a mistake leaves the disk as it was.
        for (String problem : new String[] {
            StartupChecks.port(host, gatewayPort, "--port"),
            StartupChecks.port(
                    "127.0.0.1",
                    issuerPort,
                    oidcPort != null ? "--oidc-port" : "--port (sign-in uses the next port) or --oidc-port"),
            StartupChecks.dataDir(dataDir),
            Files.isDirectory(dataDir) ? StartupChecks.notInUse(dataDir) : null
        }) {
            if (problem != null) {
                fail(problem);
            }
        }
        DataDir.restrict(dataDir);
        // Held until the process ends: a second DevTime on this folder would corrupt neither store, but its
        // emulators fail half-way (H2 refuses the locked queue file) after it has started others.
        dataDirLock = StartupChecks.lock(dataDir);
        if (dataDirLock == null) {
            fail(StartupChecks.inUse(dataDir));
        }
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
        LocalDeployment.Options options =
                LocalDeployment.Options.defaults(dataDir).withHost(host).withPorts(gatewayPort, issuerPort);
        if (batchSize != null || batchWindowMs != null) {
            options = options.withBatching(
                    batchSize != null ? batchSize : options.batchSize(),
                    batchWindowMs != null ? java.time.Duration.ofMillis(batchWindowMs) : options.batchWindow(),
                    options.concurrency());
        }
        LocalDeployment stack;
        try {
            stack = LocalDeployment.start(options, s -> {
                s.seedKey(DEFAULT_USER, defaultKey, "local default");
                for (String[] nk : users) {
                    s.seedKey(nk[0], nk[1], "seeded by --user");
                }
            });
        } catch (Exception e) {
            // Checked above, so only what nobody foresaw: one line, and an exit that stops the threads already started.
            fail("DevTime could not start: " + e);
            return;
        }
        for (String origin : corsOrigins) {
            // A dashboard served from there (Vite's dev server, say) also signs in and out there.
            stack.issuer.registerDashboard(origin);
            stack.gateway.allowOrigin(origin);
        }
        for (String allowed : allowedHosts) {
            stack.gateway.allowHost(allowed);
            stack.issuer.allowHost(allowed);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Path dir = dataDir;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                stack.close();
                                DataDir.restrict(dir);
                                System.out.println("DevTime stopped.");
                            } catch (Exception e) {
                                System.err.println("shutdown: " + e);
                            }
                            stopped.countDown();
                        },
                        "devtime-shutdown"));

        String base = stack.baseUrl();
        System.out.println();
        System.out.println("DevTime is running at " + base);
        System.out.println("Data: " + dataDir.toAbsolutePath()
                + (legacyDir
                        ? "  (the folder earlier versions used, kept as it is; to follow the platform's convention, stop DevTime"
                                + " and move it to " + DataDirectory.platformDefault() + ")"
                        : ""));
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
        System.out.println("  any other user name signs in as that user; sign-in runs at " + stack.issuer.domain()
                + ")   Stop with Ctrl-C.");
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

    private static int number(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            usage(option + " takes a whole number, not " + v);
            return 0;
        }
    }

    /** A mistake at start-up: one line saying what is wrong and what to do, and exit 1. */
    private static void fail(String problem) {
        System.err.println("error: " + problem);
        System.exit(1);
    }

    private static void usage(String error) {
        if (error != null) {
            System.err.println("error: " + error);
            System.err.println("Run java -jar devtime-local.jar --help for every option.");
            System.exit(2);
        }
        System.out.print(
                HELP.replace("DATA_DIR", DataDirectory.platformDefault().toString()));
    }

    static final String HELP = """
            DevTime on one machine: the API, the pipeline, its database and the dashboard in one process.

            usage: java -jar devtime-local.jar [options]
              --port N               the API and dashboard's port (default 8080)
              --oidc-port N          the sign-in page's port (default: the next port)
              --host ADDRESS         the address the API listens on (default 127.0.0.1, this machine only)
              --allowed-host NAME    one more Host name to answer besides this machine's (repeatable)
              --data-dir DIR         where the database, queue and key are kept (default DATA_DIR)
              --api-key-file FILE    the default user's API key, read from FILE
              --api-key KEY          the same, on the command line (default: DEVTIME_API_KEY, or generated once and
                                     kept in the data directory)
              --users-file FILE      more users, NAME:KEY pairs separated by spaces, commas or lines
              --user NAME:KEY        one more user with their API key (repeatable; DEVTIME_USERS adds more)
              --cors-origin ORIGIN   a web origin allowed to call the API, e.g. http://localhost:5173 (repeatable)
              --batch-size N         the most heartbeat messages the aggregator takes at once, 1 to 10000 (default 100)
              --batch-window-ms N    how long it waits to fill a batch, 0 to 300000 (default 500)
              --quiet                only errors and warnings in the log
              --verbose              also a log line per aggregated batch
              -h, --help             this text
            Keys given as --api-key or --user can be read by every local user in the process list; prefer a file or
            the environment.

            other commands:
              java -jar devtime-local.jar smoke --url API_URL --key KEY [--timeout 60]
                  checks a deployed DevTime end to end: two heartbeats in, stats and summaries out
              java -jar devtime-local.jar dlq list|redrive [--data-dir DIR]
                  shows, or sends back to the aggregator, the messages it gave up on
              java -jar devtime-local.jar bench [--json FILE] [--quick] [--only year|sustained] [--devs 40]
                  the pipeline benchmark, on fresh stacks of its own
            """;
}
