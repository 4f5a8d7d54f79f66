package dev.devtime.cdk;

import static dev.devtime.cdk.DevTimeStackTest.getAtt;
import static dev.devtime.cdk.DevTimeStackTest.getAttTarget;
import static dev.devtime.cdk.DevTimeStackTest.json;
import static dev.devtime.cdk.DevTimeStackTest.list;
import static dev.devtime.cdk.DevTimeStackTest.map;
import static dev.devtime.cdk.DevTimeStackTest.props;
import static dev.devtime.cdk.DevTimeStackTest.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * Each function's role in the synthesized template against the AWS calls the function made across local's
 * whole test suite (local's {@code AwsCallRecorder} writes them to {@code local/target/aws-calls/<function>.json}).
 * DynamoDB Local and ElasticMQ enforce no IAM: without this, a call the role lacks only fails once deployed.
 *
 * <p>The recordings must exist: the reactor builds {@code local} (and runs its tests) before {@code cdk-app}.
 * Run alone, this fails and says so, unless {@code -Ddevtime.awsCalls.skip=true} is given.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleGrantsTest {

    static final String DIR_PROPERTY = "devtime.awsCalls.dir";
    static final String SKIP_PROPERTY = "devtime.awsCalls.skip";

    /**
     * Granted actions no local test can record, and why each is there: the only list of grants nobody is
     * seen calling. An entry whose grant is gone fails too, so this list cannot go stale.
     */
    static final List<Unrecorded> UNRECORDED = List.of(
            new Unrecorded(null, "logs:CreateLogStream", "Lambda's runtime writes the function's log to its own group"),
            new Unrecorded(null, "logs:PutLogEvents", "Lambda's runtime writes the function's log to its own group"),
            new Unrecorded(
                    "ingest",
                    "sqs:GetQueueAttributes",
                    "SnapStart priming reads the queue's attributes to load the SQS client (IngestHandler.prime); "
                            + "it runs only when AWS takes the snapshot"),
            new Unrecorded(
                    "aggregator",
                    "sqs:GetQueueAttributes",
                    "granted by CDK's SqsEventSource; Lambda reads the queue's attributes when it creates the mapping"),
            new Unrecorded("aggregator", "sqs:GetQueueUrl", "granted by CDK's SqsEventSource with the consume actions"),
            new Unrecorded(
                    "aggregator",
                    "sqs:ChangeMessageVisibility",
                    "granted by CDK's SqsEventSource; Lambda's poller may use it, local's event source does not"));

    /** @param function a function's jar name, or null for every function */
    record Unrecorded(String function, String action, String reason) {

        boolean appliesTo(String fn) {
            return function == null || function.equals(fn);
        }
    }

    Template template;
    Map<String, Object> resources;
    Path recordings;

    @BeforeAll
    void synth() throws Exception {
        String dir = System.getProperty(DIR_PROPERTY);
        recordings = Path.of(dir == null ? "../local/target/aws-calls" : dir)
                .toAbsolutePath()
                .normalize();
        if (Boolean.getBoolean(SKIP_PROPERTY)) {
            Assumptions.abort("-D" + SKIP_PROPERTY + "=true: the grants are not checked against recorded calls");
        }
        if (!Files.isDirectory(recordings)) {
            fail("No recordings of the functions' AWS calls in " + recordings + ". They are written by local's "
                    + "tests: run the reactor (mvn -B test, or mvn -B -pl local,cdk-app -am test), or pass -D"
                    + SKIP_PROPERTY + "=true to skip this check.");
        }
        DevTimeStackTest.createStandIns();
        App app = DevTimeStackTest.app("grants", Map.of());
        template = Template.fromStack(DevTimeApp.create(app, Path.of("").toAbsolutePath()));
        resources = map(template.toJSON().get("Resources"));
    }

    @Test
    void everyRoleGrantsWhatItsFunctionCallsAndNothingElse() throws Exception {
        List<String> problems = new ArrayList<>();
        for (DevTimeStack.FunctionCode f : DevTimeStack.FUNCTIONS) {
            problems.addAll(problems(f, recorded(f.jar()), granted(f)));
        }
        assertTrue(
                problems.isEmpty(),
                String.join("\n", problems) + "\n(recordings: " + recordings
                        + "; they are the union of every local test run since mvn clean)");
    }

    /** Whatever grant a role loses, the check above fails: no grant is there without a reason. */
    @Test
    void removingAnyOneGrantFailsTheCheck() throws Exception {
        for (DevTimeStack.FunctionCode f : DevTimeStack.FUNCTIONS) {
            SortedSet<String> called = recorded(f.jar());
            SortedSet<String> granted = granted(f);
            for (String action : granted) {
                SortedSet<String> fewer = new TreeSet<>(granted);
                fewer.remove(action);
                assertFalse(problems(f, called, fewer).isEmpty(), f.jar() + " without " + action + " passes");
            }
        }
    }

    static List<String> problems(DevTimeStack.FunctionCode f, SortedSet<String> called, SortedSet<String> granted) {
        List<String> problems = new ArrayList<>();
        for (String action : called) {
            if (!granted.contains(action)) {
                problems.add(f.jar() + " calls " + action + ", which its role does not grant: add it to "
                        + "DevTimeStack." + f.jar().toUpperCase() + "'s actions");
            }
        }
        for (String action : granted) {
            if (!called.contains(action)
                    && UNRECORDED.stream()
                            .noneMatch(u -> u.appliesTo(f.jar()) && u.action().equals(action))) {
                problems.add(f.jar() + "'s role grants " + action + ", which no local test saw it call: remove "
                        + "the grant, cover the call in a local test, or give the reason in RoleGrantsTest.UNRECORDED");
            }
        }
        for (Unrecorded u : UNRECORDED) {
            if (u.appliesTo(f.jar()) && !granted.contains(u.action())) {
                problems.add(f.jar() + ": UNRECORDED gives a reason for " + u.action() + ", which is not granted");
            }
        }
        return problems;
    }

    /** The reasons name only functions the stack deploys. */
    @Test
    void reasonsNameDeployedFunctions() {
        for (Unrecorded u : UNRECORDED) {
            assertTrue(
                    u.function() == null
                            || DevTimeStack.FUNCTIONS.stream()
                                    .anyMatch(f -> f.jar().equals(u.function())),
                    u.toString());
            assertFalse(u.reason().isBlank(), u.toString());
        }
    }

    private SortedSet<String> recorded(String function) throws Exception {
        Path file = recordings.resolve(function + ".json");
        if (!Files.isRegularFile(file)) {
            fail("No recording for " + function + " in " + recordings + ": no local test invoked it");
        }
        SortedSet<String> out = new TreeSet<>();
        new ObjectMapper().readTree(file.toFile()).path("actions").forEach(a -> out.add(a.asText()));
        return out;
    }

    /**
     * Every action granted to the function's role, with each statement's resource checked: table actions on
     * the table only, queue actions on the heartbeat queue only, log actions on a log group.
     */
    private SortedSet<String> granted(DevTimeStack.FunctionCode f) {
        String function = resources.keySet().stream()
                .filter(k -> k.startsWith(f.name() + "Function")
                        && "AWS::Lambda::Function".equals(map(resources.get(k)).get("Type")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no function " + f.name()));
        String role = getAttTarget(props(resources.get(function)).get("Role"));
        assertFalse(
                props(resources.get(role)).containsKey("ManagedPolicyArns"),
                f.name() + " role must not use managed policies");
        assertFalse(props(resources.get(role)).containsKey("Policies"), f.name() + " role has inline policies");
        String table = only("AWS::DynamoDB::GlobalTable");
        String queue = new TreeMap<>(template.findResources("AWS::SQS::Queue"))
                .entrySet().stream()
                        .filter(e -> props(e.getValue()).containsKey("RedrivePolicy"))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElseThrow();
        SortedSet<String> out = new TreeSet<>();
        template.findResources("AWS::IAM::Policy").values().forEach(p -> {
            if (!list(props(p).getOrDefault("Roles", List.of())).contains(Map.of("Ref", role))) {
                return;
            }
            list(map(props(p).get("PolicyDocument")).get("Statement")).forEach(s -> {
                Map<String, Object> st = map(s);
                assertEquals("Allow", st.get("Effect"), json(st));
                List<String> actions = strings(st.get("Action"));
                for (String a : actions) {
                    String resource = json(st.get("Resource"));
                    if (a.startsWith("dynamodb:")) {
                        assertEquals(json(getAtt(table, "Arn")), resource, f.name() + ": " + a + " on the table only");
                    } else if (a.startsWith("sqs:")) {
                        assertEquals(
                                json(getAtt(queue, "Arn")),
                                resource,
                                f.name() + ": " + a + " on the heartbeat queue only");
                    } else if (a.startsWith("logs:")) {
                        assertEquals(
                                "AWS::Logs::LogGroup",
                                map(resources.get(getAttTarget(st.get("Resource"))))
                                        .get("Type"));
                    }
                }
                out.addAll(actions);
            });
        });
        return out;
    }

    private String only(String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        assertEquals(1, found.size(), type);
        return found.keySet().iterator().next();
    }
}
