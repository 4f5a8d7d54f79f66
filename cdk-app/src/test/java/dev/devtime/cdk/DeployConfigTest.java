package dev.devtime.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Context parsing: values arrive as strings from `-c key=value` and as JSON values from cdk.json. */
class DeployConfigTest {

    static final Path BASE = Path.of("/repo/cdk-app");

    static DeployConfig parse(Map<String, Object> ctx) {
        return DeployConfig.fromContext(ctx::get, BASE);
    }

    @Test
    void defaultsDeployAPlainProdStackFromTheSiblingBuilds() {
        DeployConfig c = parse(Map.of());
        assertEquals("prod", c.stage());
        assertEquals(Path.of("/repo/functions/target"), c.functionsDir());
        assertEquals(Path.of("/repo/web/dist"), c.webDist());
        assertNull(c.domainName());
        assertEquals(365, c.rawRetentionDays());
        assertEquals(List.of(), c.allowedOrigins());
        assertFalse(c.selfSignUp());
        assertTrue(c.retainData());
    }

    @Test
    void commandLineStringsAndCdkJsonValuesMeanTheSame() {
        DeployConfig fromCli = parse(Map.of(
                "allowedOrigins",
                "http://localhost:5173/, https://a.example.com",
                "rawRetentionDays",
                "90",
                "selfSignUp",
                "TRUE",
                "callbackUrls",
                "http://localhost:5173/"));
        DeployConfig fromJson = parse(Map.of(
                "allowedOrigins",
                List.of("http://localhost:5173", "https://a.example.com"),
                "rawRetentionDays",
                90,
                "selfSignUp",
                true,
                "callbackUrls",
                List.of("http://localhost:5173/")));
        assertEquals(fromCli, fromJson);
        // Origins lose a trailing slash (browsers send none); callback URLs keep theirs (Cognito matches exactly).
        assertEquals(List.of("http://localhost:5173", "https://a.example.com"), fromCli.allowedOrigins());
        assertEquals(List.of("http://localhost:5173/"), fromCli.callbackUrls());
    }

    @Test
    void customDomainDerivesTheApiDomainAndNeedsACertificate() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> parse(Map.of("domainName", "devtime.example.com")));
        assertTrue(
                e.getMessage().contains("certificateArn") && e.getMessage().contains("api.devtime.example.com"),
                e.getMessage());
        DeployConfig c = parse(Map.of("domainName", "devtime.example.com", "certificateArn", "arn:aws:acm:x"));
        assertEquals("api.devtime.example.com", c.apiDomainName());
    }

    @Test
    void badValuesAreRefusedWithTheOptionName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of("stage", "Prod_1")))
                .getMessage()
                .contains("stage"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> parse(Map.of("allowedOrigins", "https://a.example.com/app")))
                .getMessage()
                .contains("allowedOrigins"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of("rawRetentionDays", "a year")))
                .getMessage()
                .contains("rawRetentionDays"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of("retainData", "yes")))
                .getMessage()
                .contains("retainData"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(Map.of("memoryMb", "64")))
                .getMessage()
                .contains("memoryMb"));
    }

    @Test
    void logRetentionMustBeAPeriodCloudWatchOffers() {
        assertEquals(software.amazon.awscdk.services.logs.RetentionDays.TWO_WEEKS, DevTimeStack.retention(14));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DevTimeStack.retention(10));
        assertTrue(e.getMessage().contains("logRetentionDays"), e.getMessage());
    }
}
