package dev.devtime.model.rollup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time credited to one entity (a file, URL or app) of one project on one day, by the same rule as the
 * day's rows, so a project's entities sum to its time. With "hide file names" the entity is stored
 * hashed and stays so.
 */
public record EntityRow(String project, String entity, long ms) {

    /** Entities kept per project and day: the ones with most time. */
    public static final int MAX_PER_PROJECT = 25;
    /** Entity names kept per day, in UTF-8 bytes, so that a day item stays far under DynamoDB's 400 KB. */
    public static final int MAX_BYTES_PER_DAY = 64 * 1024;

    private static final Comparator<EntityRow> MOST_TIME_FIRST = Comparator.comparingLong(EntityRow::ms)
            .reversed()
            .thenComparing(EntityRow::project)
            .thenComparing(EntityRow::entity);

    /** The time of one project's entities, largest first (ties by name). */
    public static Map<String, Long> ofProject(List<EntityRow> rows, String project) {
        Map<String, Long> out = new LinkedHashMap<>();
        rows.stream()
                .filter(r -> r.project().equals(project))
                .sorted(MOST_TIME_FIRST)
                .forEach(r -> out.merge(r.entity(), r.ms(), Long::sum));
        return out;
    }

    /**
     * The rows a day keeps: per project the {@link #MAX_PER_PROJECT} with most time, then, across
     * projects and most time first, as many as fit {@link #MAX_BYTES_PER_DAY}. Largest first.
     */
    public static List<EntityRow> bounded(List<EntityRow> rows) {
        List<EntityRow> sorted = new ArrayList<>(rows);
        sorted.sort(MOST_TIME_FIRST);
        Map<String, Integer> perProject = new HashMap<>();
        List<EntityRow> out = new ArrayList<>();
        long bytes = 0;
        for (EntityRow r : sorted) {
            if (r.ms() <= 0 || perProject.merge(r.project(), 1, Integer::sum) > MAX_PER_PROJECT) {
                continue;
            }
            int size = r.entity().getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_BYTES_PER_DAY) {
                continue;
            }
            bytes += size;
            out.add(r);
        }
        return List.copyOf(out);
    }
}
