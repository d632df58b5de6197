package org.aioemu.cli.replay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Re-executes a trace on a {@link ReplayTarget} and compares each call's outcome with the
 * recorded one. One thread runs the calls in {@link ReplaySchedule} order: the trace is planned
 * ({@link TracePlanner}), its files laid out under the root ({@link ReplayWorld}), then AIO calls
 * go to {@link AioReplay} and the rest to {@link FdReplay}.
 */
public final class ReplayEngine {
    /** Told after each call; replay of big traces wants a progress display. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);

        Progress NONE = (done, total) -> { };
    }

    // Calls whose result is a new fd: the numbers differ between runs, success or errno must not.
    private static final Set<String> FD_RESULTS = Set.of("open", "openat", "dup", "dup2", "dup3", "eventfd", "eventfd2");

    private final ReplayTarget target;
    private final ReplayOptions options;

    public ReplayEngine(ReplayTarget target, ReplayOptions options) {
        this.target = target;
        this.options = options;
    }

    /**
     * Replays {@code calls} (from {@code traceName}); {@code parseWarnings} go into the report.
     * Throws {@link TraceFormatException} (strict mode) for a trace that cannot be replayed as
     * written, before running anything.
     */
    public ReplayReport run(String traceName, List<TraceCall> calls, List<TraceWarning> parseWarnings, Progress progress)
            throws IOException {
        ReplayReport report = new ReplayReport(traceName, target.name());
        parseWarnings.forEach(report::note);
        TracePlan plan = TracePlanner.plan(calls, options.lenient(), report::note);
        plan.notes().forEach(report::note);
        report.calls = calls.size();
        long waitNanos = options.waitLimit().toNanos();
        AtomicLong epoch = new AtomicLong();
        List<TraceWarning> fdNotes = new ArrayList<>();
        try (ReplayWorld world = ReplayWorld.build(options.root(), plan);
             BufferPool pool = new BufferPool();
             FdTable fds = new FdTable(world, fdNotes);
             AioReplay aio = new AioReplay(target, pool, fds, plan, report, waitNanos, epoch)) {
            FdReplay fdr = new FdReplay(world, fds, pool, report, waitNanos, epoch);
            List<TraceCall> order = ReplaySchedule.order(calls);
            Long traceStart = order.stream().map(ReplaySchedule::time).filter(t -> t != null).findFirst().orElse(null);
            long start = System.nanoTime();
            int done = 0;
            for (TraceCall c : order) {
                progress.update(done++, order.size());
                if (!runnable(c, plan, report)) continue;
                if (options.timing() == ReplayOptions.Timing.ORIGINAL) pace(c, traceStart, start);
                int before = report.differences().size();
                long t0 = System.nanoTime();
                Replayed r = execute(c, aio, fdr);
                report.latency(c.call(), System.nanoTime() - t0);
                report.replayed++;
                if (r.result() != null) compare(c, r.result(), report);
                if (target.translation() != null) explain(c, before, fds, report);
                if (report.differences().size() == before) report.matched++;
                if (options.record()) report.recordCall(c.withOutcome(r.result() == null ? Outcome.UNKNOWN
                        : new Outcome(replayedValue(c, r.result()), c.outcome().path()), r.args()));
            }
            progress.update(order.size(), order.size());
            report.elapsedNanos = System.nanoTime() - start;
            if (target.translation() != null) report.translatedCalls(target.translation().calls());
        }
        fdNotes.forEach(report::note);
        return report;
    }

    /** What a call gave: its result (null if it could not be run) and, for --record, its arguments as replayed. */
    private record Replayed(Long result, CallArgs args) {}

    private static boolean runnable(TraceCall c, TracePlan plan, ReplayReport report) {
        if (plan.skip().contains(c.line())) {
            report.skipped++;
            return false;
        }
        if (!c.outcome().known()) {
            report.skipped++;
            report.note(new TraceWarning(c.line(), c.call() + ": the trace has no result for it (\"= ?\"); not replayed"));
            return false;
        }
        if (c.outcome().failed() && LinuxNames.interrupted(c.outcome().value())) {
            report.skipped++;
            report.note(new TraceWarning(c.line(), c.call() + " was interrupted by a signal in the trace (" + c.outcome().errno()
                    + "); replay sends no signals, so it is not replayed"));
            return false;
        }
        return true;
    }

    private Replayed execute(TraceCall c, AioReplay aio, FdReplay fdr) {
        CallArgs a = c.args();
        return switch (a) {
            case CallArgs.Open o -> new Replayed(fdr.open(c, o), a);
            case CallArgs.Close x -> new Replayed(fdr.close(c, x), a);
            case CallArgs.Dup x -> new Replayed(fdr.dup(c, x), a);
            case CallArgs.Pipe x -> new Replayed(fdr.pipe(c, x), a);
            case CallArgs.SocketPair x -> new Replayed(fdr.socketpair(c, x), a);
            case CallArgs.EventFd x -> new Replayed(fdr.eventfd(c, x), a);
            case CallArgs.Truncate x -> new Replayed(fdr.ftruncate(c, x), a);
            case CallArgs.Fallocate x -> new Replayed(fdr.fallocate(c, x), a);
            case CallArgs.Unlink x -> new Replayed(fdr.unlink(c, x), a);
            case CallArgs.Sync x -> new Replayed(fdr.sync(c, x), a);
            case CallArgs.ReadWrite x -> new Replayed(c.call().startsWith("read") || c.call().startsWith("pread")
                    ? fdr.read(c, x) : fdr.write(c, x), a);
            case CallArgs.IoSetup x -> new Replayed(aio.ioSetup(x), a);
            case CallArgs.IoDestroy x -> new Replayed(aio.ioDestroy(x), a);
            case CallArgs.IoSubmit x -> new Replayed(aio.ioSubmit(c, x), a);
            case CallArgs.IoGetevents x -> {
                AioReplay.Reaped r = aio.ioGetevents(c, x);
                yield new Replayed(r.result(), new CallArgs.IoGetevents(x.ctx(), x.minNr(), x.nr(), r.events(), false,
                        x.timeout(), x.sigmask()));
            }
            case CallArgs.IoCancel x -> {
                AioReplay.Cancelled r = aio.ioCancel(c, x);
                yield new Replayed(r.result(), new CallArgs.IoCancel(x.ctx(), x.iocb(), r.event()));
            }
        };
    }

    /**
     * Files the translation's notes for this call under its line, and gives them as the reason of
     * the differences the call produced (a read of an eventfd the translation never signalled too).
     */
    private void explain(TraceCall c, int before, FdTable fds, ReplayReport report) {
        List<String> why = new ArrayList<>(target.translation().drainNotes());
        why.forEach(n -> report.translation(new TraceWarning(c.line(), c.call() + ": " + n)));
        if (c.args() instanceof CallArgs.ReadWrite rw && rw.fd() != null) {
            OpenFd f = fds.get(rw.fd().fd());
            String fdWhy = f == null ? null : target.translation().explainFd(f.host());
            if (fdWhy != null) why.add(fdWhy);
        }
        if (c.args() instanceof CallArgs.IoGetevents g) {
            for (AioStructs.TraceIoEvent e : g.events()) {
                String evWhy = target.translation().explainEvent(e.data());
                if (evWhy != null && !why.contains(evWhy)) why.add(evWhy);
            }
        }
        if (!why.isEmpty()) report.explain(before, String.join("; ", why));
    }

    private static void compare(TraceCall c, long replayed, ReplayReport report) {
        long recorded = c.outcome().value();
        boolean same = FD_RESULTS.contains(c.call()) ? (recorded >= 0 && replayed >= 0) || recorded == replayed
                : recorded == replayed;
        if (!same) {
            report.difference(new Difference(c.line(), c.call(), Outcome.describe(recorded), Outcome.describe(replayed), null));
        }
    }

    // An fd the replay got stands for the trace's number, so a re-replay of the record sees the same numbers.
    private static long replayedValue(TraceCall c, long replayed) {
        return FD_RESULTS.contains(c.call()) && replayed >= 0 && c.outcome().succeeded() ? c.outcome().value() : replayed;
    }

    /** --timing original: waits until the call is as far from the first as it was in the trace. */
    private static void pace(TraceCall c, Long traceStart, long start) {
        Long t = ReplaySchedule.time(c);
        if (t == null || traceStart == null) return;
        long due = start + TimeUnit.MICROSECONDS.toNanos(t - traceStart);
        for (long now; (now = System.nanoTime()) < due; ) LockSupport.parkNanos(due - now);
    }
}
