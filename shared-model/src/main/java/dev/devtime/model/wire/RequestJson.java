package dev.devtime.model.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * How request bodies are read: with limits (depth, string and number length) that keep a hostile body from
 * costing more than a 4xx. Here rather than in functions so that the benchmarks measure the same parser.
 */
public final class RequestJson {

    /**
     * Also for streamed reads ({@code createParser}), which the limits apply to alike; they read values with
     * {@link #STREAMED} and check for trailing content at the end with {@link #expectEnd}.
     */
    public static final ObjectMapper PARSER = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(256 * 1024)
                            .maxNumberLength(64)
                            .build())
                    .build())
            // A body is one JSON value: "{...} junk" is refused rather than read up to the junk.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** For values read one after another from one parser, where what follows a value is the next one. */
    public static final ObjectReader STREAMED = PARSER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RequestJson() {}

    /** After a streamed read of one value: fails when anything but white space follows it. */
    public static void expectEnd(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t != null) {
            throw new JsonParseException(p, "trailing content after the JSON value: " + t);
        }
    }
}
