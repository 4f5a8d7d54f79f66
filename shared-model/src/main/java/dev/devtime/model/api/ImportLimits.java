package dev.devtime.model.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What one {@code POST /api/import} request may hold: {@code import-limits.json} beside this class, which
 * the server enforces and the dashboard reads to split a file into requests the server takes.
 */
public final class ImportLimits {

    /** Heartbeats in one request. */
    public static final int MAX_HEARTBEATS;
    /** Bytes of one request's body: under Lambda's 6 MB request payload, which includes the rest of the event. */
    public static final int MAX_BODY_BYTES;

    static {
        try (InputStream in = ImportLimits.class.getResourceAsStream("import-limits.json")) {
            if (in == null) {
                throw new IllegalStateException("import-limits.json is missing from the class path");
            }
            JsonNode limits = new ObjectMapper().readTree(in);
            MAX_HEARTBEATS = limits.required("maxHeartbeats").asInt();
            MAX_BODY_BYTES = limits.required("maxBodyBytes").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ImportLimits() {}
}
