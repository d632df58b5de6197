package org.aioemu.cli.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Random reads with plain blocking {@link FileChannel#read(ByteBuffer, long)} from a few threads,
 * one read in flight each: on a page-cached file this is the practical ceiling (no hand-off at
 * all), against which the asynchronous designs pay their overhead.
 */
final class FileChannelRandomReads implements RandomReadLoad {
    private final int threads;
    private final long seed;

    FileChannelRandomReads(int threads, long seed) {
        this.threads = threads;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "filechannel-" + threads + "t";
    }

    @Override
    public LoadResult run(BenchFile file, Window window) throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                SplittableRandom random = new SplittableRandom(seed + i);
                readers.add(Thread.ofPlatform().name("bench-filechannel-" + i).start(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
                    try {
                        while (System.nanoTime() < window.measureEnd()) {
                            buf.clear();
                            long offset = file.randomOffset(random);
                            long t0 = System.nanoTime();
                            int n = ch.read(buf, offset);
                            recorder.recordValue(System.nanoTime() - t0);
                            if (n != BLOCK) throw new IllegalStateException("read of 4 KiB at " + offset + " gave " + n + " bytes");
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            Window.sleepUntil(window.warmupEnd());
            recorder.reset();
            long start = System.nanoTime();
            Window.sleepUntil(window.measureEnd());
            Histogram h = recorder.getIntervalHistogram();
            long stop = System.nanoTime();
            for (Thread t : readers) t.join();
            if (failure.get() != null) throw new IllegalStateException(name() + ": " + failure.get(), failure.get());
            return LoadResult.of(name(), h, stop - start);
        }
    }
}
