package dev.devtime.functions.http;

import java.util.Map;

/** A request the handler refuses, with the status and message the client gets. */
public class HttpException extends RuntimeException {

    private final int status;
    private final Map<String, String> headers;

    public HttpException(int status, String message) {
        this(status, message, Map.of());
    }

    public HttpException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
