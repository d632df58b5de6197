package org.aioemu.cli.replay;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import org.aioemu.linux.LinuxAioSyscalls;

/**
 * The host kernel's own Linux AIO, through {@code syscall(2)} (glibc has no wrappers for these),
 * so a trace can be replayed on the real thing: the reference the emulation is compared with.
 * x86_64 syscall numbers; errno captured per call and returned negated, as the kernel does.
 */
@SuppressWarnings("restricted") // binding syscall(2) is this class's purpose
public final class HostKernelAio implements LinuxAioSyscalls {
    // arch/x86/entry/syscalls/syscall_64.tbl
    private static final long SYS_IO_SETUP = 206;
    private static final long SYS_IO_DESTROY = 207;
    private static final long SYS_IO_GETEVENTS = 208;
    private static final long SYS_IO_SUBMIT = 209;
    private static final long SYS_IO_CANCEL = 210;
    private static final long SYS_IO_PGETEVENTS = 333;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    // long syscall(long number, ...): six variadic longs cover every call here; unused ones are ignored.
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("syscall").orElseThrow(() -> new UnsatisfiedLinkError("libc has no syscall")),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));

    public HostKernelAio() {
        String arch = System.getProperty("os.arch");
        if (!"amd64".equals(arch) && !"x86_64".equals(arch)) {
            throw new UnsupportedOperationException("host kernel AIO uses x86_64 syscall numbers; this is " + arch);
        }
    }

    @Override
    public long ioSetup(int nrEvents, long ctxp) {
        return call(SYS_IO_SETUP, Integer.toUnsignedLong(nrEvents), ctxp, 0, 0, 0, 0);
    }

    @Override
    public long ioDestroy(long ctx) {
        return call(SYS_IO_DESTROY, ctx, 0, 0, 0, 0, 0);
    }

    @Override
    public long ioSubmit(long ctx, long nr, long iocbpp) {
        return call(SYS_IO_SUBMIT, ctx, nr, iocbpp, 0, 0, 0);
    }

    @Override
    public long ioCancel(long ctx, long iocb, long result) {
        return call(SYS_IO_CANCEL, ctx, iocb, result, 0, 0, 0);
    }

    @Override
    public long ioGetevents(long ctx, long minNr, long nr, long events, long timeout) {
        return call(SYS_IO_GETEVENTS, ctx, minNr, nr, events, timeout, 0);
    }

    @Override
    public long ioPgetevents(long ctx, long minNr, long nr, long events, long timeout, long usig) {
        return call(SYS_IO_PGETEVENTS, ctx, minNr, nr, events, timeout, usig);
    }

    private static long call(long nr, long a, long b, long c, long d, long e, long f) {
        MemorySegment cs = CAPTURE.get();
        long rc;
        try {
            rc = (long) SYSCALL.invokeExact(cs, nr, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        return rc == -1 ? -cs.get(JAVA_INT, ERRNO_OFFSET) : rc;
    }
}
