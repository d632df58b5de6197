package org.aioemu.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.aioemu.core.AioException;
import org.aioemu.core.AioProcess;
import org.aioemu.core.ExitPolicy;
import org.aioemu.core.bridge.HostSignals;
import org.aioemu.core.host.ForeignMemory;

/**
 * One emulated Linux process's AIO: the six system calls with the kernel's signatures, raw
 * addresses in the program's memory, and the kernel's return convention (a result, or a negative
 * Linux errno). Contexts live in a per-process table; a context id is its ring's address, and
 * every call finds its context the kernel's way, by reading the ring's id from the program's
 * memory (LNX-11), so a ring the program has unmapped or protected is EINVAL, not a crash.
 */
public final class LinuxAioProcess implements LinuxAioSyscalls, AutoCloseable {
    private final LinuxAioSystem system;
    private final AioProcess core;
    private final LinuxSubmitMode mode;
    private final List<LinuxAioContext> table = new ArrayList<>();   // guarded by itself; index = ring id
    private volatile ExitPolicy exitPolicy = ExitPolicy.DRAIN;
    private volatile long spinNanos = 20_000;
    private volatile HostSignals hostSignals;

    LinuxAioProcess(LinuxAioSystem system, AioProcess core, LinuxSubmitMode mode) {
        this.system = system;
        this.core = core;
        this.mode = mode;
    }

    public LinuxSubmitMode mode() { return mode; }
    public AioProcess core() { return core; }

    /**
     * What exit and io_destroy do after cancelling the requests that wait (polls; in ASYNC mode
     * also parked socket and pipe requests): DRAIN is Linux's (wait for the rest),
     * CANCEL_THEN_DRAIN also cancels requests queued for a worker, DETACH returns at once.
     */
    public void setExitPolicy(ExitPolicy p) { exitPolicy = p; }

    /** How long io_getevents spins before it parks (a cross-CPU wakeup costs ~50 µs on these VMs). */
    public void setSpinNanos(long nanos) { spinNanos = nanos; }

    /**
     * The process is a real program's (the shim): a real signal pending for a thread waiting in
     * io_getevents/io_pgetevents, which the shim has blocked for the wait, ends the wait as
     * Linux's does (LNX-64, LNX-67). Without it (called from Java) the only signal is
     * {@link Thread#interrupt()}, which still works with it.
     */
    public void interruptWaitsOn(HostSignals signals) { hostSignals = signals; }

    // ---- io_setup ---------------------------------------------------------------------------------

    @Override
    public long ioSetup(int nrEvents, long ctxp) {
        MemorySegment cell = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG);
        if (ForeignMemory.copyIn(ctxp, cell, 8) < 0) return -LinuxErrno.EFAULT;        // LNX-1
        if (cell.get(ValueLayout.JAVA_LONG, 0) != 0 || nrEvents == 0) return -LinuxErrno.EINVAL;
        long nr = Integer.toUnsignedLong(nrEvents);
        long doubled = (Math.max(nr, 4L * system.possibleCpus()) * 2) & 0xffff_ffffL;   // unsigned int arithmetic
        if (doubled > LinuxAioConstants.MAX_RING_EVENTS) return -LinuxErrno.EINVAL;   // LNX-3
        if (doubled == 0 || nr > system.aioMaxNr()) return -LinuxErrno.EAGAIN;        // LNX-4
        if (core.inRundown()) return -LinuxErrno.EINVAL;
        if (!system.reserveContext(nr)) return -LinuxErrno.EAGAIN;                     // LNX-5
        int ringNr = LinuxRing.eventsFor(doubled);
        LinuxAioContext ctx;
        synchronized (table) {
            int id = table.indexOf(null);
            if (id < 0) id = table.size();
            Object made = LinuxRing.create(id, ringNr);
            if (made instanceof Integer err) {
                system.releaseContext(nr);
                return err == -LinuxErrno.ENOMEM ? err : -LinuxErrno.EAGAIN;
            }
            LinuxRing ring = (LinuxRing) made;
            ctx = new LinuxAioContext(id, ring, nr, LinuxAioContext.capacityFor(ringNr, system.possibleCpus()));
            try {
                ctx.core = core.newContext(ctx.capacity, ctx);
            } catch (AioException e) {
                ring.close();
                system.releaseContext(nr);
                return -LinuxErrno.of(e.error());
            }
            if (id == table.size()) table.add(ctx);
            else table.set(id, ctx);
        }
        cell.set(ValueLayout.JAVA_LONG, 0, ctx.ring.userAddress);
        if (ForeignMemory.copyOut(cell, ctxp, 8) < 0) {                                 // LNX-6: torn down again
            destroy(ctx);
            return -LinuxErrno.EFAULT;
        }
        return 0;
    }

    /** lookup_ioctx: the u32 id at the ctx address, read from the program's memory, names a table slot. */
    private LinuxAioContext lookup(long ctxId) {
        if (ctxId == 0) return null;
        MemorySegment id = Scratch.get().ringId;
        if (ForeignMemory.copyIn(ctxId, id, 4) < 0) return null;
        int slot = id.get(ValueLayout.JAVA_INT, 0);
        synchronized (table) {
            if (slot < 0 || slot >= table.size()) return null;
            LinuxAioContext ctx = table.get(slot);
            return ctx != null && ctx.ring.userAddress == ctxId && !ctx.isDead() ? ctx : null;
        }
    }

    // ---- io_destroy -------------------------------------------------------------------------------

    @Override
    public long ioDestroy(long ctxId) {
        LinuxAioContext ctx = lookup(ctxId);
        if (ctx == null) return -LinuxErrno.EINVAL;
        return destroy(ctx) ? 0 : -LinuxErrno.EINVAL;
    }

    /**
     * kill_ioctx, then the wait (LNX-15..19): the context dies at once for every other call,
     * aio-nr is given back before the wait, waiting polls are cancelled, and the call returns only
     * when no request can still write into the program's buffers. Unreaped events are dropped.
     */
    private boolean destroy(LinuxAioContext ctx) {
        if (!ctx.kill()) return false;
        synchronized (table) {
            table.set(ctx.id, null);
            while (!table.isEmpty() && table.getLast() == null) table.removeLast();
        }
        system.releaseContext(ctx.requested);
        ctx.core.cancelWaiting();
        ctx.core.destroy(exitPolicy, null);
        ctx.ring.close();
        return true;
    }

    // ---- io_submit --------------------------------------------------------------------------------

    @Override
    public long ioSubmit(long ctxId, long nr, long iocbpp) {
        if (nr < 0) return -LinuxErrno.EINVAL;                                          // LNX-21
        LinuxAioContext ctx = lookup(ctxId);
        if (ctx == null) return -LinuxErrno.EINVAL;                                     // LNX-22
        nr = Math.min(nr, ctx.ring.nr);                                                  // LNX-24
        boolean[] ok = new boolean[1];
        LinuxIoSubmit.Call call = new LinuxIoSubmit.Call();
        for (long i = 0; i < nr; i++) {
            long obj = ForeignMemory.readLong(iocbpp + 8 * i, ok);
            long rc = ok[0] ? LinuxIoSubmit.submitOne(ctx, mode, obj, call) : -LinuxErrno.EFAULT;
            if (rc < 0) return i > 0 ? i : rc;                                          // LNX-25
        }
        return nr;
    }

    // ---- io_cancel --------------------------------------------------------------------------------

    @Override
    public long ioCancel(long ctxId, long iocb, long result) {
        MemorySegment key = Arena.ofAuto().allocate(ValueLayout.JAVA_INT);
        if (ForeignMemory.copyIn(iocb + Iocb.AIO_KEY_OFFSET, key, 4) < 0) return -LinuxErrno.EFAULT;   // LNX-69
        if (key.get(ValueLayout.JAVA_INT, 0) != 0) return -LinuxErrno.EINVAL;                          // LNX-70
        LinuxAioContext ctx = lookup(ctxId);
        if (ctx == null) return -LinuxErrno.EINVAL;
        var r = ctx.oldestPoll(iocb);                                                   // LNX-71, 73
        if (r == null) return -LinuxErrno.EINVAL;
        return switch (ctx.core.cancel(r)) {
            case CANCELED -> -LinuxErrno.EINPROGRESS;                                   // LNX-72: the event comes through the ring
            default -> -LinuxErrno.EINVAL;
        };
    }

    // ---- io_getevents / io_pgetevents -------------------------------------------------------------

    @Override
    public long ioGetevents(long ctxId, long minNr, long nr, long events, long timeout) {
        long deadline = deadline(timeout);
        if (deadline == FAULT) return -LinuxErrno.EFAULT;                               // LNX-58: timeout first
        return getevents(ctxId, minNr, nr, events, deadline);
    }

    @Override
    public long ioPgetevents(long ctxId, long minNr, long nr, long events, long timeout, long usig) {
        long deadline = deadline(timeout);
        if (deadline == FAULT) return -LinuxErrno.EFAULT;
        if (usig != 0) {                                                                // LNX-66
            MemorySegment sig = Arena.ofAuto().allocate(LinuxAioSigset.LAYOUT);
            if (ForeignMemory.copyIn(usig, sig, LinuxAioSigset.SIZE) < 0) return -LinuxErrno.EFAULT;
            long sigmask = LinuxAioSigset.sigmask(sig);
            if (sigmask != 0) {
                if (LinuxAioSigset.sigsetsize(sig) != LinuxAioSigset.KERNEL_SIGSET_SIZE) return -LinuxErrno.EINVAL;
                if (ForeignMemory.copyIn(sigmask, sig, LinuxAioSigset.KERNEL_SIGSET_SIZE) < 0) return -LinuxErrno.EFAULT;   // only checked here: the shim applies the mask
            }
        }
        return getevents(ctxId, minNr, nr, events, deadline);
    }

    private long getevents(long ctxId, long minNr, long nr, long events, long deadline) {
        LinuxAioContext ctx = lookup(ctxId);
        if (ctx == null) return -LinuxErrno.EINVAL;
        if (minNr < 0 || minNr > nr) return -LinuxErrno.EINVAL;
        return ctx.getevents(minNr, nr, events, deadline, spinNanos, hostSignals);
    }

    private static final long FAULT = Long.MIN_VALUE;

    /**
     * The wait's end as a nanoTime deadline: none for a NULL timeout; the timespec is not
     * validated (LNX-62): its nanoseconds simply add up, and a negative total waits forever.
     */
    private static long deadline(long timeout) {
        if (timeout == 0) return Long.MAX_VALUE;
        MemorySegment ts = Scratch.get().timespec;
        if (ForeignMemory.copyIn(timeout, ts, LinuxTimespec.SIZE) < 0) return FAULT;
        long sec = LinuxTimespec.tv_sec(ts);
        long nsec = LinuxTimespec.tv_nsec(ts);
        long total;
        try {
            total = Math.addExact(Math.multiplyExact(sec, 1_000_000_000L), nsec);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        if (total < 0 || total > Long.MAX_VALUE / 4) return Long.MAX_VALUE;
        return System.nanoTime() + total;   // {0,0}: already past, so one pass and no wait (LNX-61)
    }

    // ---- process life -----------------------------------------------------------------------------

    /** fork(): the child has no AIO state; the parent's context ids are EINVAL there (LNX-10). */
    public LinuxAioProcess fork(String childName) {
        return system.newProcess(childName, mode);
    }

    /**
     * The exit policy at a program's exit (the in-process JVM's exit hook), leaving the contexts
     * usable: exit handlers the program registered earlier still run afterwards and may call
     * io_destroy. DRAIN cancels waiting polls (as exit_aio does) and waits for the rest;
     * CANCEL_THEN_DRAIN cancels whatever has not started, then waits; DETACH returns at once.
     */
    public void runExitPolicy() {
        switch (exitPolicy) {
            case DETACH -> { }
            case DRAIN -> {
                List<LinuxAioContext> live;
                synchronized (table) {
                    live = new ArrayList<>(table);
                }
                for (LinuxAioContext ctx : live) if (ctx != null) ctx.core.cancelWaiting();
                core.awaitQuiescent(null);
            }
            case CANCEL_THEN_DRAIN -> {
                core.cancelAll();
                core.awaitQuiescent(null);
            }
        }
    }

    /** Process exit (LNX-20): every context is destroyed the io_destroy way, with the process's policy. */
    public void exit() {
        List<LinuxAioContext> live;
        synchronized (table) {
            live = new ArrayList<>(table);
        }
        for (LinuxAioContext ctx : live) if (ctx != null) destroy(ctx);
        core.exit(exitPolicy, exitPolicy == ExitPolicy.DETACH ? Duration.ZERO : null);
    }

    @Override
    public void close() {
        exit();
    }
}
