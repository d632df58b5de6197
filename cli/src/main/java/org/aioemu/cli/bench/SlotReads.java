package org.aioemu.cli.bench;

import java.time.Duration;
import java.util.SplittableRandom;

import org.HdrHistogram.Histogram;

/**
 * The random-read loop every AIO variant shares, so that they differ only in how a read is
 * submitted and reaped: {@code depth} reads in flight, one per slot; each reaped slot gets a new
 * read at a fresh random offset until the window ends. Latency runs from just before submit to the
 * reap. The window starts when the engine is ready, so that its setup is not measured.
 */
final class SlotReads {
    static final Duration STUCK = Duration.ofSeconds(10);

    /** How one variant issues the read of a slot and learns which slots completed. */
    interface Engine extends AutoCloseable {
        /** Submits a 4 KiB read at {@code offset} into the slot's buffer. */
        void submit(int slot, long offset) throws Exception;

        /**
         * Waits up to {@link #STUCK} for at least one completion; stores completed slots in
         * {@code slots} and returns how many (0 if none came). A read that failed or came back short
         * throws.
         */
        int reap(int[] slots) throws Exception;

        @Override
        void close();
    }

    /** Opens an engine on the benchmark file's fd (which the engine closes) for {@code depth} reads in flight. */
    @FunctionalInterface
    interface EngineFactory {
        Engine open(int fd, int depth) throws Exception;
    }

    /** A load that runs the shared loop on a fresh engine of one kind. */
    record Load(String name, int depth, long seed, EngineFactory engines) implements RandomReadLoad {
        @Override
        public LoadResult run(BenchFile file, Window window) throws Exception {
            try (Engine e = engines.open(file.openFd(), depth)) {
                return SlotReads.run(name, e, file, window, depth, seed);
            }
        }
    }

    private SlotReads() {}

    static LoadResult run(String name, Engine engine, BenchFile file, Window window, int depth, long seed) throws Exception {
        window = window.restartedNow();
        SplittableRandom random = new SplittableRandom(seed);
        long[] issued = new long[depth];
        int[] slots = new int[depth];
        Histogram latency = new Histogram(3);
        for (int slot = 0; slot < depth; slot++) {
            issued[slot] = System.nanoTime();
            engine.submit(slot, file.randomOffset(random));
        }
        int inFlight = depth;
        boolean measuring = false;
        long start = 0, stop = 0;
        while (inFlight > 0) {
            int n = engine.reap(slots);
            if (n == 0) throw new IllegalStateException(name + ": no completion for " + STUCK.toSeconds() + " s (" + inFlight + " in flight)");
            long now = System.nanoTime();
            if (!measuring && now >= window.warmupEnd()) {
                latency.reset();
                measuring = true;
                start = now;
            }
            // a stall (GC, a loaded machine) may swallow a short window whole: measure at least depth reads
            boolean more = now < window.measureEnd() || measuring && latency.getTotalCount() < depth;
            if (measuring && more) stop = now;
            for (int i = 0; i < n; i++) {
                int slot = slots[i];
                if (more) {
                    latency.recordValue(now - issued[slot]);
                    issued[slot] = System.nanoTime();
                    engine.submit(slot, file.randomOffset(random));
                } else {
                    inFlight--;
                }
            }
        }
        return LoadResult.of(name, latency, stop - start);
    }
}
