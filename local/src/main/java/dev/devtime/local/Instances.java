package dev.devtime.local;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;

/**
 * Several instances of one function, as Lambda runs several warm containers: each call goes to the least
 * busy instance, ties taken in turn, so sequential calls alternate and concurrent ones (the event source's
 * batches) land on different instances as long as there are enough of them.
 */
final class Instances<E, R> implements Function<E, R> {

    private final List<Function<E, R>> instances;
    private final AtomicIntegerArray busy;
    private final AtomicInteger next = new AtomicInteger();

    Instances(List<Function<E, R>> instances) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("no instances");
        }
        this.instances = List.copyOf(instances);
        this.busy = new AtomicIntegerArray(instances.size());
    }

    @Override
    public R apply(E event) {
        int n = instances.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        int chosen = start;
        for (int k = 1; k < n; k++) {
            int i = (start + k) % n;
            if (busy.get(i) < busy.get(chosen)) {
                chosen = i;
            }
        }
        busy.incrementAndGet(chosen);
        try {
            return instances.get(chosen).apply(event);
        } finally {
            busy.decrementAndGet(chosen);
        }
    }
}
