package dev.devtime.functions.account;

import dev.devtime.functions.Wiring;
import dev.devtime.functions.http.HttpFunction;
import dev.devtime.functions.http.HttpHandlers;

/** The dashboard's account routes, behind the gateway's JWT authorizer. */
public final class AccountHandler extends HttpFunction {

    private final Wiring wiring;

    public AccountHandler() {
        this(Wiring.fromEnvironment());
        registerForSnapStart();
    }

    public AccountHandler(Wiring wiring) {
        super(wiring.accountRoutes());
        this.wiring = wiring;
    }

    /** A refused request (no claims) and one read. */
    @Override
    protected void prime() {
        for (int i = 0; i < 50; i++) {
            handleRequest(HttpHandlers.primingEvent("GET", "/api/settings", null), null);
        }
        wiring.settings.get("priming");
    }
}
