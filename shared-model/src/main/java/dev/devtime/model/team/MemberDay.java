package dev.devtime.model.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devtime.model.rollup.AiRow;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.DurationRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a team may ever see of one member's day: seconds by project, language, editor and category (never
 * files, branches, machines or sessions) and AI usage by model. Kept small, because a team view reads one
 * per member and day: in seconds, strings in one table per row, and at most {@link #MAX_COMBOS}
 * combinations and {@link #MAX_MODELS} models (the smallest are summed into {@link #OTHER}).
 */
public record MemberDay(LocalDate date, long seconds, List<Combo> combos, List<ModelUse> models) {

    public static final int MAX_COMBOS = 40;
    public static final int MAX_MODELS = 12;
    /** Longer names are cut: a team view lists them, it does not need 512 characters of a project name. */
    public static final int MAX_NAME = 120;

    public static final String OTHER = "(other)";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Seconds credited to one combination on the day. */
    public record Combo(String project, String language, String editor, String category, long seconds) {}

    /** AI usage of one model on the day. */
    public record ModelUse(
            String model,
            long inputTokens,
            long outputTokens,
            long cacheReadTokens,
            long cacheCreationTokens,
            long prompts) {

        ModelUse plus(ModelUse o) {
            return new ModelUse(
                    model,
                    inputTokens + o.inputTokens,
                    outputTokens + o.outputTokens,
                    cacheReadTokens + o.cacheReadTokens,
                    cacheCreationTokens + o.cacheCreationTokens,
                    prompts + o.prompts);
        }
    }

    public MemberDay {
        combos = List.copyOf(combos);
        models = List.copyOf(models);
    }

    /** The team's share of a member's day rollup. */
    public static MemberDay of(DayRollup day) {
        Map<List<String>, Long> ms = new HashMap<>();
        for (DurationRow r : day.rows()) {
            ms.merge(
                    List.of(cut(r.project()), cut(r.language()), cut(r.editor()), cut(r.category())),
                    r.ms(),
                    Long::sum);
        }
        List<Combo> combos = new ArrayList<>();
        ms.forEach((k, v) -> combos.add(new Combo(k.get(0), k.get(1), k.get(2), k.get(3), Math.round(v / 1000.0))));
        combos.removeIf(c -> c.seconds() == 0);
        combos.sort(Comparator.comparingLong(Combo::seconds)
                .reversed()
                .thenComparing(Combo::project)
                .thenComparing(Combo::language)
                .thenComparing(Combo::editor)
                .thenComparing(Combo::category));
        List<Combo> kept = new ArrayList<>(combos.subList(0, Math.min(MAX_COMBOS - 1, combos.size())));
        if (combos.size() == MAX_COMBOS) {
            kept.add(combos.get(MAX_COMBOS - 1));
        } else if (combos.size() > MAX_COMBOS) {
            long rest = combos.subList(MAX_COMBOS - 1, combos.size()).stream()
                    .mapToLong(Combo::seconds)
                    .sum();
            kept.add(new Combo(OTHER, OTHER, OTHER, OTHER, rest));
        }
        Map<String, ModelUse> byModel = new LinkedHashMap<>();
        for (AiRow a : day.ai()) {
            String model = cut(a.model());
            byModel.merge(
                    model,
                    new ModelUse(
                            model,
                            a.tokensIn(),
                            a.tokensOut(),
                            a.cacheReadTokens(),
                            a.cacheCreationTokens(),
                            a.prompts()),
                    ModelUse::plus);
        }
        List<ModelUse> models = new ArrayList<>(byModel.values());
        models.removeIf(m ->
                m.inputTokens() + m.outputTokens() + m.cacheReadTokens() + m.cacheCreationTokens() + m.prompts() == 0);
        models.sort(Comparator.comparingLong((ModelUse m) ->
                        m.inputTokens() + m.outputTokens() + m.cacheReadTokens() + m.cacheCreationTokens())
                .reversed()
                .thenComparing(ModelUse::model));
        List<ModelUse> keptModels = new ArrayList<>(models.subList(0, Math.min(MAX_MODELS - 1, models.size())));
        if (models.size() == MAX_MODELS) {
            keptModels.add(models.get(MAX_MODELS - 1));
        } else if (models.size() > MAX_MODELS) {
            ModelUse rest = new ModelUse(OTHER, 0, 0, 0, 0, 0);
            for (ModelUse m : models.subList(MAX_MODELS - 1, models.size())) {
                rest = rest.plus(m);
            }
            keptModels.add(rest);
        }
        long total = kept.stream().mapToLong(Combo::seconds).sum();
        return new MemberDay(day.date(), total, kept, keptModels);
    }

    private static String cut(String s) {
        String v = Objects.requireNonNullElse(s, DurationRow.UNKNOWN);
        return v.length() > MAX_NAME ? v.substring(0, MAX_NAME) : v;
    }

    /**
     * Compact JSON: {@code {"t":seconds,"n":[names],"c":[[p,l,e,c,seconds]...],"a":[[m,in,out,cr,cc,prompts]...]}}
     * with names as indexes into {@code n}.
     */
    public String encode() {
        Map<String, Integer> index = new LinkedHashMap<>();
        ObjectNode o = JSON.createObjectNode();
        o.put("t", seconds);
        ArrayNode names = o.putArray("n");
        ArrayNode c = o.putArray("c");
        for (Combo x : combos) {
            c.addArray()
                    .add(idx(index, x.project()))
                    .add(idx(index, x.language()))
                    .add(idx(index, x.editor()))
                    .add(idx(index, x.category()))
                    .add(x.seconds());
        }
        if (!models.isEmpty()) {
            ArrayNode a = o.putArray("a");
            for (ModelUse m : models) {
                a.addArray()
                        .add(idx(index, m.model()))
                        .add(m.inputTokens())
                        .add(m.outputTokens())
                        .add(m.cacheReadTokens())
                        .add(m.cacheCreationTokens())
                        .add(m.prompts());
            }
        }
        index.keySet().forEach(names::add);
        return o.toString();
    }

    private static int idx(Map<String, Integer> index, String s) {
        return index.computeIfAbsent(s, k -> index.size());
    }

    public static MemberDay decode(LocalDate date, String encoded) {
        JsonNode o;
        try {
            o = JSON.readTree(encoded);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> n = new ArrayList<>();
        o.path("n").forEach(x -> n.add(x.asText()));
        List<Combo> combos = new ArrayList<>();
        for (JsonNode c : o.path("c")) {
            combos.add(new Combo(
                    n.get(c.get(0).asInt()),
                    n.get(c.get(1).asInt()),
                    n.get(c.get(2).asInt()),
                    n.get(c.get(3).asInt()),
                    c.get(4).asLong()));
        }
        List<ModelUse> models = new ArrayList<>();
        for (JsonNode a : o.path("a")) {
            models.add(new ModelUse(
                    n.get(a.get(0).asInt()),
                    a.get(1).asLong(),
                    a.get(2).asLong(),
                    a.get(3).asLong(),
                    a.get(4).asLong(),
                    a.get(5).asLong()));
        }
        return new MemberDay(date, o.path("t").asLong(), combos, models);
    }
}
