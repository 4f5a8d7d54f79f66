package dev.devtime.local.measure;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A team's working day as our clients would send it: each developer has an editor reporting through
 * wakatime-cli and Claude Code reporting through DevTime's adapter, each tool one heartbeat a minute for
 * eight hours. wakatime-cli syncs at most once per {@code heartbeat_rate_limit_seconds} (default 120 s,
 * wakatime-cli's USAGE.md), keeping the heartbeats in between in its offline queue, so a request carries the
 * heartbeats of the last {@code perRequest} minutes. Projects, files, branches and languages change through
 * the day as real work does, and the AI tool works on the project the developer has open.
 *
 * <p>Requests come out in simulated-time order, so one developer's requests are as far apart as in real
 * time relative to everybody else's (minutes), never back to back.
 */
final class RealisticTraffic {

    static final String EDITOR_UA =
            "wakatime/v1.131.0 (linux-6.8.0-49-generic-x86_64) go1.24.4 vscode/1.104.0 vscode-wakatime/25.3.0";
    static final String CLAUDE_UA =
            "devtime/0.1.0 (linux-x64) node/20.20.2 claude-code/2.0.14 devtime-claude-code/0.1.0";
    static final int WORK_MINUTES = 8 * 60;
    /** WakaTime's default: a gap longer than this between heartbeats is not counted. */
    static final long TIMEOUT_MS = 15 * 60_000L;

    private static final String[][] PROJECTS = {
        {"devtime", "Java", "java"}, {"dashboard", "TypeScript", "ts"}, {"infra", "Python", "py"},
        {"mobile-app", "Kotlin", "kt"}, {"payments", "Go", "go"}, {"docs-site", "Markdown", "md"}
    };
    private static final String[] DIRS = {"src", "src/api", "src/core", "src/ui", "test", "scripts"};
    private static final String[] MODELS = {"claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"};

    /** One HTTP request a client sends: who, when (simulated), and its JSON array of heartbeats. */
    record Request(long timeMs, int dev, boolean editor, String body, int heartbeats) {}

    /** A developer's whole day: the requests and every heartbeat time, for the expected total. */
    record Day(List<Request> requests, long[][] heartbeatTimes) {}

    private RealisticTraffic() {}

    /** The working day starts at 09:00 UTC (the default time zone) on {@code day}. */
    static Day generate(int devs, LocalDate day, int perRequest, long seed) {
        long dayStart = day.atTime(9, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        List<Request> requests = new ArrayList<>();
        long[][] times = new long[devs][];
        for (int d = 0; d < devs; d++) {
            Random r = new Random(seed * 1_000_003L + d);
            Developer dev = new Developer(d, r);
            // Each tool keeps its own phase within the minute, as independent processes would.
            long editorPhase = r.nextInt(60_000);
            long aiPhase = r.nextInt(60_000);
            List<String> editorBatch = new ArrayList<>();
            List<String> aiBatch = new ArrayList<>();
            long[] t = new long[2 * WORK_MINUTES];
            for (int m = 0; m < WORK_MINUTES; m++) {
                dev.step();
                long te = dayStart + m * 60_000L + editorPhase + r.nextInt(1000);
                long ta = dayStart + m * 60_000L + aiPhase + r.nextInt(1000);
                t[2 * m] = te;
                t[2 * m + 1] = ta;
                editorBatch.add(dev.editorHeartbeat(te));
                aiBatch.add(dev.aiHeartbeat(ta));
                boolean sync = (m + 1) % perRequest == 0 || m == WORK_MINUTES - 1;
                if (sync) {
                    requests.add(
                            new Request(te, d, true, "[" + String.join(",", editorBatch) + "]", editorBatch.size()));
                    requests.add(new Request(ta, d, false, "[" + String.join(",", aiBatch) + "]", aiBatch.size()));
                    editorBatch.clear();
                    aiBatch.clear();
                }
            }
            times[d] = t;
        }
        requests.sort(Comparator.comparingLong(Request::timeMs));
        return new Day(requests, times);
    }

    /**
     * WakaTime's rule for a user's total: one timeline, consecutive heartbeats joined when at most the timeout
     * apart, nothing after the last one.
     */
    static long expectedMillis(long[] heartbeatTimes, long timeoutMs) {
        long[] t = heartbeatTimes.clone();
        java.util.Arrays.sort(t);
        long total = 0;
        for (int i = 1; i < t.length; i++) {
            long gap = t[i] - t[i - 1];
            if (gap <= timeoutMs) {
                total += gap;
            }
        }
        return total;
    }

    /** The state of one developer's work, advanced a minute at a time. */
    private static final class Developer {
        private final int id;
        private final Random r;
        private final int[] projects;
        private int project;
        private String branch = "main";
        private String file;
        private int lines;
        private String category = "coding";
        private String session;
        private String model;
        private int sessionNo;

        Developer(int id, Random r) {
            this.id = id;
            this.r = r;
            // Three projects each, from the pool, as a developer has a few repositories on the go.
            projects = new int[] {r.nextInt(PROJECTS.length), r.nextInt(PROJECTS.length), r.nextInt(PROJECTS.length)};
            project = projects[0];
            newFile();
            newSession();
        }

        void step() {
            if (r.nextInt(90) == 0) {
                project = projects[r.nextInt(projects.length)];
                branch = "main";
                newFile();
            }
            if (r.nextInt(120) == 0) {
                branch = branch.equals("main") ? "feature/DT-" + (100 + r.nextInt(900)) : "main";
            }
            if (r.nextInt(4) == 0) {
                newFile();
            }
            if (r.nextInt(30) == 0) {
                category = switch (r.nextInt(4)) {
                    case 0 -> "debugging";
                    case 1 -> "code reviewing";
                    default -> "coding";
                };
            }
            if (r.nextInt(45) == 0) {
                newSession();
            }
            lines += r.nextInt(5) - 1;
        }

        private void newFile() {
            String[] p = PROJECTS[project];
            file = "/home/dev" + id + "/work/" + p[0] + "/" + DIRS[r.nextInt(DIRS.length)] + "/Module" + r.nextInt(40)
                    + "." + p[2];
            lines = 40 + r.nextInt(800);
        }

        private void newSession() {
            session = "session-" + id + "-" + (sessionNo++) + "-" + Long.toHexString(r.nextLong());
            model = MODELS[r.nextInt(10) < 7 ? 0 : 1 + r.nextInt(2)];
        }

        String editorHeartbeat(long timeMs) {
            String[] p = PROJECTS[project];
            ObjectNode h = JsonNodeFactory.instance.objectNode();
            h.put("entity", file);
            h.put("type", "file");
            h.put("category", category);
            h.put("time", timeMs / 1000.0);
            h.put("project", p[0]);
            h.put("project_root_count", 4);
            h.put("branch", branch);
            h.put("language", p[1]);
            h.put("is_write", r.nextInt(5) == 0);
            h.put("lines", Math.max(1, lines));
            h.put("lineno", 1 + r.nextInt(Math.max(1, lines)));
            h.put("cursorpos", 1 + r.nextInt(80));
            h.put("user_agent", EDITOR_UA);
            if (r.nextInt(3) == 0) {
                h.put("human_line_changes", 1 + r.nextInt(6));
            }
            return h.toString();
        }

        String aiHeartbeat(long timeMs) {
            String[] p = PROJECTS[project];
            ObjectNode h = JsonNodeFactory.instance.objectNode();
            boolean edit = r.nextInt(3) == 0;
            h.put("entity", edit ? file : "Claude Code");
            h.put("type", edit ? "file" : "app");
            h.put("category", "ai coding");
            h.put("time", timeMs / 1000.0);
            h.put("tool", "claude-code");
            h.put("project", p[0]);
            h.put("branch", branch);
            if (edit) {
                h.put("language", p[1]);
                h.put("is_write", true);
                h.put("ai_line_changes", 1 + r.nextInt(40));
            }
            h.put("ai_session", session);
            h.put("ai_model", model);
            h.put("ai_input_tokens", 200 + r.nextInt(6000));
            h.put("ai_output_tokens", 50 + r.nextInt(1500));
            h.put("ai_cache_read_tokens", r.nextInt(40_000));
            if (r.nextInt(4) == 0) {
                h.put("ai_prompts", 1);
                h.put("ai_prompt_length", 20 + r.nextInt(600));
            }
            h.put("user_agent", CLAUDE_UA);
            return h.toString();
        }
    }
}
