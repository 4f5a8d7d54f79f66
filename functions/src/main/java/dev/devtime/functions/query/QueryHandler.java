package dev.devtime.functions.query;

import dev.devtime.functions.Wiring;
import dev.devtime.functions.http.HttpFunction;
import dev.devtime.functions.http.HttpHandlers;
import java.time.LocalDate;

/** GET stats, sessions, the status bar and health. */
public final class QueryHandler extends HttpFunction {

    private final Wiring wiring;

    public QueryHandler() {
        this(Wiring.fromEnvironment());
        registerForSnapStart();
    }

    public QueryHandler(Wiring wiring) {
        super(wiring.queryRoutes());
        this.wiring = wiring;
    }

    /** The health route, a refused request and one read of a user that does not exist. */
    @Override
    protected void prime() {
        for (int i = 0; i < 50; i++) {
            handleRequest(HttpHandlers.primingEvent("GET", "/api/health", null), null);
            handleRequest(HttpHandlers.primingEvent("GET", "/api/stats", null), null);
        }
        wiring.days.query("priming", LocalDate.of(2020, 1, 1), LocalDate.of(2020, 12, 31));
    }
}
