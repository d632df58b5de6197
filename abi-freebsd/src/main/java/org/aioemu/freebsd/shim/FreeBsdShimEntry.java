package org.aioemu.freebsd.shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandles;

import org.aioemu.core.ExitPolicy;
import org.aioemu.core.bridge.BridgeEnv;
import org.aioemu.core.bridge.BridgeInstall;
import org.aioemu.core.bridge.BridgeTable;
import org.aioemu.core.bridge.ShimAbi;
import org.aioemu.freebsd.FreeBsdAioProcess;
import org.aioemu.freebsd.FreeBsdAioSystem;
import org.aioemu.freebsd.FreeBsdErrno;

/**
 * The Java end of libaioemu-freebsd.so: {@link #install} runs once per process (the C bootstrap
 * calls it on the JVM's start thread) and makes this process's emulated FreeBSD AIO (one
 * {@link FreeBsdAioSystem}, one {@link FreeBsdAioProcess} whose signals are the host's real ones),
 * then fills the C table with upcall stubs to the static methods below.
 *
 * <p>Each target answers the C side a result >= 0, or -(FreeBSD errno); the C side sets the
 * program's errno with the host's number for it. A Throwable never leaves an upcall (it would end
 * the program): it becomes one stderr line and EIO. Pointers arrive as raw addresses and are read
 * by the emulation with its fault-safe copies: a bad one is EFAULT.
 *
 * <p>Exit: the bridge calls the exit hook from exit(), _exit() or _Exit(); the process's AIO is
 * then run down with AIOEMU_EXIT_POLICY (FreeBSD's own rundown, cancel-then-drain, by default),
 * and the emulation stays usable for any exit handler that still calls in.
 */
public final class FreeBsdShimEntry {
    private FreeBsdShimEntry() {}

    /**
     * FreeBSD's &lt;aio.h&gt; and &lt;sys/event.h&gt; beside glibc's headers; the header is
     * force-included so every translation unit sees one struct sigevent (native-bridge.md §7).
     */
    public static final ShimAbi ABI = new ShimAbi("freebsd", FreeBsdShimEntry.class.getName(),
            java.util.List.of("-D_DEFAULT_SOURCE", "-include", "aio.h"));

    private static final long INTERNAL_ERROR = -FreeBsdErrno.EIO;
    private static final FunctionDescriptor P = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor IP = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG);
    private static volatile FreeBsdAioProcess proc;

    /** Called once by the C bootstrap with the shim's table (see {@link FreeBsdShimTable}). */
    public static void install(long table, long size) {
        BridgeInstall.run("FreeBSD", () -> fill(table, size));
    }

    private static void fill(long address, long size) {
        FreeBsdShimTable t = new FreeBsdShimTable(address, size);
        t.checkLayouts();
        FreeBsdHostErrno.fill(t.errnoMap());
        FreeBsdAioProcess p = FreeBsdAioSystem.start().newProcess("pid " + ProcessHandle.current().pid());
        p.setExitPolicy(BridgeEnv.exitPolicy(ExitPolicy.CANCEL_THEN_DRAIN), null);
        BridgeTable b = new BridgeTable(address, size, FreeBsdShimTable.SLOTS);
        p.deliverSignalsTo(new FreeBsdHostSignals(t.sigqueue(), t.withdraw(), b.hostSignals(), t.maxSignal()));
        proc = p;

        MethodHandles.Lookup l = MethodHandles.lookup();
        b.upcall(FreeBsdShimTable.AIO_READ, l, "aioRead", P, INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.AIO_WRITE, l, "aioWrite", P, INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.AIO_READV, l, "aioReadv", P, INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.AIO_WRITEV, l, "aioWritev", P, INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.AIO_MLOCK, l, "aioMlock", P, INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.AIO_FSYNC, l, "aioFsync", IP, INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.AIO_ERROR, l, "aioError", P, INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.AIO_RETURN, l, "aioReturn", P, INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.AIO_SUSPEND, l, "aioSuspend",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG), INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.AIO_CANCEL, l, "aioCancel", IP, INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.AIO_WAITCOMPLETE, l, "aioWaitcomplete",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.LIO_LISTIO, l, "lioListio",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG), INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.KQUEUE, l, "kqueue", FunctionDescriptor.of(JAVA_LONG), INTERNAL_ERROR);
        b.upcall(FreeBsdShimTable.KEVENT, l, "kevent",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG), INTERNAL_ERROR);
        b.onExit(p::exec);   // exec's rundown: the policy runs, the process goes on with no AIO state
    }

    /** libc's -1 with errno, as the C side wants it: -(FreeBSD errno). */
    private static long answer(long r) {
        return r == -1 ? -proc.errno() : r;
    }

    // ---- upcall targets (C: libaioemu_freebsd.c) ---------------------------------------------

    static long aioRead(long iocb) { return answer(proc.aio_read(iocb)); }
    static long aioWrite(long iocb) { return answer(proc.aio_write(iocb)); }
    static long aioReadv(long iocb) { return answer(proc.aio_readv(iocb)); }
    static long aioWritev(long iocb) { return answer(proc.aio_writev(iocb)); }
    static long aioMlock(long iocb) { return answer(proc.aio_mlock(iocb)); }
    static long aioFsync(int op, long iocb) { return answer(proc.aio_fsync(op, iocb)); }
    static long aioReturn(long iocb) { return answer(proc.aio_return(iocb)); }
    static long aioCancel(int fd, long iocb) { return answer(proc.aio_cancel(fd, iocb)); }
    static long aioSuspend(long list, int nent, long timeout) { return answer(proc.aio_suspend(list, nent, timeout)); }
    static long aioWaitcomplete(long iocbp, long timeout) { return answer(proc.aio_waitcomplete(iocbp, timeout)); }
    static long lioListio(int mode, long list, int nent, long sig) { return answer(proc.lio_listio(mode, list, nent, sig)); }
    static long kqueue() { return answer(proc.kqueue()); }

    static long kevent(int kq, long changes, int nchanges, long events, int nevents, long timeout) {
        return answer(proc.kevent(kq, changes, nchanges, events, nevents, timeout));
    }

    /** aio_error's value is an errno value, not a failure: passed as is (-1 only when the aiocb is unreadable). */
    static long aioError(long iocb) {
        return proc.aio_error(iocb);
    }
}
