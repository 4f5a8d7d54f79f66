package dev.devtime.functions.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.devtime.model.wire.RequestJson;
import java.io.IOException;

/** Parses request bodies with {@link RequestJson}'s limits, and a size limit, answering a bad body with a 4xx. */
public final class JsonBody {

    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private JsonBody() {}

    public static JsonNode parse(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw new HttpException(413, "request body is larger than " + MAX_BODY_BYTES / 1024 + " KB");
        }
        if (body.length == 0) {
            throw new HttpException(400, "request body is empty; send JSON");
        }
        try {
            JsonNode node = RequestJson.PARSER.readTree(body);
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

    /** A parser's message cut to its first line and 200 characters: where the fault is, without echoing the body. */
    public static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl >= 0 ? s.substring(0, nl) : s;
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
