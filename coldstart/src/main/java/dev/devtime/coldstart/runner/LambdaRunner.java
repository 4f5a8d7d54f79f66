package dev.devtime.coldstart.runner;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.util.Properties;

/**
 * Plays the Lambda runtime for one cold start, in a fresh JVM whose class path is one function's
 * deployment jar plus this runner: loads the handler class by name, constructs it (Lambda's init
 * phase), then invokes {@code handleRequest} once with the event described in a properties file.
 *
 * <p>It prints one line, {@code COLDSTART main=<ns> constructed=<ns> invoked=<ns> cpu=<ns> result=<text>}, with
 * {@link System#nanoTime()} readings: on Linux HotSpot that is CLOCK_MONOTONIC, shared by every process
 * on the machine, so the harness can subtract the instant it started this JVM. {@code cpu} is the CPU
 * time the whole JVM used by then: on a busy machine it moves far less than wall time, and on Lambda,
 * where 1024 MB buys about 0.6 of a vCPU, a cold start is mostly CPU-bound. Only JDK classes and the
 * event classes in the function's own jar are used, so the runner adds next to nothing to what is timed.
 *
 * <p>With {@code prime}, the handler's SnapStart priming ({@code beforeCheckpoint}) runs after construction
 * and the line gets {@code primed=<ns>}: the first call then shows what priming leaves for after a restore.
 *
 * <p>Usage: {@code LambdaRunner <handler class> <http|sqs> <event.properties> [prime]}
 */
public final class LambdaRunner {

    private LambdaRunner() {}

    public static void main(String[] args) throws Exception {
        long main = System.nanoTime();
        String handlerClass = args[0];
        String kind = args[1];
        Properties event = load(args[2]);

        Constructor<?> ctor = Class.forName(handlerClass).getDeclaredConstructor();
        Object handler = ctor.newInstance();
        long constructed = System.nanoTime();
        long primed = constructed;
        if (args.length > 3 && args[3].equals("prime")) {
            Priming.beforeCheckpoint(handler);
            primed = System.nanoTime();
        }

        // The event is built after the clock reading: in Lambda it arrives already decoded by the runtime.
        String result = switch (kind) {
            case "http" -> HttpInvoker.invoke(handler, event);
            case "sqs" -> SqsInvoker.invoke(handler, event);
            default -> throw new IllegalArgumentException("event kind http or sqs, not " + kind);
        };
        long invoked = System.nanoTime();
        System.out.println("COLDSTART main=" + main + " constructed=" + constructed + " primed=" + primed
                + " invoked=" + invoked
                + " cpu=" + cpuNanos()
                + " result=" + result.replace('\n', ' '));
        System.out.flush();
        // Lambda freezes the process here; the harness needs it gone. halt skips shutdown hooks (none matter).
        Runtime.getRuntime().halt(0);
    }

    /** CPU time of every thread of this JVM so far (the kernel's, at its tick resolution); -1 if unknown. */
    static long cpuNanos() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(java.time.Duration::toNanos)
                .orElse(-1L);
    }

    private static Properties load(String file) throws IOException {
        Properties p = new Properties();
        try (FileInputStream in = new FileInputStream(file)) {
            p.load(in);
        }
        return p;
    }
}
