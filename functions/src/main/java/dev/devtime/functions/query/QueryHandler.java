package dev.devtime.functions.query;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.Wiring;
import dev.devtime.functions.http.HttpHandlers;
import java.time.LocalDate;
import org.crac.Core;
import org.crac.Resource;

/** GET stats, sessions, the status bar and health. */
public final class QueryHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    private final Wiring wiring;
    private final QueryService service;

    public QueryHandler() {
        this(Wiring.fromEnvironment());
        Core.getGlobalContext().register(this);
    }

    public QueryHandler(Wiring wiring) {
        this.wiring = wiring;
        this.service = wiring.query();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpHandlers.guarded(event, service::handle);
    }

    /** SnapStart: the health route, a refused request and one read of a user that does not exist. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        for (int i = 0; i < 50; i++) {
            handleRequest(HttpHandlers.primingEvent("GET", "/api/health", null), null);
            handleRequest(HttpHandlers.primingEvent("GET", "/api/stats", null), null);
        }
        wiring.days.query("priming", LocalDate.of(2020, 1, 1), LocalDate.of(2020, 12, 31));
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
    }
}
