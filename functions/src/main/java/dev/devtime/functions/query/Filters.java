package dev.devtime.functions.query;

import dev.devtime.functions.http.HttpRequest;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.rollup.Dimension;
import dev.devtime.model.rollup.DurationRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The filters a read takes from its query: by dimension ({@code project=...}) and by branch. */
public final class Filters {

    private Filters() {}

    /** {@code project}, the one filter WakaTime's reads take: empty when absent or empty. */
    public static Map<Dimension, String> project(HttpRequest request) {
        return of(request, List.of(Dimension.PROJECT));
    }

    /** A filter for every dimension the query names (DevTime's own reads). */
    public static Map<Dimension, String> dimensions(HttpRequest request) {
        return of(request, List.of(Dimension.values()));
    }

    private static Map<Dimension, String> of(HttpRequest request, List<Dimension> dimensions) {
        Map<Dimension, String> f = new EnumMap<>(Dimension.class);
        for (Dimension d : dimensions) {
            String v = request.query(d.key());
            if (v != null && !v.isEmpty()) {
                f.put(d, v);
            }
        }
        return f;
    }

    /** WakaTime's {@code branches}: a comma-separated list; empty when absent. */
    public static Set<String> branches(HttpRequest request) {
        Set<String> out = new HashSet<>();
        String csv = request.query("branches");
        if (csv != null) {
            for (String x : csv.split(",")) {
                if (!x.isBlank()) {
                    out.add(x.trim());
                }
            }
        }
        return out;
    }

    /** Rollups keeping only rows of the given branches. */
    public static List<DayRollup> onlyBranches(Collection<DayRollup> rollups, Set<String> branches) {
        List<DayRollup> out = new ArrayList<>();
        for (DayRollup d : rollups) {
            List<DurationRow> rows =
                    d.rows().stream().filter(r -> branches.contains(r.branch())).toList();
            out.add(new DayRollup(d.date(), rows, d.ai(), d.sessions(), d.heartbeats()));
        }
        return out;
    }
}
