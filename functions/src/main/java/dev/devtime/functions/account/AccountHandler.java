package dev.devtime.functions.account;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.http.HttpHandlers;
import org.crac.Core;
import org.crac.Resource;

/** The dashboard's account routes, behind the gateway's JWT authorizer. */
public final class AccountHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    private final Wiring wiring;
    private final AccountService service;

    public AccountHandler() {
        this(Wiring.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    public AccountHandler(Wiring wiring) {
        this.wiring = wiring;
        this.service = wiring.account();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpHandlers.guarded(event, service::handle);
    }

    /** SnapStart: a refused request (no claims) and one read; writes nothing. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        for (int i = 0; i < 50; i++) {
            handleRequest(HttpHandlers.primingEvent("GET", "/api/settings", null), null);
        }
        wiring.settings.get("priming");
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
    }
}
