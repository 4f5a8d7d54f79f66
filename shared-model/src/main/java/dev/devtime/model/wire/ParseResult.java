package dev.devtime.model.wire;

import dev.devtime.model.Heartbeat;

/** One item of a request: either a valid heartbeat or the reason it was refused. */
public record ParseResult(Heartbeat heartbeat, String error) {

    public static ParseResult ok(Heartbeat hb) {
        return new ParseResult(hb, null);
    }

    public static ParseResult error(String message) {
        return new ParseResult(null, message);
    }

    public boolean isOk() {
        return heartbeat != null;
    }
}
