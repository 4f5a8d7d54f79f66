package dev.devtime.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One JSON object per line on stdout, which Lambda's JSON log format and CloudWatch Logs Insights read
 * as fields. Never pass API keys, file paths, prompts or tokens: log counts, ids and outcomes.
 */
public final class Log {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile boolean quiet = Boolean.getBoolean("devtime.log.quiet");
    private static volatile boolean verbose = Boolean.getBoolean("devtime.log.verbose")
            || "DEBUG".equalsIgnoreCase(System.getenv("AWS_LAMBDA_LOG_LEVEL"));

    private Log() {}

    /** The benchmark silences per-request logs; errors are always written. */
    public static void setQuiet(boolean q) {
        quiet = q;
    }

    /** Per-batch detail (one line for each aggregated batch): off unless asked for. */
    public static void setVerbose(boolean v) {
        verbose = v;
    }

    public static void debug(String message, Object... keyValues) {
        if (verbose && !quiet) {
            write("DEBUG", message, null, keyValues);
        }
    }

    public static void info(String message, Object... keyValues) {
        if (!quiet) {
            write("INFO", message, null, keyValues);
        }
    }

    /** Something a client or the operator should know about (a refused request): written even when quiet. */
    public static void warn(String message, Object... keyValues) {
        write("WARN", message, null, keyValues);
    }

    public static void error(String message, Throwable t, Object... keyValues) {
        write("ERROR", message, t, keyValues);
    }

    private static void write(String level, String message, Throwable t, Object... kv) {
        ObjectNode o = JSON.createObjectNode();
        o.put("timestamp", Instant.now().toString());
        o.put("level", level);
        o.put("message", message);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            o.putPOJO(String.valueOf(kv[i]), kv[i + 1]);
        }
        if (t != null) {
            o.put("exception", t.getClass().getName() + ": " + t.getMessage());
        }
        System.out.println(o);
    }
}
