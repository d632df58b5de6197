package org.aioemu.linux.kernel;

import org.aioemu.core.host.HostIo;
import org.aioemu.linux.LinuxAioSyscalls;

/**
 * The host kernel's own Linux AIO, by raw system call (glibc wraps none of the io_* calls): the
 * oracle the emulation is compared with, and what {@code aioemu replay --on kernel} replays on.
 * Nothing is checked or translated on the way; a failure comes back as the negative errno, the
 * kernel ABI's own convention. Programs drive it with the same {@link org.aioemu.linux.Iocb} and
 * {@link org.aioemu.linux.IoEvent} layouts the emulation decodes, so the kernel itself checks
 * those layouts (HostKernelAioTest).
 *
 * <p>Contexts made through it belong to this JVM's address space, as they would to any program.
 */
public final class HostKernelAio implements LinuxAioSyscalls {
    // x86_64 <asm/unistd_64.h>
    private static final long SYS_IO_SETUP = 206;
    private static final long SYS_IO_DESTROY = 207;
    private static final long SYS_IO_GETEVENTS = 208;
    private static final long SYS_IO_SUBMIT = 209;
    private static final long SYS_IO_CANCEL = 210;
    private static final long SYS_IO_PGETEVENTS = 333;

    public HostKernelAio() {
        String arch = System.getProperty("os.arch");
        if (!"amd64".equals(arch) && !"x86_64".equals(arch)) {
            throw new UnsupportedOperationException("host kernel AIO uses x86_64 syscall numbers; this is " + arch);
        }
    }

    @Override
    public long ioSetup(int nrEvents, long ctxp) {
        // nr_events is an unsigned int in the kernel; only the low 32 bits are read either way
        return HostIo.syscall6(SYS_IO_SETUP, Integer.toUnsignedLong(nrEvents), ctxp, 0, 0, 0, 0);
    }

    @Override
    public long ioDestroy(long ctx) {
        return HostIo.syscall6(SYS_IO_DESTROY, ctx, 0, 0, 0, 0, 0);
    }

    @Override
    public long ioSubmit(long ctx, long nr, long iocbpp) {
        return HostIo.syscall6(SYS_IO_SUBMIT, ctx, nr, iocbpp, 0, 0, 0);
    }

    @Override
    public long ioCancel(long ctx, long iocb, long result) {
        return HostIo.syscall6(SYS_IO_CANCEL, ctx, iocb, result, 0, 0, 0);
    }

    @Override
    public long ioGetevents(long ctx, long minNr, long nr, long events, long timeout) {
        return HostIo.syscall6(SYS_IO_GETEVENTS, ctx, minNr, nr, events, timeout, 0);
    }

    @Override
    public long ioPgetevents(long ctx, long minNr, long nr, long events, long timeout, long usig) {
        return HostIo.syscall6(SYS_IO_PGETEVENTS, ctx, minNr, nr, events, timeout, usig);
    }

    @Override
    public String toString() {
        return "host kernel";
    }
}
