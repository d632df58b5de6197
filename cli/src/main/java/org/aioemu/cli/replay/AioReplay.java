package org.aioemu.cli.replay;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.aioemu.cli.replay.AioStructs.TraceIocb;
import org.aioemu.cli.replay.AioStructs.TraceIoEvent;
import org.aioemu.cli.replay.AioStructs.TraceIovec;
import org.aioemu.cli.replay.ReplayReport.Matching;
import org.aioemu.cli.replay.TracePlan.IocbId;
import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.ForeignMemory;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.IoVec;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.LinuxAioConstants;
import org.aioemu.linux.LinuxAioSyscalls;
import org.aioemu.linux.LinuxTimespec;

/**
 * Replays the six AIO calls on a {@link LinuxAioSyscalls}: iocbs rebuilt in real memory from
 * strace's decoding (buffers keeping their recorded page offset, writes carrying the replay's
 * data pattern), trace context ids mapped to real ones, and each recorded io_getevents answered
 * with the completions it shows, matched as a multiset by aio_data, or by operation and result
 * where aio_data cannot tell requests apart.
 *
 * <p>Completions are reaped as the trace asks for them; one the kernel delivers earlier than the
 * trace did waits in a stash for the io_getevents that recorded it. A wait the trace shows
 * completing is given up to the wait limit, so a diverging replay reports instead of hanging.
 */
final class AioReplay implements AutoCloseable {
    private static final int EVENTS = 64;
    private static final long MAX_BUFFER = 256L << 20;
    private static final long MAX_UNSHOWN = 1 << 16;
    private static final long EFAULT = -LinuxNames.errnoNumber("EFAULT");
    private static final long EINVAL = -LinuxNames.errnoNumber("EINVAL");
    private static final long EINTR = -LinuxNames.errnoNumber("EINTR");
    private static final int O_DIRECT = 040000;
    private static final long POLLOUT = 0x4;

    private final LinuxAioSyscalls aio;
    private final CompletionPaths paths;
    private final boolean submitMayBlock;
    private final BufferPool pool;
    private final FdTable fds;
    private final TracePlan plan;
    private final ReplayReport report;
    private final long waitLimitNanos;
    private final AtomicLong epoch;
    private final Map<Long, Ctx> contexts = new HashMap<>();
    private final BufferPool.Lease events;
    private final BufferPool.Lease scratch; // ctx slot, timespec, cancel result, a spare iocb

    /** A context: the real id, the requests in flight (by iocb address), and completions reaped ahead of the trace. */
    private static final class Ctx {
        final long host;
        final Map<Long, InFlight> outstanding = new HashMap<>();
        final List<InFlight> stash = new ArrayList<>();

        Ctx(long host) {
            this.host = host;
        }
    }

    /** One submitted iocb and what it needs until it is reaped. */
    private static final class InFlight {
        final IocbId id;
        final TraceIocb iocb;
        final OpenFd fd;
        final BufferPool.Lease iocbMem;
        final List<BufferPool.Lease> leases = new ArrayList<>();
        final List<MemorySegment> data = new ArrayList<>(); // the data buffers in transfer order
        long seed;
        long streamAt = -1;
        FileContent.PendingWrite pendingWrite;
        long issuedAt;
        long submitNanos;
        long res;
        long res2;

        InFlight(IocbId id, TraceIocb iocb, OpenFd fd, BufferPool.Lease iocbMem) {
            this.id = id;
            this.iocb = iocb;
            this.fd = fd;
            this.iocbMem = iocbMem;
        }

        String op() {
            return AioStructs.opcodeName(iocb.opcode());
        }
    }

    AioReplay(ReplayTarget target, BufferPool pool, FdTable fds, TracePlan plan, ReplayReport report,
              long waitLimitNanos, AtomicLong epoch) {
        this.aio = target.aio();
        this.paths = target.paths();
        this.submitMayBlock = target.submitMayBlock();
        this.pool = pool;
        this.fds = fds;
        this.plan = plan;
        this.report = report;
        this.waitLimitNanos = waitLimitNanos;
        this.epoch = epoch;
        this.events = pool.zeroed(EVENTS * IoEvent.SIZE);
        this.scratch = pool.zeroed(256);
    }

    // ---- io_setup / io_destroy ----

    long ioSetup(CallArgs.IoSetup a) {
        MemorySegment slot = scratch.buffer().asSlice(0, 8);
        slot.set(ValueLayout.JAVA_LONG, 0, 0L);
        long r = aio.ioSetup(a.nrEvents(), slot.address());
        if (r == 0) contexts.put(a.ctx(), new Ctx(slot.get(ValueLayout.JAVA_LONG, 0)));
        return r;
    }

    long ioDestroy(CallArgs.IoDestroy a) {
        Ctx c = contexts.get(a.ctx());
        long r = aio.ioDestroy(c != null ? c.host : a.ctx());
        if (r == 0 && c != null) {
            contexts.remove(a.ctx());
            // io_destroy waited for them; what they did is not known to the trace, nor checked
            for (InFlight f : c.outstanding.values()) abandon(f);
            for (InFlight f : c.stash) release(f);
        }
        return r;
    }

    private long hostCtx(long traceCtx) {
        Ctx c = contexts.get(traceCtx);
        return c != null ? c.host : traceCtx;
    }

    // ---- io_submit ----

    long ioSubmit(TraceCall call, CallArgs.IoSubmit a) {
        Ctx ctx = contexts.get(a.ctx());
        int n = (int) Math.min(Math.max(a.nr(), 0), a.iocbs().size());
        List<InFlight> built = new ArrayList<>(n);
        BufferPool.Lease ptrs = pool.zeroed(Math.max(8, 8L * n));
        try {
            for (int i = 0; i < n; i++) {
                InFlight f = build(call, i, a.iocbs().get(i));
                built.add(f);
                ptrs.buffer().setAtIndex(ValueLayout.JAVA_LONG, i, f.iocbMem.address());
            }
            List<Integer> unblocked = submitMayBlock ? unblockStreams(built) : List.of();
            long now = System.nanoTime();
            long r;
            try {
                r = aio.ioSubmit(ctx != null ? ctx.host : a.ctx(), a.nr() < 0 ? a.nr() : n, ptrs.address());
            } finally {
                for (int fd : unblocked) HostIo.setNonBlocking(fd, false);
            }
            for (int i = 0; i < built.size(); i++) {
                InFlight f = built.get(i);
                if (i < r && ctx != null) {
                    f.submitNanos = now;
                    ctx.outstanding.put(f.iocbMem.address(), f);
                } else {
                    if (f.pendingWrite != null) f.fd.file().complete(f.pendingWrite, 0, f.seed, epoch.incrementAndGet());
                    release(f);
                }
            }
            return r;
        } finally {
            pool.release(ptrs);
        }
    }

    /**
     * The kernel runs a read or write on a pipe or socket inside io_submit, and on a blocking fd
     * waits there for data or room. What let such a wait end in the trace (another thread's
     * write) comes later in a one-thread replay, so the fds are made non-blocking for the submit:
     * a request that cannot go on completes with EAGAIN, a difference, instead of a hang.
     */
    private static List<Integer> unblockStreams(List<InFlight> iocbs) {
        List<Integer> changed = new ArrayList<>();
        for (InFlight f : iocbs) {
            if (f.fd == null || !f.fd.stream() || !(f.iocb.reads() || f.iocb.writes()) || changed.contains(f.fd.host())) continue;
            FdInfo info = FdInfo.probeOrNull(f.fd.host(), new int[1]);
            if (info != null && !info.nonBlocking() && HostIo.setNonBlocking(f.fd.host(), true) == 0) changed.add(f.fd.host());
        }
        return changed;
    }

    private InFlight build(TraceCall call, int index, TraceIocb cb) {
        IocbId id = new IocbId(call.line(), index);
        Long forecast = plan.forecast().get(id);
        boolean writeSide = cb.writes() || (cb.opcode() == LinuxAioConstants.IOCB_CMD_POLL && cb.buf() != null && (cb.buf() & POLLOUT) != 0);
        OpenFd fd = fds.resolve(cb.fd(), writeSide ? FdTable.Use.WRITE : FdTable.Use.READ, call.line());
        InFlight f = new InFlight(id, cb, fd, pool.zeroed(Iocb.SIZE));
        f.seed = ((long) call.line() << 16) ^ index ^ 0x5DEECE66DL;
        f.issuedAt = epoch.incrementAndGet();
        long buf = 0;
        long nbytes = cb.nbytes();
        if (cb.opcode() == LinuxAioConstants.IOCB_CMD_POLL) {
            buf = cb.buf() != null ? cb.buf() : 0;
        } else if (cb.vectored()) {
            // strace prints an address, not the array, for an iocb the kernel would refuse: pass it on
            buf = cb.iov() != null ? iovecs(f, cb, forecast) : cb.buf() != null ? cb.buf() : 0;
        } else if (cb.reads() || cb.writes()) {
            buf = buffer(f, cb.buf(), cb.nbytes(), forecast, fd);
        } else if (cb.buf() != null) {
            buf = cb.buf();
        }
        if (cb.writes() && fd != null) fillWrite(f);
        int flags = cb.flags();
        int resfd = 0;
        FdRef resfdRef = cb.resfd();
        Integer hidden = plan.hiddenResfd().get(id);
        if (hidden != null) {
            flags |= LinuxAioConstants.IOCB_FLAG_RESFD;
            resfdRef = new FdRef(hidden, null);
        }
        if ((flags & LinuxAioConstants.IOCB_FLAG_RESFD) != 0 && resfdRef != null) {
            OpenFd r = fds.resolve(resfdRef, FdTable.Use.WRITE, call.line());
            resfd = r != null ? r.host() : -1;
        } else if (resfdRef != null) {
            resfd = resfdRef.fd();
        }
        int hostFd = fd != null ? fd.host() : -1; // EBADF, as the trace's fd was (or replay could not recreate it)
        writeIocb(f.iocbMem.buffer(), cb, hostFd, buf, nbytes, cb.offset(), flags, resfd);
        return f;
    }

    /** The iocb as strace decoded it, with the replay's fd, buffer and flags, over zeroed memory. */
    private static void writeIocb(MemorySegment m, TraceIocb cb, int hostFd, long buf, long nbytes, long offset, int flags, int resfd) {
        m.asSlice(0, Iocb.SIZE).fill((byte) 0);
        Iocb.aio_data(m, cb.data());
        Iocb.aio_key(m, cb.key());
        Iocb.aio_rw_flags(m, cb.rwFlags());
        Iocb.aio_lio_opcode(m, cb.opcode());
        Iocb.aio_reqprio(m, (short) cb.reqprio());
        Iocb.aio_fildes(m, hostFd);
        Iocb.aio_buf(m, buf);
        Iocb.aio_nbytes(m, nbytes);
        Iocb.aio_offset(m, offset);
        Iocb.aio_flags(m, flags);
        Iocb.aio_resfd(m, resfd);
    }

    /**
     * Memory for one buffer: the recorded page offset when strace printed the address; a page
     * boundary when it printed the data instead (an O_DIRECT write the trace saw fail with EINVAL
     * gets a misaligned one); an unmapped page when the trace's kernel answered EFAULT.
     */
    private long buffer(InFlight f, Long recorded, long len, Long forecast, OpenFd fd) {
        if (forecast != null && forecast == EFAULT) return pool.faultAddress();
        if (recorded != null && (recorded < BufferPool.PAGE || !ForeignMemory.inUserSpace(recorded, Math.max(len, 1)))) {
            return recorded; // null page or kernel address: bad on purpose, bad again
        }
        if (len < 0 || len > MAX_BUFFER) {
            // a negative (huge unsigned) count the kernel refuses, or more memory than a replay should take
            return recorded != null ? recorded : pool.faultAddress();
        }
        long pageOffset;
        if (recorded != null) pageOffset = recorded & (BufferPool.PAGE - 1);
        else pageOffset = forecast != null && forecast == EINVAL && fd != null && direct(fd) ? 1 : 0;
        BufferPool.Lease l = pool.lease(pageOffset, len);
        f.leases.add(l);
        f.data.add(l.buffer());
        return l.address();
    }

    private long iovecs(InFlight f, TraceIocb cb, Long forecast) {
        List<TraceIovec> iov = cb.iov();
        BufferPool.Lease arr = pool.zeroed(Math.max(1, iov.size()) * IoVec.LAYOUT.byteSize());
        f.leases.add(arr);
        for (int i = 0; i < iov.size(); i++) {
            TraceIovec v = iov.get(i);
            long base = buffer(f, v.base(), v.len(), forecast, f.fd);
            IoVec.set(arr.buffer(), i, base, v.len());
        }
        return arr.address();
    }

    private static boolean direct(OpenFd fd) {
        int[] err = new int[1];
        FdInfo info = FdInfo.probeOrNull(fd.host(), err);
        return info != null && (info.statusFlags() & O_DIRECT) != 0;
    }

    /** Fills a write's buffers with its pattern: at file offsets, or at the stream position it will land at. */
    private void fillWrite(InFlight f) {
        long total = 0;
        for (MemorySegment s : f.data) total += s.byteSize();
        long pos;
        if (f.fd.file() != null) {
            pos = f.iocb.offset();
            f.pendingWrite = f.fd.file().begin(pos, pos + total);
        } else if (f.fd.out() != null) {
            pos = f.fd.out().append(f.seed, total);
            f.streamAt = pos;
        } else {
            pos = 0;
        }
        for (MemorySegment s : f.data) {
            DataPattern.fill(s, f.seed, pos);
            pos += s.byteSize();
        }
    }

    // ---- io_getevents ----

    /** A recorded event waiting for its replayed completion; {@code event} null for one strace did not print. */
    private static final class Need {
        final TraceIoEvent event;
        final Matching matching;
        InFlight got;

        Need(TraceIoEvent event, Matching matching) {
            this.event = event;
            this.matching = matching;
        }

        /** Whether {@code f} can be this event: the same iocb address, or the same aio_data (and res, when {@code exact}). */
        boolean accepts(InFlight f, boolean exact) {
            if (matching == Matching.OBJ) return Long.valueOf(event.obj()).equals(f.iocb.address());
            return f.iocb.data() == event.data() && (!exact || f.res == event.res());
        }
    }

    /** The replayed result, and the events delivered (for --record). */
    record Reaped(long result, List<TraceIoEvent> events) {}

    Reaped ioGetevents(TraceCall call, CallArgs.IoGetevents a) {
        Ctx ctx = contexts.get(a.ctx());
        long recorded = call.outcome().value();
        if (recorded <= 0 || ctx == null) return realCall(call, a, ctx);
        List<Need> needs = new ArrayList<>();
        for (TraceIoEvent e : a.events()) {
            Matching m = knownAddress(ctx, e.obj()) ? Matching.OBJ
                    : uniqueData(ctx, e.data()) ? Matching.DATA : Matching.OPERATION_AND_RESULT;
            needs.add(new Need(e, m));
        }
        // events strace left out ("..."); a JSON trace may claim any count, so it is bounded by the ring's size
        long unshown = a.truncated() ? Math.min(recorded - a.events().size(), MAX_UNSHOWN) : 0;
        for (long i = 0; i < unshown; i++) needs.add(new Need(null, Matching.UNSHOWN));
        long deadline = System.nanoTime() + waitLimitNanos;
        while (true) {
            pair(ctx, needs, true);
            int open = 0, wild = 0;
            boolean hope = false;
            for (Need n : needs) {
                if (n.got != null) continue;
                if (n.event == null) wild++;
                else {
                    open++;
                    hope |= ctx.outstanding.values().stream().anyMatch(f -> n.accepts(f, false));
                }
            }
            if (open == 0 && ctx.stash.size() >= wild) break;
            if (ctx.outstanding.isEmpty() || (!hope && wild == 0)) break;
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            long r = harvest(ctx, call, Math.min(EVENTS, open + wild), left);
            if (r < 0 && r != EINTR) break;
        }
        pair(ctx, needs, false);
        List<TraceIoEvent> delivered = new ArrayList<>();
        long count = 0;
        for (Need n : needs) {
            if (n.got == null) {
                report.difference(new Difference(call.line(), call.call(), n.event == null ? "an event strace did not print"
                        : event(n.event), "none within " + waitLimitNanos / 1_000_000 + " ms",
                        "the completion the trace reaped here did not arrive"));
                continue;
            }
            count++;
            report.matched(n.matching);
            InFlight f = n.got;
            if (n.event != null && (f.res != n.event.res() || f.res2 != n.event.res2())) {
                report.difference(new Difference(call.line(), call.call(), event(n.event), "res=" + f.res + ", res2=" + f.res2,
                        f.op() + " submitted at line " + f.id.line()));
            }
            delivered.add(new TraceIoEvent(f.iocb.data(), n.event != null ? n.event.obj() : 0, f.res, f.res2));
        }
        return new Reaped(count, delivered);
    }

    /** Pairs needs with stashed completions: same aio_data (and, when {@code exact}, same res); unshown ones with any. */
    private void pair(Ctx ctx, List<Need> needs, boolean exact) {
        for (Need n : needs) {
            if (n.got != null || n.event == null) continue;
            for (Iterator<InFlight> it = ctx.stash.iterator(); it.hasNext(); ) {
                InFlight f = it.next();
                if (n.accepts(f, exact)) {
                    n.got = f;
                    it.remove();
                    break;
                }
            }
        }
        if (exact) return;
        for (Need n : needs) {
            if (n.got == null && n.event == null && !ctx.stash.isEmpty()) n.got = ctx.stash.removeFirst();
        }
    }

    private static boolean knownAddress(Ctx ctx, long obj) {
        Long o = obj;
        return ctx.outstanding.values().stream().anyMatch(f -> o.equals(f.iocb.address()))
                || ctx.stash.stream().anyMatch(f -> o.equals(f.iocb.address()));
    }

    private static boolean uniqueData(Ctx ctx, long data) {
        long k = ctx.outstanding.values().stream().filter(f -> f.iocb.data() == data).count()
                + ctx.stash.stream().filter(f -> f.iocb.data() == data).count();
        return k <= 1;
    }

    /** A recorded io_getevents that returned no events, or failed: the real call with the recorded arguments. */
    private Reaped realCall(TraceCall call, CallArgs.IoGetevents a, Ctx ctx) {
        long recorded = call.outcome().value();
        MemorySegment ts = scratch.buffer().asSlice(64, LinuxTimespec.SIZE);
        // never block without end: no timeout, or one the kernel would misread (a negative tv_nsec
        // waits forever on 6.x), becomes the wait limit
        long timeout = a.timeout() != null && a.timeout().valid() ? a.timeout().toNanos() : waitLimitNanos;
        LinuxTimespec.set(ts, Math.min(timeout, waitLimitNanos));
        long cap = Math.max(0, Math.min(a.nr(), EVENTS));
        long eventsAddr = recorded == EFAULT ? pool.faultAddress() : events.address();
        long r = getevents(call, ctx != null ? ctx.host : a.ctx(), a.minNr(), a.nr() > EVENTS ? cap : a.nr(), eventsAddr, ts.address());
        List<TraceIoEvent> got = new ArrayList<>();
        if (r > 0 && ctx != null) {
            got.addAll(collect(ctx, call, r));
            report.difference(new Difference(call.line(), call.call(), Outcome.describe(recorded), Long.toString(r),
                    "completions arrived that the trace's kernel had not finished by then (a timing difference)"));
        }
        return new Reaped(r, got);
    }

    /** Reaps at least one completion (up to {@code max}) into the stash; the syscall's result. */
    private long harvest(Ctx ctx, TraceCall call, long max, long timeoutNanos) {
        MemorySegment ts = scratch.buffer().asSlice(64, LinuxTimespec.SIZE);
        LinuxTimespec.set(ts, timeoutNanos);
        long r = getevents(call, ctx.host, 1, max, events.address(), ts.address());
        if (r > 0) collect(ctx, call, r);
        return r;
    }

    private long getevents(TraceCall call, long ctx, long min, long nr, long eventsAddr, long ts) {
        return call.call().equals("io_pgetevents") ? aio.ioPgetevents(ctx, min, nr, eventsAddr, ts, 0)
                : aio.ioGetevents(ctx, min, nr, eventsAddr, ts);
    }

    private List<TraceIoEvent> collect(Ctx ctx, TraceCall call, long n) {
        long now = System.nanoTime();
        List<TraceIoEvent> out = new ArrayList<>();
        MemorySegment ev = events.buffer();
        for (long i = 0; i < n; i++) {
            long obj = IoEvent.obj(ev, i);
            InFlight f = ctx.outstanding.remove(obj);
            if (f == null) {
                report.difference(new Difference(call.line(), call.call(), "no such completion", "an event for iocb 0x"
                        + Long.toHexString(obj), "the executor returned an iocb replay did not submit, or one twice"));
                continue;
            }
            f.res = IoEvent.res(ev, i);
            f.res2 = IoEvent.res2(ev, i);
            completed(f, now);
            ctx.stash.add(f);
            out.add(new TraceIoEvent(IoEvent.data(ev, i), 0, f.res, f.res2));
        }
        return out;
    }

    /** A request came back: its latency, its path, its data checked or recorded, its memory returned. */
    private void completed(InFlight f, long now) {
        report.latency("aio " + f.op(), now - f.submitNanos);
        report.completedBy(paths.pathOf(f.iocbMem.address()).orElse(null));
        long ticks = epoch.incrementAndGet();
        if (f.pendingWrite != null) {
            f.fd.file().complete(f.pendingWrite, Math.max(0, f.res), f.seed, ticks);
        } else if (f.streamAt >= 0 && f.res != f.iocb.transferLength()) {
            f.fd.out().markUnknown();
        } else if (f.iocb.reads() && f.res > 0 && f.fd != null) {
            checkRead(f);
        }
        release(f);
    }

    private void checkRead(InFlight f) {
        long left = f.res;
        long pos = f.iocb.offset();
        for (MemorySegment s : f.data) {
            if (left <= 0) break;
            MemorySegment part = s.asSlice(0, Math.min(left, s.byteSize()));
            if (f.fd.file() != null) {
                FileContent.Check c = f.fd.file().check(part, pos, f.issuedAt);
                report.bytesVerified += c.verified();
                if (!c.ok()) {
                    badData(f, "byte at file offset " + c.mismatchAt() + " is not " + c.expected());
                    return;
                }
            } else if (f.fd.in() != null) {
                long bad = f.fd.in().consume(part);
                if (bad >= 0) {
                    badData(f, "byte " + bad + " is not what was written into the stream");
                    return;
                }
                report.bytesVerified += part.byteSize();
            }
            pos += part.byteSize();
            left -= part.byteSize();
        }
    }

    private void badData(InFlight f, String what) {
        report.checksFailed++;
        report.difference(new Difference(f.id.line(), "io_submit", f.op() + " data as written", "different data",
                f.op() + " of iocb " + f.id.index() + ": " + what));
    }

    private void abandon(InFlight f) {
        if (f.pendingWrite != null) f.fd.file().abandon(f.pendingWrite, epoch.incrementAndGet());
        if (f.streamAt >= 0) f.fd.out().markUnknown();
        release(f);
    }

    private void release(InFlight f) {
        for (BufferPool.Lease l : f.leases) pool.release(l);
        f.leases.clear();
        f.data.clear();
        pool.release(f.iocbMem);
    }

    // ---- io_cancel ----

    /** The replayed result, and the result event when the kernel filled it (old kernels). */
    record Cancelled(long result, TraceIoEvent event) {}

    Cancelled ioCancel(TraceCall call, CallArgs.IoCancel a) {
        Ctx ctx = contexts.get(a.ctx());
        InFlight target = null;
        if (ctx != null) {
            for (InFlight f : ctx.outstanding.values()) {
                TraceIocb cb = f.iocb;
                boolean same = a.iocb().address() != null ? a.iocb().address().equals(cb.address())
                        : cb.data() == a.iocb().data() && cb.opcode() == a.iocb().opcode() && cb.fd().fd() == a.iocb().fd().fd();
                if (same && (target == null || f.submitNanos < target.submitNanos)) {
                    target = f;
                }
            }
        }
        MemorySegment result = scratch.buffer().asSlice(96, IoEvent.SIZE);
        long iocbAddr;
        if (target != null) {
            iocbAddr = target.iocbMem.address();
        } else {
            // not in flight here: an iocb the kernel does not know, as the trace's was by then
            MemorySegment spare = scratch.buffer().asSlice(128, Iocb.SIZE);
            OpenFd fd = fds.get(a.iocb().fd().fd());
            writeIocb(spare, a.iocb(), fd != null ? fd.host() : -1, 0, 0, 0, 0, 0);
            iocbAddr = spare.address();
        }
        long r = aio.ioCancel(ctx != null ? ctx.host : a.ctx(), iocbAddr, result.address());
        TraceIoEvent ev = null;
        if (r == 0 && target != null) {
            // kernels before 4.19 completed a cancelled request here instead of through the ring
            ctx.outstanding.remove(iocbAddr);
            target.res = IoEvent.res(result, 0);
            target.res2 = IoEvent.res2(result, 0);
            completed(target, System.nanoTime());
            ev = new TraceIoEvent(target.iocb.data(), 0, target.res, target.res2);
        }
        return new Cancelled(r, ev);
    }

    private static String event(TraceIoEvent e) {
        return "data=0x" + Long.toHexString(e.data()) + ", res=" + e.res() + (e.res2() != 0 ? ", res2=" + e.res2() : "");
    }

    @Override
    public void close() {
        for (Ctx c : contexts.values()) {
            aio.ioDestroy(c.host);
            for (InFlight f : c.outstanding.values()) abandon(f);
            for (InFlight f : c.stash) release(f);
        }
        contexts.clear();
        pool.release(events);
        pool.release(scratch);
    }
}
