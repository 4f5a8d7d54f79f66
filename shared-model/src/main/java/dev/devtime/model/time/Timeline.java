package dev.devtime.model.time;

import dev.devtime.model.Heartbeat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** A user's heartbeats in time order, each identity once: the input every computation starts from. */
public final class Timeline {

    /** Time first; identity breaks ties so that arrival order never changes a result. */
    public static final Comparator<Heartbeat> ORDER =
            Comparator.comparingLong(Heartbeat::timeMs).thenComparing(Heartbeat::identity);

    private Timeline() {}

    /**
     * Sorted and deduplicated; of two heartbeats with one identity the first seen is kept. Heartbeats with one
     * identity have one time, so after a stable sort by {@link #ORDER} they sit side by side in arrival order:
     * dropping each one equal to its kept neighbour keeps the first seen, and identities are built only for
     * heartbeats that share a millisecond (building and hashing one per heartbeat would be half of a day's rollup).
     */
    public static List<Heartbeat> of(Collection<Heartbeat> heartbeats) {
        List<Heartbeat> sorted = new ArrayList<>(heartbeats);
        sorted.sort(ORDER);
        List<Heartbeat> out = new ArrayList<>(sorted.size());
        Heartbeat kept = null;
        String keptIdentity = null;
        for (Heartbeat h : sorted) {
            if (kept != null && kept.timeMs() == h.timeMs()) {
                if (keptIdentity == null) {
                    keptIdentity = kept.identity();
                }
                String identity = h.identity();
                if (identity.equals(keptIdentity)) {
                    continue;
                }
                keptIdentity = identity;
            } else {
                keptIdentity = null;
            }
            kept = h;
            out.add(h);
        }
        return out;
    }
}
