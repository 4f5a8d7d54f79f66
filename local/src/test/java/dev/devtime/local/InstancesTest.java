package dev.devtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How calls are spread over a function's instances. */
class InstancesTest {

    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    /** {@code n} instances answering their own number; a "block" event holds its instance until released. */
    List<Function<String, Integer>> numbered(int n) {
        List<Function<String, Integer>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            out.add(event -> {
                if (event.equals("block")) {
                    entered.countDown();
                    try {
                        assertTrue(release.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return id;
            });
        }
        return out;
    }

    @Test
    void callsOneAfterAnotherTakeTheInstancesInTurn() {
        Instances<String, Integer> pool = new Instances<>(numbered(3));
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(pool.apply("e"));
        }
        assertEquals(List.of(0, 1, 2, 0, 1, 2), seen);
    }

    @Test
    void aBusyInstanceIsPassedOverEvenWhenItIsItsTurn() throws Exception {
        Instances<String, Integer> pool = new Instances<>(numbered(2));
        CompletableFuture<Integer> busy = CompletableFuture.supplyAsync(() -> pool.apply("block"));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertEquals(1, pool.apply("e"));
        // Instance 0's turn, but it is still busy with the first call: instance 1 takes this one too.
        assertEquals(1, pool.apply("e"));
        release.countDown();
        assertEquals(0, busy.get(10, TimeUnit.SECONDS));
    }
}
