package dev.devtime.model.wire;

import dev.devtime.model.Heartbeat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * WakaTime's {@code <<LAST_PROJECT>>}, {@code <<LAST_LANGUAGE>>} and {@code <<LAST_BRANCH>>}: a plugin that
 * cannot tell (a browser extension, a terminal) asks the server to reuse the user's latest value. Each
 * is resolved on its own, from the latest heartbeat at or before this one that has a real value: the
 * request's own heartbeats first (they are the freshest), then the stored ones given. None found: unset.
 */
public final class Placeholders {

    public static final String LAST_PROJECT = "<<LAST_PROJECT>>";
    public static final String LAST_LANGUAGE = "<<LAST_LANGUAGE>>";
    public static final String LAST_BRANCH = "<<LAST_BRANCH>>";

    private Placeholders() {}

    public static boolean has(Heartbeat h) {
        return LAST_PROJECT.equals(h.project()) || LAST_LANGUAGE.equals(h.language()) || LAST_BRANCH.equals(h.branch());
    }

    /** The earliest time of a heartbeat with a placeholder, or -1 when there is none. */
    public static long earliest(List<ParseResult> results) {
        long t = -1;
        for (ParseResult r : results) {
            if (r.isOk() && has(r.heartbeat()) && (t < 0 || r.heartbeat().timeMs() < t)) {
                t = r.heartbeat().timeMs();
            }
        }
        return t;
    }

    /** The results with every placeholder replaced; {@code stored} are the user's recent stored heartbeats. */
    public static List<ParseResult> resolve(List<ParseResult> results, Collection<Heartbeat> stored) {
        List<Heartbeat> known = new ArrayList<>(stored);
        for (ParseResult r : results) {
            if (r.isOk()) {
                known.add(r.heartbeat());
            }
        }
        List<ParseResult> out = new ArrayList<>(results.size());
        for (ParseResult r : results) {
            if (!r.isOk() || !has(r.heartbeat())) {
                out.add(r);
                continue;
            }
            Heartbeat h = r.heartbeat();
            String project = LAST_PROJECT.equals(h.project())
                    ? last(known, h.timeMs(), Heartbeat::project, LAST_PROJECT)
                    : h.project();
            String language = LAST_LANGUAGE.equals(h.language())
                    ? last(known, h.timeMs(), Heartbeat::language, LAST_LANGUAGE)
                    : h.language();
            String branch = LAST_BRANCH.equals(h.branch())
                    ? last(known, h.timeMs(), Heartbeat::branch, LAST_BRANCH)
                    : h.branch();
            out.add(ParseResult.ok(h.toBuilder()
                    .project(project)
                    .branch(branch)
                    .language(language)
                    .build()));
        }
        return out;
    }

    private static String last(
            List<Heartbeat> known, long atMs, Function<Heartbeat, String> field, String placeholder) {
        Heartbeat best = null;
        for (Heartbeat k : known) {
            String v = field.apply(k);
            if (v != null
                    && !v.equals(placeholder)
                    && k.timeMs() <= atMs
                    && (best == null || k.timeMs() > best.timeMs())) {
                best = k;
            }
        }
        return best == null ? null : field.apply(best);
    }
}
