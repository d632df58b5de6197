package org.aioemu.linux.kernel;

import org.aioemu.core.host.HostLinuxAio;
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
    public HostKernelAio() {
        if (!HostLinuxAio.supported()) {
            throw new UnsupportedOperationException("host kernel AIO uses x86_64 syscall numbers; this is " + System.getProperty("os.arch"));
        }
    }

    @Override
    public long ioSetup(int nrEvents, long ctxp) {
        return HostLinuxAio.ioSetup(nrEvents, ctxp);
    }

    @Override
    public long ioDestroy(long ctx) {
        return HostLinuxAio.ioDestroy(ctx);
    }

    @Override
    public long ioSubmit(long ctx, long nr, long iocbpp) {
        return HostLinuxAio.ioSubmit(ctx, nr, iocbpp);
    }

    @Override
    public long ioCancel(long ctx, long iocb, long result) {
        return HostLinuxAio.ioCancel(ctx, iocb, result);
    }

    @Override
    public long ioGetevents(long ctx, long minNr, long nr, long events, long timeout) {
        return HostLinuxAio.ioGetevents(ctx, minNr, nr, events, timeout);
    }

    @Override
    public long ioPgetevents(long ctx, long minNr, long nr, long events, long timeout, long usig) {
        return HostLinuxAio.ioPgetevents(ctx, minNr, nr, events, timeout, usig);
    }

    @Override
    public String toString() {
        return "host kernel";
    }
}
