package org.aioemu.cli.bench;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Random reads through the JDK's {@link AsynchronousFileChannel} with its default thread pool (on
 * Linux each read is a blocking pread run by a pool thread): {@code depth} reads in flight, each
 * completion handler issuing the next read of its slot. Latency runs from the read call to the
 * handler.
 */
final class JdkAfcRandomReads implements RandomReadLoad {
    private final int depth;
    private final long seed;

    JdkAfcRandomReads(int depth, long seed) {
        this.depth = depth;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "jdk-afc";
    }

    @Override
    public LoadResult run(BenchFile file, Window window) throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(depth);
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file.path(), StandardOpenOption.READ)) {
            Slot[] slots = new Slot[depth];
            for (int i = 0; i < depth; i++) slots[i] = new Slot(ch, file, new SplittableRandom(seed + i), recorder, failure, stopped);
            for (Slot s : slots) s.issue();
            Window.sleepUntil(window.warmupEnd());
            recorder.reset();
            long start = System.nanoTime();
            Window.sleepUntil(window.measureEnd());
            Histogram h = recorder.getIntervalHistogram();
            long stop = System.nanoTime();
            for (Slot s : slots) s.stop = true;
            if (!stopped.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("jdk-afc: reads still in flight after 10 s");
            if (failure.get() != null) throw new IllegalStateException("jdk-afc: " + failure.get(), failure.get());
            return LoadResult.of(name(), h, stop - start);
        }
    }

    /** One of the {@code depth} reads in flight; its handler runs on a pool thread and issues the next. */
    private static final class Slot implements CompletionHandler<Integer, Void> {
        private final AsynchronousFileChannel ch;
        private final BenchFile file;
        private final SplittableRandom random;
        private final Recorder recorder;
        private final AtomicReference<Throwable> failure;
        private final CountDownLatch stopped;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
        private long issued;
        volatile boolean stop;

        Slot(AsynchronousFileChannel ch, BenchFile file, SplittableRandom random, Recorder recorder,
             AtomicReference<Throwable> failure, CountDownLatch stopped) {
            this.ch = ch;
            this.file = file;
            this.random = random;
            this.recorder = recorder;
            this.failure = failure;
            this.stopped = stopped;
        }

        void issue() {
            buf.clear();
            long offset = file.randomOffset(random);
            issued = System.nanoTime();
            ch.read(buf, offset, null, this);
        }

        @Override
        public void completed(Integer n, Void unused) {
            recorder.recordValue(System.nanoTime() - issued);
            if (n != BLOCK) {
                failed(new IllegalStateException("read of 4 KiB gave " + n + " bytes"), null);
            } else if (stop) {
                stopped.countDown();
            } else {
                issue();
            }
        }

        @Override
        public void failed(Throwable t, Void unused) {
            failure.compareAndSet(null, t);
            stopped.countDown();
        }
    }
}
