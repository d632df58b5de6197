package org.aioemu.linux.shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.ServiceLoader;

import org.aioemu.core.AioError;
import org.aioemu.core.ExitPolicy;
import org.aioemu.core.bridge.BridgeEnv;
import org.aioemu.core.bridge.BridgeInstall;
import org.aioemu.core.bridge.BridgeTable;
import org.aioemu.core.bridge.ShimAbi;
import org.aioemu.linux.LinuxAioProcess;
import org.aioemu.linux.LinuxAioSyscalls;
import org.aioemu.linux.LinuxAioSystem;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxSubmitMode;

/**
 * Where libaioemu-linux.so enters the JVM: {@link #install} fills the shim's table (struct
 * linux_table in abi-linux/src/main/c/libaioemu_linux.c, slot order below) with upcall stubs to
 * this process's {@link LinuxAioProcess}. The C program's pointers arrive as raw addresses and
 * are read with the fault-safe copies of LinuxAioProcess, so a bad pointer is EFAULT.
 */
public final class LinuxShimEntry {
    private LinuxShimEntry() {}

    /** libaio's API; unmodified binaries linked with the system libaio also run (the shim preloaded). */
    public static final ShimAbi ABI = new ShimAbi("linux", LinuxShimEntry.class.getName(), java.util.List.of());

    /** Table slots after the head, in struct linux_table's order. */
    public static final int FLAGS = 0, SETUP = 1, DESTROY = 2, SUBMIT = 3, CANCEL = 4, GETEVENTS = 5, PGETEVENTS = 6, SLOTS = 7;
    /** The slots' C signatures: long (int, long), long (long), long (long, long, long) ... */
    public static final FunctionDescriptor SETUP_FD = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG),
            DESTROY_FD = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG),
            SUBMIT_FD = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            CANCEL_FD = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            GETEVENTS_FD = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            PGETEVENTS_FD = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    /** flags: the C side may answer libaio's zero-timeout empty-ring io_getevents itself. */
    static final long FAST_PATH_ALLOWED = 1;

    private static LinuxAioSyscalls calls;

    /** Called once by the C side on the JVM's start thread. */
    public static void install(long table, long size) {
        BridgeInstall.run("Linux AIO", () -> {
            BridgeTable t = new BridgeTable(table, size, SLOTS);
            LinuxAioSystem system = LinuxAioSystem.start();
            LinuxAioProcess process = system.newProcess("pid " + ProcessHandle.current().pid(), LinuxSubmitMode.LINUX);
            process.setExitPolicy(BridgeEnv.exitPolicy(ExitPolicy.DRAIN));
            process.interruptWaitsOn(t.hostSignals());   // the C side blocks signals for waits that may sleep
            String record = BridgeEnv.recordPath();
            calls = record == null ? process : recorder().recording(process, Path.of(record));
            t.putLong(FLAGS, record == null ? FAST_PATH_ALLOWED : 0);   // a recording sees every call
            var lookup = MethodHandles.lookup();
            long broken = -LinuxErrno.of(AioError.EIO);   // what a call that broke inside the JVM answers
            t.upcall(SETUP, lookup, "ioSetup", SETUP_FD, broken);
            t.upcall(DESTROY, lookup, "ioDestroy", DESTROY_FD, broken);
            t.upcall(SUBMIT, lookup, "ioSubmit", SUBMIT_FD, broken);
            t.upcall(CANCEL, lookup, "ioCancel", CANCEL_FD, broken);
            t.upcall(GETEVENTS, lookup, "ioGetevents", GETEVENTS_FD, broken);
            t.upcall(PGETEVENTS, lookup, "ioPgetevents", PGETEVENTS_FD, broken);
            t.onExit(process::runExitPolicy);
        });
    }

    private static LinuxCallRecorder recorder() {
        return ServiceLoader.load(LinuxCallRecorder.class).findFirst().orElseThrow(
                () -> new IllegalStateException(BridgeEnv.RECORD + " is set but no trace recorder is on the class path (it is in aioemu's cli jar)"));
    }

    static long ioSetup(int nrEvents, long ctxp) { return calls.ioSetup(nrEvents, ctxp); }
    static long ioDestroy(long ctx) { return calls.ioDestroy(ctx); }
    static long ioSubmit(long ctx, long nr, long iocbpp) { return calls.ioSubmit(ctx, nr, iocbpp); }
    static long ioCancel(long ctx, long iocb, long result) { return calls.ioCancel(ctx, iocb, result); }
    static long ioGetevents(long ctx, long minNr, long nr, long events, long timeout) {
        return calls.ioGetevents(ctx, minNr, nr, events, timeout);
    }
    static long ioPgetevents(long ctx, long minNr, long nr, long events, long timeout, long usig) {
        return calls.ioPgetevents(ctx, minNr, nr, events, timeout, usig);
    }
}
