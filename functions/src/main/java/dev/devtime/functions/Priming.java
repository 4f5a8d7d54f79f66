package dev.devtime.functions;

/**
 * SnapStart priming runs while Lambda publishes a version: an exception there fails the version, and with
 * it the whole {@code cdk deploy}, which rolls back. Priming only makes the first requests faster, so a
 * failed call (a throttled or unreachable DynamoDB, a role whose policy has not propagated yet) is logged
 * and the snapshot is taken with whatever was warmed until then.
 */
public final class Priming {

    private Priming() {}

    public static void bestEffort(String function, Runnable prime) {
        try {
            prime.run();
        } catch (RuntimeException e) {
            // Errors (a class missing from the jar) still fail the version: that deployment would not work.
            Log.error("SnapStart priming failed; the snapshot is taken without it", e, "function", function);
        }
    }
}
