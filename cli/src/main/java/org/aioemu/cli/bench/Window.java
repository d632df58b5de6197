package org.aioemu.cli.bench;

import java.time.Duration;

/** When a load warms up and when it is measured, on the {@link System#nanoTime()} clock. */
record Window(long warmupEnd, long measureEnd) {
    static Window startingNow(Duration warmup, Duration measure) {
        long now = System.nanoTime();
        return new Window(now + warmup.toNanos(), now + warmup.toNanos() + measure.toNanos());
    }

    /** Sleeps until {@code deadline}. */
    static void sleepUntil(long deadline) throws InterruptedException {
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
