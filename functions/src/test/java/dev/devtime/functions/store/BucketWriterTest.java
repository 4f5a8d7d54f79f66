package dev.devtime.functions.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.devtime.functions.testing.DynamoDbLocalExtension;
import dev.devtime.model.Heartbeat;
import dev.devtime.model.Timing;
import dev.devtime.model.time.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bucket rewrites against DynamoDB Local: the version check and retry, and the expiry of the user's retention. */
class BucketWriterTest {

    @RegisterExtension
    final DynamoDbLocalExtension dynamo = new DynamoDbLocalExtension();

    static final String USER = "dana";
    static final long START = BucketStore.bucketStart(1_780_000_000_000L);
    static final SettingsStore.Settings KEEP_FOREVER = SettingsStore.Settings.defaults();

    BucketStore buckets;
    BucketWriter writer;

    @BeforeEach
    void setUp() {
        buckets = new BucketStore(new Table(dynamo.client(), dynamo.table()));
        writer = new BucketWriter(buckets, 30);
    }

    static Heartbeat at(long offsetMs, String entity) {
        return Heartbeat.builder(START + offsetMs)
                .tool("vscode")
                .project("p")
                .entity(entity)
                .build();
    }

    static List<Heartbeat> plus(List<Heartbeat> stored, Heartbeat h) {
        List<Heartbeat> out = new ArrayList<>(stored);
        out.add(h);
        return Timeline.of(out);
    }

    /** Another writer's heartbeat, written between this rewrite's read and its write. */
    void sneakIn(Heartbeat h) {
        BucketStore.Bucket b = buckets.get(USER, START);
        buckets.put(USER, b, plus(b.heartbeats(), h), null);
    }

    @Test
    void aWriteThatCameBetweenIsReadAgainAndKept() {
        AtomicInteger calls = new AtomicInteger();
        String result = writer.rewrite(USER, START, KEEP_FOREVER, true, stored -> {
            if (calls.incrementAndGet() == 1) {
                sneakIn(at(1_000, "theirs"));
            }
            return new BucketWriter.Change<>(plus(stored, at(2_000, "mine")), "attempt " + calls.get());
        });
        assertEquals("attempt 2", result);
        BucketStore.Bucket b = buckets.get(USER, START);
        assertEquals(
                List.of("theirs", "mine"),
                b.heartbeats().stream().map(Heartbeat::entity).toList());
        assertEquals(2, b.version());
    }

    @Test
    void theUsersRetentionElseTheDeploymentsSetsWhenTheBucketExpires() {
        writer.rewrite(
                USER, START, KEEP_FOREVER, true, stored -> new BucketWriter.Change<>(plus(stored, at(0, "a")), 1));
        assertEquals(BucketStore.ttl(START, 30), buckets.get(USER, START).ttlSeconds());

        SettingsStore.Settings week = new SettingsStore.Settings(Timing.defaults(), false, List.of(), 7);
        assertEquals(7, writer.retentionDays(week));
        writer.rewrite(USER, START, week, true, stored -> new BucketWriter.Change<>(plus(stored, at(1, "b")), 1));
        assertEquals(BucketStore.ttl(START, 7), buckets.get(USER, START).ttlSeconds());

        BucketWriter forever = new BucketWriter(buckets, 0);
        assertEquals(0, forever.retentionDays(KEEP_FOREVER));
        forever.rewrite(
                USER, START, KEEP_FOREVER, true, stored -> new BucketWriter.Change<>(plus(stored, at(2, "c")), 1));
        assertNull(buckets.get(USER, START).ttlSeconds());
    }

    @Test
    void aChangeThatChangesNothingWritesNothing() {
        assertNull(writer.rewrite(USER, START, KEEP_FOREVER, false, stored -> null));
        assertEquals(0, buckets.get(USER, START).version());
    }

    @Test
    void aBucketThatKeepsChangingIsAConflictAfterEveryAttempt() {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(
                BucketWriter.Conflict.class,
                () -> writer.rewrite(USER, START, KEEP_FOREVER, false, stored -> {
                    sneakIn(at(10_000 + calls.incrementAndGet(), "theirs"));
                    return new BucketWriter.Change<>(plus(stored, at(0, "mine")), 1);
                }));
        assertEquals(BucketWriter.MAX_ATTEMPTS, calls.get());
        assertEquals(BucketWriter.MAX_ATTEMPTS, buckets.get(USER, START).version());
    }
}
