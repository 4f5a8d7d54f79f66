package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.devtime.local.oidc.LocalIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Values that could wrap or slip through, through the real gateway: settings out of range, a token without a
 * subject, bytes after a JSON body, the key limit under parallel requests, spreadsheet formulas in a CSV export.
 */
class StrictValuesTest {

    @RegisterExtension
    static final DeploymentExtension STACK = new DeploymentExtension(o -> o.withBatching(50, Duration.ofMillis(50), 2));

    static String bearer(String user) {
        return "Bearer " + STACK.deployment().issuer.tokenFor(user);
    }

    @Test
    void settingsOutOfRangeAreRefusedNamingTheField() {
        String auth = bearer("settings-" + UUID.randomUUID());
        for (String[] c : new String[][] {
            {"retention_days", "4294967297"}, {"retention_days", "-1"}, {"retention_days", "3651"},
            {"retention_days", "9223372036854775808"}, {"retention_days", "1.5"}, {"retention_days", "\"30\""},
            {"timeout_minutes", "4294967311"}, {"timeout_minutes", "0"}, {"timeout_minutes", "121"},
            {"hide_file_names", "1"}, {"public", "\"yes\""}, {"timezone", "5"}
        }) {
            ApiClient.Response r = STACK.api().request("PUT", "/api/settings", auth, "{\"" + c[0] + "\":" + c[1] + "}");
            assertEquals(400, r.status(), c[0] + "=" + c[1] + " -> " + r.body());
            assertTrue(r.json().get("error").asText().startsWith(c[0] + " "), r.body());
        }
        ApiClient.Response kept = STACK.api().get("/api/settings", auth);
        assertEquals(0, kept.json().get("retention_days").asInt(), kept.body());
        assertEquals(15, kept.json().get("timeout_minutes").asInt(), kept.body());
        ApiClient.Response ok =
                STACK.api().request("PUT", "/api/settings", auth, "{\"retention_days\":3650,\"timeout_minutes\":120}");
        assertEquals(200, ok.status(), ok.body());
        assertEquals(3650, ok.json().get("retention_days").asInt());
    }

    @Test
    void aTokenWithAnEmptySubjectIsRefused() {
        Instant now = Instant.now();
        for (String sub : new String[] {"", " "}) {
            String token = STACK.deployment()
                    .issuer
                    .sign(new JWTClaimsSet.Builder()
                            .issuer(STACK.deployment().issuer.issuer())
                            .subject(sub)
                            .audience(LocalIssuer.CLIENT_ID)
                            .claim("client_id", LocalIssuer.CLIENT_ID)
                            .claim("scope", LocalIssuer.SCOPES)
                            .issueTime(Date.from(now))
                            .expirationTime(Date.from(now.plusSeconds(600)))
                            .build());
            // At the gateway's authorizer (account routes) and in the handler (routes that take a key or a token).
            assertEquals(
                    401,
                    STACK.api()
                            .request("GET", "/api/me", "Bearer " + token, null)
                            .status(),
                    "sub '" + sub + "'");
            assertEquals(401, STACK.api().get("/api/stats", "Bearer " + token).status(), "sub '" + sub + "'");
        }
    }

    @Test
    void bytesAfterAJsonBodyAreRefused() {
        String auth = bearer("trailing-" + UUID.randomUUID());
        ApiClient.Response settings =
                STACK.api().request("PUT", "/api/settings", auth, "{\"timeout_minutes\":20} {\"timeout_minutes\":30}");
        assertEquals(400, settings.status(), settings.body());
        assertEquals(
                15,
                STACK.api()
                        .get("/api/settings", auth)
                        .json()
                        .get("timeout_minutes")
                        .asInt());
        ApiClient.Response key = STACK.api().request("POST", "/api/auth/token", auth, "{\"label\":\"a\"}x");
        assertEquals(400, key.status(), key.body());
        ApiClient.Response created = STACK.api().request("POST", "/api/auth/token", auth, "{\"label\":\"a\"}  \n");
        assertEquals(201, created.status(), created.body());
        String keyAuth = ApiClient.basic(created.json().get("key").asText());
        long t = System.currentTimeMillis() - 60_000;
        String hb = ApiClient.waka(t, "p", "Go", "/a.go");
        ApiClient.Response ingest = STACK.api().post("/api/v1/users/current/heartbeats.bulk", keyAuth, "[" + hb + "]]");
        assertEquals(400, ingest.status(), ingest.body());
        ApiClient.Response imported =
                STACK.api().request("POST", "/api/import", auth, "{\"heartbeats\":[" + hb + "]} [" + hb + "]");
        assertEquals(400, imported.status(), imported.body());
        assertTrue(imported.json().get("error").asText().contains("trailing"), imported.body());
        ApiClient.Response importedArray = STACK.api().request("POST", "/api/import", auth, "[" + hb + "] 1");
        assertEquals(400, importedArray.status(), importedArray.body());
    }

    @Test
    void parallelKeyCreationStopsAtTheLimit() throws Exception {
        String auth = bearer("keys-" + UUID.randomUUID());
        int parallel = 30;
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < parallel; i++) {
                int n = i;
                Callable<Integer> create = () -> {
                    go.await();
                    return STACK.api()
                            .request("POST", "/api/auth/token", auth, "{\"label\":\"k" + n + "\"}")
                            .status();
                };
                answers.add(pool.submit(create));
            }
            go.countDown();
            int created = 0;
            for (Future<Integer> f : answers) {
                int status = f.get();
                assertTrue(status == 201 || status == 409, "status " + status);
                created += status == 201 ? 1 : 0;
            }
            assertEquals(20, created);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(20, STACK.api().get("/api/keys", auth).json().get("keys").size());
        // Revoking one frees one place, and only one.
        String id = STACK.api()
                .get("/api/keys", auth)
                .json()
                .get("keys")
                .get(0)
                .get("id")
                .asText();
        assertEquals(
                204,
                STACK.api().request("DELETE", "/api/keys/" + id, auth, null).status());
        assertEquals(
                404,
                STACK.api().request("DELETE", "/api/keys/" + id, auth, null).status());
        assertEquals(
                201, STACK.api().request("POST", "/api/auth/token", auth, "{}").status());
        assertEquals(
                409, STACK.api().request("POST", "/api/auth/token", auth, "{}").status());
    }

    @Test
    void csvCellsThatASpreadsheetWouldRunAreNeutralised() {
        String user = "csv-" + UUID.randomUUID();
        String auth = bearer(user);
        String keyAuth = ApiClient.basic(STACK.api()
                .request("POST", "/api/auth/token", auth, "{}")
                .json()
                .get("key")
                .asText());
        long t = System.currentTimeMillis() - 120_000;
        String[] projects = {"=HYPERLINK(\\\"http://x\\\")", "+1+1", "-2+3", "@SUM(A1)", "plain"};
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < projects.length; i++) {
            batch.append(i == 0 ? "" : ",").append(ApiClient.waka(t + i * 1000L, projects[i], "Go", "/a.go"));
        }
        ApiClient.Response sent = STACK.api()
                .post(
                        "/api/v1/users/current/heartbeats.bulk",
                        keyAuth,
                        batch.append("]").toString());
        assertEquals(202, sent.status(), sent.body());
        STACK.deployment().awaitDrained(Duration.ofSeconds(30));
        String csv =
                STACK.api().get("/api/export?format=csv&table=heartbeats", auth).body();
        assertFalse(csv.isEmpty());
        for (String cell :
                new String[] {"\"'=HYPERLINK(\"\"http://x\"\")\"", "\"'+1+1\"", "\"'-2+3\"", "\"'@SUM(A1)\"", ",plain,"
                }) {
            assertTrue(csv.contains(cell), cell + " in " + csv);
        }
        for (String line : csv.split("\r\n")) {
            for (String field : line.split(",")) {
                assertFalse(!field.isEmpty() && "=+@".indexOf(field.charAt(0)) >= 0, field + " in " + line);
            }
        }
    }
}
