package dev.devtime.model.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.devtime.model.api.ApiRoutes;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LambdaFunctionTest {

    /** Routes go to HTTP functions, and every HTTP function serves some route: the queue's does not. */
    @Test
    void theRouteTableTargetsExactlyTheHttpFunctions() {
        Set<LambdaFunction> routed = ApiRoutes.all().stream()
                .map(r -> LambdaFunction.of(r.function()))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(LambdaFunction.class)));
        Set<LambdaFunction> http = Arrays.stream(LambdaFunction.values())
                .filter(f -> f.event() == LambdaFunction.Event.HTTP)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(LambdaFunction.class)));
        assertEquals(http, routed);
        for (ApiRoutes.Function f : ApiRoutes.Function.values()) {
            assertEquals(LambdaFunction.Event.HTTP, LambdaFunction.of(f).event(), f.name());
        }
    }

    @Test
    void httpFunctionsFinishInsideApiGatewaysThirtySeconds() {
        for (LambdaFunction f : LambdaFunction.values()) {
            if (f.event() == LambdaFunction.Event.HTTP) {
                assertEquals(true, f.timeoutSeconds() <= 29, f + " " + f.timeoutSeconds() + " s");
            }
        }
    }

    @Test
    void namesDeriveFromTheEntry() {
        assertEquals("ingest", LambdaFunction.INGEST.id());
        assertEquals("Aggregator", LambdaFunction.AGGREGATOR.title());
        assertEquals("devtime-query.jar", LambdaFunction.QUERY.jarName());
        assertEquals("dev.devtime.functions.account.AccountHandler::handleRequest", LambdaFunction.ACCOUNT.handler());
        assertEquals(LambdaFunction.AGGREGATOR, LambdaFunction.byId("aggregator"));
        assertThrows(IllegalArgumentException.class, () -> LambdaFunction.byId("Ingest"));
    }
}
