package dev.devtime.functions;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devtime.functions.account.AccountHandler;
import dev.devtime.functions.aggregate.AggregatorHandler;
import dev.devtime.functions.aws.AwsClients;
import dev.devtime.functions.ingest.IngestHandler;
import dev.devtime.functions.query.QueryHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.crac.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SnapStart priming against AWS services that fail (here: nothing listens on their endpoint, as when
 * DynamoDB throttles or the role's policy has not propagated yet): the snapshot must still be taken.
 */
class PrimingTest {

    private static String unreachable;

    @BeforeAll
    static void closedPort() throws Exception {
        // A port that was just free and is closed again: connections are refused at once.
        try (ServerSocket s = new ServerSocket(0)) {
            unreachable = "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    static Stream<Arguments> handlers() {
        List<Arguments> all = new ArrayList<>();
        all.add(Arguments.of("IngestHandler", (Function<Wiring, Resource>) IngestHandler::new));
        all.add(Arguments.of("AggregatorHandler", (Function<Wiring, Resource>) AggregatorHandler::new));
        all.add(Arguments.of("QueryHandler", (Function<Wiring, Resource>) QueryHandler::new));
        all.add(Arguments.of("AccountHandler", (Function<Wiring, Resource>) AccountHandler::new));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("handlers")
    void aFailingPrimingCallIsLoggedAndTheSnapshotProceeds(String name, Function<Wiring, Resource> handler)
            throws Exception {
        Wiring wiring = new Wiring(
                AwsClients.dynamo(unreachable),
                "devtime",
                AwsClients.sqs(unreachable),
                unreachable + "/000000000000/heartbeats",
                null,
                Wiring.Config.defaults(),
                Clock.systemUTC());
        Resource resource = handler.apply(wiring);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertDoesNotThrow(() -> resource.beforeCheckpoint(null));
        } finally {
            System.setOut(stdout);
        }

        ObjectMapper json = new ObjectMapper();
        boolean logged = false;
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode entry = json.readTree(line);
            if (entry.path("message").asText().startsWith("SnapStart priming failed")) {
                logged = entry.path("level").asText().equals("ERROR")
                        && entry.path("function").asText().equals(name)
                        && entry.path("exception").asText().contains("SdkClientException");
            }
        }
        assertTrue(logged, "expected one ERROR line naming " + name + " and the SDK's exception, got:\n" + out);
    }
}
