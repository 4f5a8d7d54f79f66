package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.functions.auth.ApiKeys;
import dev.devtime.functions.http.HttpResponses;
import dev.devtime.functions.store.BucketStore;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.api.ApiRoutes;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A heavy day (40,000 heartbeats, a new file every heartbeat) stored straight into the buckets: every read
 * answers within Lambda's 6 MB response limit, and the paged lists give every item exactly once.
 */
class ResponseSizeTest {

    static final int HEARTBEATS = 40_000;
    static final String V1 = "/api/v1/users/current";

    @RegisterExtension
    static final DeploymentExtension STACK =
            new DeploymentExtension(o -> o.withBatching(50, Duration.ofMillis(100), 2));

    static String user;
    static String auth;
    static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(3);

    @BeforeAll
    static void start() throws Exception {
        user = "heavy-" + UUID.randomUUID();
        String key = ApiKeys.generate();
        STACK.deployment().seedKey(user, key, "heavy");
        auth = ApiClient.basic(key);
        Timing utc = new Timing(ZoneOffset.UTC, 15, 1);
        SettingsStore.Settings settings = new SettingsStore.Settings(utc, false, List.of(), 0);
        STACK.deployment().wiring.settings.put(user, settings);
        long dayStart = DAY.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long step = 86_400_000L / HEARTBEATS;
        List<Heartbeat> bucket = new ArrayList<>();
        long bucketStart = dayStart;
        for (int i = 0; i < HEARTBEATS; i++) {
            long t = dayStart + i * step;
            if (BucketStore.bucketStart(t) != bucketStart) {
                assertTrue(STACK.deployment()
                        .wiring
                        .buckets
                        .put(user, STACK.deployment().wiring.buckets.get(user, bucketStart), bucket, null));
                bucket = new ArrayList<>();
                bucketStart = BucketStore.bucketStart(t);
            }
            bucket.add(Heartbeat.builder(t)
                    .tool("vscode")
                    .editor("vscode")
                    .plugin("vscode-wakatime/24.6.2")
                    .os("linux")
                    .machine("workstation")
                    .type("file")
                    .category("coding")
                    .project("project-" + (i / 5000))
                    .branch("feature/long-branch-name-" + (i / 2000))
                    .language("Java")
                    .entity("/home/developer/src/monorepo/services/billing/src/main/java/com/example/billing/internal/"
                            + "Generated" + (i % 997) + "Handler.java")
                    .isWrite(i % 7 == 0)
                    .lines(1200 + i % 300)
                    .lineno(i % 1200)
                    .cursorpos(i % 80)
                    .build());
        }
        assertTrue(STACK.deployment()
                .wiring
                .buckets
                .put(user, STACK.deployment().wiring.buckets.get(user, bucketStart), bucket, null));
        STACK.deployment().wiring.aggregator().recompute(user, DAY, settings);
    }

    static void assertFitsLambda(ApiClient.Response r, String what) {
        long bytes = HttpResponses.lambdaBytes(r.body());
        assertTrue(bytes < HttpResponses.LAMBDA_RESPONSE_BYTES - 64 * 1024, what + " answered " + bytes + " bytes");
    }

    @Test
    void heartbeatsOfAHeavyDayComeInPagesUnderLambdasLimitEachExactlyOnce() {
        List<String> ids = new ArrayList<>();
        double lastTime = 0;
        int pages = 0;
        String cursor = null;
        List<Long> sizes = new ArrayList<>();
        do {
            ApiClient.Response r =
                    STACK.api().get(V1 + "/heartbeats?date=" + DAY + (cursor == null ? "" : "&cursor=" + cursor), auth);
            assertEquals(200, r.status(), r.body().length() > 300 ? r.body().substring(0, 300) : r.body());
            assertFitsLambda(r, "heartbeats page " + pages);
            sizes.add(HttpResponses.lambdaBytes(r.body()));
            assertEquals(DAY + "T00:00:00Z", r.json().get("start").asText());
            for (JsonNode h : r.json().get("data")) {
                ids.add(h.get("id").asText());
                assertTrue(h.get("time").asDouble() >= lastTime, "in time order");
                lastTime = h.get("time").asDouble();
            }
            cursor = r.json().get("next_cursor").isNull()
                    ? null
                    : r.json().get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 50);
        System.out.println(
                "heartbeats?date= of " + HEARTBEATS + " heartbeats: pages of " + sizes + " bytes in Lambda's response");
        assertTrue(pages >= 3, "a 40,000-heartbeat day takes several pages, took " + pages);
        assertEquals(HEARTBEATS, ids.size());
        assertEquals(HEARTBEATS, new HashSet<>(ids).size(), "no heartbeat is answered twice");
    }

    @Test
    void durationsByEntityComeInPagesThatAddUpToTheDay() {
        double total = STACK.api()
                .get("/api/stats?start=" + DAY + "&end=" + DAY, auth)
                .json()
                .get("total_seconds")
                .asDouble();
        assertTrue(total > 80_000, "the seeded day is nearly 24 h: " + total);
        double sum = 0;
        int spans = 0;
        int pages = 0;
        String cursor = null;
        Set<String> starts = new HashSet<>();
        do {
            ApiClient.Response r = STACK.api()
                    .get(
                            V1 + "/durations?slice_by=entity&date=" + DAY + (cursor == null ? "" : "&cursor=" + cursor),
                            auth);
            assertEquals(200, r.status());
            assertFitsLambda(r, "durations page " + pages);
            for (JsonNode d : r.json().get("data")) {
                sum += d.get("duration").asDouble();
                spans++;
                assertTrue(starts.add(d.get("time").asText() + d.get("entity").asText()), "no stretch twice");
            }
            cursor = r.json().get("next_cursor").isNull()
                    ? null
                    : r.json().get("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 50);
        assertTrue(pages >= 2, "took " + pages + " pages for " + spans + " stretches");
        assertEquals(total, sum, 0.5);
    }

    @Test
    void everyReadOfTheHeavyUserFitsLambdasLimit() {
        int checked = 0;
        for (ApiRoutes.Route route : ApiRoutes.all()) {
            if (!route.method().equals("GET") || route.auth() != ApiRoutes.Auth.HANDLER) {
                continue;
            }
            String path = route.path().replace("{range}", "last_7_days").replaceAll("\\{[^}]+}", "current");
            for (String query : List.of(
                    "?range=all&date=" + DAY + "&slice_by=entity",
                    "?start=" + DAY.minusDays(3650) + "&end=" + DAY + "&date=" + DAY)) {
                ApiClient.Response r = STACK.api().get(path + query, auth);
                assertNotEquals(502, r.status(), route.routeKey());
                assertTrue(r.status() < 500, route.routeKey() + " answered " + r.status());
                assertFitsLambda(r, route.routeKey() + query);
                checked++;
            }
        }
        assertTrue(checked > 20, "checked " + checked);
    }

    @Test
    void aCursorThisServerDidNotGiveIsA400() {
        ApiClient.Response r = STACK.api().get(V1 + "/heartbeats?date=" + DAY + "&cursor=not-a-cursor", auth);
        assertEquals(400, r.status());
        assertTrue(r.json().get("error").asText().contains("cursor"), r.body());
    }
}
