package org.aioemu.cli.bench;

import java.time.Duration;

/** When a load warms up and when it is measured, on the {@link System#nanoTime()} clock. */
record Window(long start, long warmupEnd, long measureEnd) {
    static Window startingNow(Duration warmup, Duration measure) {
        long now = System.nanoTime();
        return new Window(now, now + warmup.toNanos(), now + warmup.toNanos() + measure.toNanos());
    }

    /** The same warm-up and measurement, starting now: for a load whose setup (a new AIO system, say) took part of it. */
    Window restartedNow() {
        long shift = System.nanoTime() - start;
        return new Window(start + shift, warmupEnd + shift, measureEnd + shift);
    }

    /** Sleeps until {@code deadline}. */
    static void sleepUntil(long deadline) throws InterruptedException {
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
