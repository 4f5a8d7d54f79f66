package dev.devtime.local.measure;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the event source's receives carried, for pricing SQS: AWS bills each 64 KB chunk of a request's
 * payload as one request, so a receive of ten 12 KB messages is two requests, and a message over 64 KB
 * was more than one request to send. {@code Metering} counts calls only; this counts their chunks.
 */
public final class QueueTraffic {

    /** SQS's billing unit of payload. */
    public static final int CHUNK_BYTES = 64 * 1024;

    private static final LongAdder RECEIVES = new LongAdder();
    private static final LongAdder EMPTY_RECEIVES = new LongAdder();
    private static final LongAdder RECEIVE_CHUNKS = new LongAdder();
    private static final LongAdder MESSAGES = new LongAdder();
    private static final LongAdder MESSAGE_BYTES = new LongAdder();
    private static final LongAdder MESSAGE_CHUNKS = new LongAdder();

    private QueueTraffic() {}

    /** One ReceiveMessage call that returned messages of these body sizes (none: an empty receive). */
    public static void received(int[] bodyBytes) {
        RECEIVES.increment();
        if (bodyBytes.length == 0) {
            EMPTY_RECEIVES.increment();
            RECEIVE_CHUNKS.increment();
            return;
        }
        long total = 0;
        for (int b : bodyBytes) {
            total += b;
            MESSAGES.increment();
            MESSAGE_BYTES.add(b);
            MESSAGE_CHUNKS.add(chunks(b));
        }
        RECEIVE_CHUNKS.add(chunks(total));
    }

    /** Billed requests for one call carrying {@code bytes} of payload (at least one). */
    public static long chunks(long bytes) {
        return Math.max(1, (bytes + CHUNK_BYTES - 1) / CHUNK_BYTES);
    }

    public static Snapshot snapshot() {
        return new Snapshot(
                RECEIVES.sum(),
                EMPTY_RECEIVES.sum(),
                RECEIVE_CHUNKS.sum(),
                MESSAGES.sum(),
                MESSAGE_BYTES.sum(),
                MESSAGE_CHUNKS.sum());
    }

    /**
     * @param receiveChunks billed requests of all receives (an empty one is one request)
     * @param messageChunks billed requests that sending these messages one at a time took
     */
    public record Snapshot(
            long receives,
            long emptyReceives,
            long receiveChunks,
            long messages,
            long messageBytes,
            long messageChunks) {

        public Snapshot minus(Snapshot e) {
            return new Snapshot(
                    receives - e.receives,
                    emptyReceives - e.emptyReceives,
                    receiveChunks - e.receiveChunks,
                    messages - e.messages,
                    messageBytes - e.messageBytes,
                    messageChunks - e.messageChunks);
        }
    }
}
