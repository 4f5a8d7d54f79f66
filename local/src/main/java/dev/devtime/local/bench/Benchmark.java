package dev.devtime.local.bench;

/** Placeholder replaced below. */
public final class Benchmark {
    private Benchmark() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("not yet");
    }
}
