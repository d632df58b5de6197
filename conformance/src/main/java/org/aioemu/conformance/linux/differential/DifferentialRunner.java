package org.aioemu.conformance.linux.differential;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.aioemu.linux.LinuxAioSyscalls;

/**
 * Runs generated sequences in two worlds, the oracle (the host kernel) and a candidate, each on
 * its own fixtures and program memory, one world after the other, and compares their traces.
 *
 * <p>Several sequences run at once, each on its own thread: Linux's io_destroy waits for an RCU
 * grace period (about 30 ms here), so run one at a time the run would mostly sleep. Sequences
 * share nothing but the process, and nothing compared depends on what else runs (the one
 * process-wide value in the ring header, the context table slot {@code id}, is not compared).
 *
 * Sequences that name destroyed contexts run afterwards, one at a time (see
 * {@link Sequence#runsAlone()}).
 *
 * <p>Threads are daemons under a time limit: a world that hangs (a call that blocks forever) is
 * reported with the step it hung in; the third hang ends the run.
 */
public final class DifferentialRunner {
    private static final int MAX_HANGS = 3;

    /** One side of the comparison: a name and a factory of fresh processes (one per sequence). */
    public record World(String name, Supplier<LinuxAioSyscalls> newProcess) {}

    private final World oracle;
    private final World candidate;
    private final SequenceGenerator generator;
    private final Profile profile;
    private final Path workDir;
    private final List<KnownDifference> known;
    private final long settleMillis;
    private final Duration sequenceLimit;
    private final int parallelism;

    public DifferentialRunner(World oracle, World candidate, Profile profile, Path workDir, List<KnownDifference> known,
                              long settleMillis, Duration sequenceLimit, int parallelism) {
        this.oracle = oracle;
        this.candidate = candidate;
        this.profile = profile;
        this.generator = new SequenceGenerator(profile);
        this.workDir = workDir;
        this.known = known;
        this.settleMillis = settleMillis;
        this.sequenceLimit = sequenceLimit;
        this.parallelism = parallelism;
    }

    /** One sequence in both worlds; {@link #current} says where it is, for a hang report. */
    private final class Task {
        final Sequence seq;
        volatile WorldRun current;

        Task(Sequence seq) {
            this.seq = seq;
        }

        Comparison run() {
            Trace a = world(oracle, workDir.resolve(seq.index() + "-oracle"));
            Trace b = world(candidate, workDir.resolve(seq.index() + "-candidate"));
            return Comparison.of(seq, a, b);
        }

        private Trace world(World w, Path dir) {
            WorldRun run = new WorldRun(seq, w.newProcess().get(), w.name(), dir, settleMillis);
            current = run;
            try {
                return run.run();
            } catch (RuntimeException | Error e) {
                return new Trace(w.name(), List.of(), List.of(), List.of(), null, "threw in step " + run.currentStep + ": " + e);
            }
        }

        String world() {
            WorldRun r = current;
            return r == null ? "(not started)" : r.world();
        }

        int step() {
            WorldRun r = current;
            return r == null ? -1 : r.currentStep;
        }
    }

    /**
     * Runs sequences {@code first} .. {@code first + count - 1} of {@code seed}: those that may
     * share the process side by side, then, one at a time, those that must run alone.
     */
    public DifferentialReport run(long seed, int first, int count) {
        DifferentialReport report = new DifferentialReport(oracle.name(), candidate.name(), profile, seed, first, count, known);
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        List<Sequence> alone = new ArrayList<>();
        Iterator<Sequence> shared = IntStream.range(first, first + count).mapToObj(i -> generator.generate(seed, i))
                .filter(seq -> !(seq.runsAlone() && alone.add(seq))).iterator();
        if (runAll(shared, parallelism, report)) runAll(alone.iterator(), 1, report);
        report.finish(Duration.ofNanos(System.nanoTime() - start), Duration.ofNanos(processCpuNanos() - cpuStart));
        return report;
    }

    // the wall time depends on what else the machine runs; the CPU time much less
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** False if the run had to stop (a hang, a harness failure). */
    private boolean runAll(Iterator<Sequence> sequences, int threads, DifferentialReport report) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "differential-sequence");
            t.setDaemon(true);
            return t;
        });
        Deque<Task> tasks = new ArrayDeque<>();
        Deque<Future<Comparison>> results = new ArrayDeque<>();
        int hangs = 0;
        try {
            while (sequences.hasNext() || !results.isEmpty()) {
                // a bounded window in flight, so that a long run holds few traces at once
                while (sequences.hasNext() && results.size() < 4 * threads) {
                    Task t = new Task(sequences.next());
                    tasks.add(t);
                    results.add(pool.submit(t::run));
                }
                Task t = tasks.poll();
                try {
                    report.add(t.seq, results.poll().get(sequenceLimit.toMillis(), TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    // the hung thread is lost to the pool; a few hangs still leave enough to go on
                    report.hung(t.seq, t.world(), t.step());
                    if (++hangs == MAX_HANGS) {
                        report.abort(t.seq, MAX_HANGS + " sequences hung");
                        return false;
                    }
                } catch (ExecutionException e) {
                    report.abort(t.seq, "the harness failed: " + e.getCause());
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.abort(null, "interrupted");
            return false;
        } finally {
            pool.shutdownNow();
        }
    }
}
