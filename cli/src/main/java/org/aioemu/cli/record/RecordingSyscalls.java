package org.aioemu.cli.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.aioemu.cli.replay.AioStructs.TraceIocb;
import org.aioemu.cli.replay.CallArgs;
import org.aioemu.cli.replay.Outcome;
import org.aioemu.cli.replay.TraceCall;
import org.aioemu.core.host.HostIo;
import org.aioemu.linux.LinuxAioSyscalls;

/**
 * The emulated calls, each appended to the trace with its decoded arguments and result: inputs
 * (iocbs, timeout) are read before the call, outputs (the stored context, the events) after.
 */
final class RecordingSyscalls implements LinuxAioSyscalls {
    private final LinuxAioSyscalls calls;
    private final TraceFile trace;
    private final int pid = HostIo.getpid();
    private final AtomicInteger line = new AtomicInteger(1);   // line 1 is the header

    RecordingSyscalls(LinuxAioSyscalls calls, TraceFile trace) {
        this.calls = calls;
        this.trace = trace;
    }

    @Override
    public long ioSetup(int nrEvents, long ctxp) {
        return record("io_setup", () -> calls.ioSetup(nrEvents, ctxp), rc -> {
            Long ctx = rc == 0 ? ProgramMemory.readLong(ctxp) : null;
            return new CallArgs.IoSetup(nrEvents, ctx == null ? 0 : ctx);
        });
    }

    @Override
    public long ioDestroy(long ctx) {
        return record("io_destroy", () -> calls.ioDestroy(ctx), rc -> new CallArgs.IoDestroy(ctx));
    }

    @Override
    public long ioSubmit(long ctx, long nr, long iocbpp) {
        List<TraceIocb> iocbs = ProgramMemory.iocbs(iocbpp, nr);
        return record("io_submit", () -> calls.ioSubmit(ctx, nr, iocbpp),
                rc -> new CallArgs.IoSubmit(ctx, nr, iocbs, iocbs.size() < Math.max(0, nr)));
    }

    @Override
    public long ioCancel(long ctx, long iocb, long result) {
        TraceIocb cb = ProgramMemory.iocb(iocb);
        return record("io_cancel", () -> calls.ioCancel(ctx, iocb, result), rc -> new CallArgs.IoCancel(ctx, cb, null));
    }

    @Override
    public long ioGetevents(long ctx, long minNr, long nr, long events, long timeout) {
        var ts = ProgramMemory.timespec(timeout);
        return record("io_getevents", () -> calls.ioGetevents(ctx, minNr, nr, events, timeout),
                rc -> new CallArgs.IoGetevents(ctx, minNr, nr, ProgramMemory.events(events, rc), false, ts, false));
    }

    @Override
    public long ioPgetevents(long ctx, long minNr, long nr, long events, long timeout, long usig) {
        var ts = ProgramMemory.timespec(timeout);
        Long mask = usig == 0 ? null : ProgramMemory.readLong(usig);
        boolean sigmask = mask != null && mask != 0;
        return record("io_pgetevents", () -> calls.ioPgetevents(ctx, minNr, nr, events, timeout, usig),
                rc -> new CallArgs.IoGetevents(ctx, minNr, nr, ProgramMemory.events(events, rc), false, ts, sigmask));
    }

    /** What a call's arguments look like once its result is known. */
    private interface Decoder {
        CallArgs decode(long result);
    }

    private long record(String name, LongSupplier call, Decoder args) {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        long rc = call.getAsLong();
        long micros = (System.nanoTime() - t0) / 1000;
        long startUs = start.getEpochSecond() * 1_000_000 + start.getNano() / 1000;
        int n = line.incrementAndGet();
        try {
            trace.append(new TraceCall(n, n, pid, startUs, micros, name, args.decode(rc), new Outcome(rc, null)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace", e);
        }
        return rc;
    }
}
