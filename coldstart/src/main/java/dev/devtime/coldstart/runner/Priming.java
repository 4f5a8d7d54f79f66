package dev.devtime.coldstart.runner;

import org.crac.Resource;

/** Runs a handler's SnapStart priming as Lambda does before it takes the snapshot (kept apart: only handlers have CRaC). */
final class Priming {

    private Priming() {}

    static void beforeCheckpoint(Object handler) throws Exception {
        if (!(handler instanceof Resource r)) {
            throw new IllegalArgumentException(handler.getClass().getName() + " registers no SnapStart priming");
        }
        // DevTime's handlers do not read the context; Lambda passes its global one.
        r.beforeCheckpoint(null);
    }
}
