package dev.devtime.functions.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.devtime.functions.Priming;
import org.crac.Core;
import org.crac.Resource;

/**
 * An API Gateway HTTP function: every request goes to the endpoint of its route through {@link HttpHandlers#guarded}, and
 * SnapStart runs its {@link #prime} before the snapshot. A subclass keeps the public no-arg constructor Lambda
 * instantiates by class name.
 */
public abstract class HttpFunction
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    private final Routes routes;

    protected HttpFunction(Routes routes) {
        this.routes = routes;
    }

    /** For the no-arg constructor only: handlers built around a test's or the local stack's wiring never checkpoint. */
    protected final void registerForSnapStart() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpHandlers.guarded(event, routes);
    }

    /** Loads and compiles the request path before the snapshot; reads only, writes nothing. */
    protected abstract void prime();

    @Override
    public final void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.bestEffort(getClass().getSimpleName(), this::prime);
    }

    @Override
    public final void afterRestore(org.crac.Context<? extends Resource> context) {}
}
