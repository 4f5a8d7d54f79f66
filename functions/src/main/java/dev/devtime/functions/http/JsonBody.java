package dev.devtime.functions.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Parses request bodies with limits that keep a hostile body from costing more than a 4xx. */
public final class JsonBody {

    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /** The limits every request body is read with (depth, string and number length); also for streamed reads. */
    public static final ObjectMapper PARSER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(32)
                    .maxStringLength(256 * 1024)
                    .maxNumberLength(64)
                    .build())
            .build());

    private JsonBody() {
    }

    public static JsonNode parse(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw new HttpException(413, "request body is larger than " + MAX_BODY_BYTES / 1024 + " KB");
        }
        if (body.length == 0) {
            throw new HttpException(400, "request body is empty; send JSON");
        }
        try {
            JsonNode node = PARSER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new HttpException(400, "request body is empty; send JSON");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new HttpException(400, "request body is not acceptable JSON: " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new HttpException(400, "request body is not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new HttpException(400, "request body could not be read");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl >= 0 ? s.substring(0, nl) : s;
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
