package dev.devtime.functions.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void generatedKeysAreWhatWakatimeCliAccepts() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String k = ApiKeys.generate();
            assertTrue(k.matches("waka_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), k);
            assertTrue(seen.add(k));
        }
    }

    @Test
    void thePrefixAndCaseDoNotMakeADifferentKey() {
        String k = ApiKeys.generate();
        String bare = k.substring(5);
        assertEquals(ApiKeys.hash(k), ApiKeys.hash(bare));
        assertEquals(ApiKeys.hash(k), ApiKeys.hash(bare.toUpperCase()));
        assertNotEquals(ApiKeys.hash(k), ApiKeys.hash(ApiKeys.generate()));
    }

    @Test
    void anythingElseIsNotAKey() {
        assertFalse(ApiKeys.isValid(null));
        assertFalse(ApiKeys.isValid(""));
        assertFalse(ApiKeys.isValid("waka_"));
        assertFalse(ApiKeys.isValid("dt_xxxxxxxxxxxxxxxxxxxx"));
        // A UUID of another version: wakatime-cli refuses it, so DevTime never issues or accepts one.
        assertFalse(ApiKeys.isValid("123e4567-e89b-12d3-a456-426614174000"));
    }
}
