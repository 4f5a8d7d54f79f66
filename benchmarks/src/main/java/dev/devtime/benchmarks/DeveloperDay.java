package dev.devtime.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.Timing;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * One developer's working day as the HTTP request bodies that reach {@code heartbeats.bulk}: VS Code through
 * wakatime-cli (its item shape and user agent, 25 items a request), and Claude Code and Codex through
 * DevTime's own clients (the WakaTime shape plus {@code tool} and the AI fields, as extensions/core and the
 * adapters build them, at most 25 a request). Deterministic: the same seed gives the same bytes.
 */
public final class DeveloperDay {

    /** Heartbeats of the editor (wakatime-cli). */
    public static final int EDITOR_HEARTBEATS = 800;
    /** Heartbeats of the AI tools: Claude Code and Codex prompts, tool uses and token usage. */
    public static final int AI_HEARTBEATS = 200;
    /** Every heartbeat of the day; JMH's operations per invocation, so its figures are heartbeats/s. */
    public static final int HEARTBEATS = EDITOR_HEARTBEATS + AI_HEARTBEATS;
    /** wakatime-cli's and DevTime's bulk limit. */
    public static final int BATCH = 25;

    public static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    public static final LocalDate DATE = LocalDate.of(2026, 11, 16);
    /** The user's settings: local midnight in Berlin, WakaTime's default 15-minute timeout. */
    public static final Timing SETTINGS = new Timing(ZONE, Timing.DEFAULT_TIMEOUT_MINUTES, 0);
    /** The server's clock when the requests arrive: the evening of the day. */
    public static final long NOW_MS =
            DATE.atTime(23, 0).atZone(ZONE).toInstant().toEpochMilli();

    public static final String WAKATIME_UA =
            "wakatime/v1.102.1 (linux-6.8.0-48-generic-x86_64) go1.23.2 vscode/1.95.3 vscode-wakatime/24.6.2";
    public static final String CLAUDE_UA =
            "devtime/0.1.0 (linux-x64) node/20.20.2 claude-code/2.0.14 devtime-claude-code/0.1.0";
    public static final String CODEX_UA = "devtime/0.1.0 (linux-x64) node/20.20.2 codex/0.46.0 devtime-codex/0.1.0";
    public static final String MACHINE = "dev-laptop";

    /** One POST: its body and the headers the parser reads. */
    public record Request(byte[] body, String userAgent, String machine, int items) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Project(String name, String root, String branch, String[] files) {}

    private static final Project WEB =
            new Project("shop-web", "/home/ana/src/shop-web", "feature/checkout-v2", new String[] {
                "src/checkout/CartSummary.tsx",
                "src/checkout/PaymentForm.tsx",
                "src/checkout/useCart.ts",
                "src/api/client.ts",
                "src/api/orders.ts",
                "src/components/Button.tsx",
                "src/App.tsx",
                "src/checkout/CartSummary.test.tsx",
                "package.json",
                "src/styles/checkout.css",
                "README.md",
                "vite.config.ts"
            });
    private static final Project API = new Project("shop-api", "/home/ana/src/shop-api", "main", new String[] {
        "src/main/java/shop/orders/OrderService.java",
        "src/main/java/shop/orders/OrderController.java",
        "src/main/java/shop/payments/StripeGateway.java",
        "src/test/java/shop/orders/OrderServiceTest.java",
        "pom.xml",
        "src/main/resources/application.yml",
        "src/main/java/shop/orders/Order.java",
        "src/main/java/shop/db/Migrations.java"
    });

    private final List<Request> requests;

    private DeveloperDay(List<Request> requests) {
        this.requests = requests;
    }

    /** Editor batches first, then Claude Code's, then Codex's. */
    public List<Request> requests() {
        return requests;
    }

    /** The same requests in the order they are sent: by the time of their first heartbeat. */
    public List<Request> inTimeOrder() {
        List<Request> sorted = new ArrayList<>(requests);
        sorted.sort(java.util.Comparator.comparingLong(DeveloperDay::firstTimeMs));
        return sorted;
    }

    private static long firstTimeMs(Request r) {
        try {
            return JSON.readTree(r.body())
                    .get(0)
                    .get("time")
                    .decimalValue()
                    .movePointRight(3)
                    .longValue();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static DeveloperDay generate(long seed) {
        Random r = new Random(seed);
        List<ObjectNode> editor = editorHeartbeats(r);
        List<ObjectNode> claude = new ArrayList<>();
        List<ObjectNode> codex = new ArrayList<>();
        aiHeartbeats(r, claude, codex);
        List<Request> out = new ArrayList<>();
        batch(editor, WAKATIME_UA, out);
        batch(claude, CLAUDE_UA, out);
        batch(codex, CODEX_UA, out);
        return new DeveloperDay(List.copyOf(out));
    }

    /**
     * VS Code from 09:00 with a lunch break and a meeting (gaps over the timeout): a heartbeat on a file
     * switch, on a save, or every 2 minutes of typing in one file, as vscode-wakatime throttles them.
     */
    private static List<ObjectNode> editorHeartbeats(Random r) {
        List<ObjectNode> out = new ArrayList<>(EDITOR_HEARTBEATS);
        long t = at(9, 2) * 1000 + r.nextInt(1_000_000);
        Project p = WEB;
        String file = p.files[0];
        for (int i = 0; i < EDITOR_HEARTBEATS; i++) {
            if (i == 330) {
                t += 50 * 60_000_000L; // lunch
            } else if (i == 610) {
                t += 40 * 60_000_000L; // meeting
            } else {
                t += 5_000_000L + r.nextInt(50_000_000); // 5 to 55 s, in microseconds
            }
            if (r.nextInt(100) < 8) {
                p = p == WEB ? API : WEB;
            }
            if (r.nextInt(100) < 30 || !List.of(p.files).contains(file)) {
                file = p.files[r.nextInt(p.files.length)];
            }
            boolean write = r.nextInt(100) < 18;
            String category = r.nextInt(100) < 6 ? "debugging" : r.nextInt(100) < 3 ? "building" : "coding";
            ObjectNode h = JSON.createObjectNode();
            // wakatime-cli's field order and shape (Go's encoding/json of its Heartbeat struct).
            h.put("branch", p.branch);
            h.put("category", category);
            h.put("cursorpos", 1 + r.nextInt(80));
            if (file.endsWith(".java") || file.endsWith(".tsx") || file.endsWith(".ts")) {
                ArrayNode deps = h.putArray("dependencies");
                for (String d : file.endsWith(".java")
                        ? new String[] {"org.springframework", "jakarta.persistence"}
                        : new String[] {"react", "zod", "@tanstack/react-query"}) {
                    deps.add(d);
                }
            }
            h.put("entity", p.root + "/" + file);
            h.put("type", "file");
            h.put("is_write", write);
            h.put("language", language(file));
            h.put("line_additions", write ? r.nextInt(12) : 0);
            h.put("line_deletions", write ? r.nextInt(6) : 0);
            h.put("lineno", 1 + r.nextInt(400));
            h.put("lines", 40 + r.nextInt(600));
            h.put("project", p.name);
            h.put("project_root_count", p.root.split("/").length - 1);
            // float64 epoch seconds with the microseconds of Go's time.Now().
            h.put("time", BigDecimal.valueOf(t, 6));
            h.put("user_agent", WAKATIME_UA);
            out.add(h);
        }
        return out;
    }

    /**
     * Claude Code in the afternoon and Codex at the end of the day, through DevTime's adapters: a prompt
     * heartbeat (UserPromptSubmit), file heartbeats from Edit/Write tool uses (PreToolUse, PostToolUse with
     * AI line changes) and one usage heartbeat per model response with its token deltas.
     */
    private static void aiHeartbeats(Random r, List<ObjectNode> claude, List<ObjectNode> codex) {
        String claudeSession = new UUID(r.nextLong(), r.nextLong()).toString();
        String codexSession = new UUID(r.nextLong(), r.nextLong()).toString();
        long t = at(14, 10) + r.nextInt(1000);
        int n = 0;
        while (n < AI_HEARTBEATS) {
            boolean isCodex = n >= 150;
            List<ObjectNode> into = isCodex ? codex : claude;
            Project p = isCodex ? API : WEB;
            String session = isCodex ? codexSession : claudeSession;
            String tool = isCodex ? "codex" : "claude-code";
            String app = isCodex ? "Codex" : "Claude Code";
            String ua = isCodex ? CODEX_UA : CLAUDE_UA;
            String model = isCodex ? "gpt-5-codex" : "claude-sonnet-4-5-20250929";
            t += 5_000 + r.nextInt(40_000);
            ObjectNode h;
            switch (n % 4) {
                case 0 -> {
                    h = aiBase(app, "app", t, tool, ua, p, session);
                    h.put("ai_prompts", 1);
                    h.put("ai_prompt_length", 40 + r.nextInt(600));
                }
                case 1, 2 -> {
                    String file = p.files[r.nextInt(p.files.length)];
                    boolean write = n % 4 == 2;
                    h = aiBase(p.root + "/" + file, "file", t, tool, ua, p, session);
                    h.put("language", language(file));
                    h.put("ai_session", session);
                    h.put("is_write", write);
                    if (write) {
                        h.put("ai_line_changes", 1 + r.nextInt(60));
                    }
                }
                default -> {
                    h = aiBase(app, "app", t, tool, ua, p, session);
                    h.put("ai_model", model);
                    h.put("ai_input_tokens", 3 + r.nextInt(2_000));
                    h.put("ai_output_tokens", 20 + r.nextInt(3_000));
                    h.put("ai_cache_creation_tokens", r.nextInt(8_000));
                    h.put("ai_cache_read_tokens", 10_000 + r.nextInt(90_000));
                }
            }
            into.add(h);
            n++;
        }
    }

    /** extensions/core's DevTimeClient.prepare: these keys first, in this order, then the optional ones. */
    private static ObjectNode aiBase(
            String entity, String type, long timeMs, String tool, String ua, Project p, String session) {
        ObjectNode h = JSON.createObjectNode();
        h.put("entity", entity);
        h.put("type", type);
        h.put("category", "ai coding");
        h.put("time", BigDecimal.valueOf(timeMs, 3));
        h.put("tool", tool);
        h.put("user_agent", ua);
        h.put("project", p.name);
        h.put("branch", p.branch);
        h.put("ai_session", session);
        return h;
    }

    private static void batch(List<ObjectNode> items, String ua, List<Request> out) {
        for (int from = 0; from < items.size(); from += BATCH) {
            ArrayNode a = JSON.createArrayNode();
            List<ObjectNode> part = items.subList(from, Math.min(items.size(), from + BATCH));
            part.forEach(a::add);
            try {
                out.add(new Request(
                        JSON.writeValueAsString(a).getBytes(StandardCharsets.UTF_8), ua, MACHINE, part.size()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String language(String file) {
        if (file.endsWith(".tsx")) {
            return "TSX";
        }
        if (file.endsWith(".ts")) {
            return "TypeScript";
        }
        if (file.endsWith(".java")) {
            return "Java";
        }
        if (file.endsWith(".json")) {
            return "JSON";
        }
        if (file.endsWith(".css")) {
            return "CSS";
        }
        if (file.endsWith(".md")) {
            return "Markdown";
        }
        if (file.endsWith(".yml")) {
            return "YAML";
        }
        return "XML";
    }

    /** Epoch ms of a local time on {@link #DATE}. */
    private static long at(int hour, int minute) {
        return DATE.atTime(LocalTime.of(hour, minute)).atZone(ZONE).toInstant().toEpochMilli();
    }
}
