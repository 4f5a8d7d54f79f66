package dev.devtime.model.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How request bodies are read: with limits (depth, string and number length) that keep a hostile body from
 * costing more than a 4xx. Here rather than in functions so that the benchmarks measure the same parser.
 */
public final class RequestJson {

    /** Also for streamed reads ({@code createParser}), which the limits apply to alike. */
    public static final ObjectMapper PARSER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(32)
                    .maxStringLength(256 * 1024)
                    .maxNumberLength(64)
                    .build())
            .build());

    private RequestJson() {
    }
}
