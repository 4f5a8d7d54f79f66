package dev.devtime.model.time;

import dev.devtime.model.Heartbeat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A user's heartbeats in time order, each identity once: the input every computation starts from. */
public final class Timeline {

    /** Time first; identity breaks ties so that arrival order never changes a result. */
    public static final Comparator<Heartbeat> ORDER =
            Comparator.comparingLong(Heartbeat::timeMs).thenComparing(Heartbeat::identity);

    private Timeline() {
    }

    /** Sorted and deduplicated; of two heartbeats with one identity the first seen is kept. */
    public static List<Heartbeat> of(Collection<Heartbeat> heartbeats) {
        Map<String, Heartbeat> unique = new LinkedHashMap<>();
        for (Heartbeat h : heartbeats) {
            unique.putIfAbsent(h.identity(), h);
        }
        List<Heartbeat> sorted = new ArrayList<>(unique.values());
        sorted.sort(ORDER);
        return sorted;
    }
}
