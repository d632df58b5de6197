package org.aioemu.conformance.linux;

import org.aioemu.core.host.HostIo;
import org.aioemu.linux.LinuxAioSyscalls;

/**
 * The host kernel's own Linux AIO, called by raw system call: the oracle the emulation is
 * compared with. Nothing is checked or translated on the way; a failure comes back as the
 * negative errno, which is the kernel ABI's own convention.
 *
 * <p>Contexts made through it belong to this JVM's address space, as they would to any program.
 */
public final class KernelLinuxAio implements LinuxAioSyscalls {
    // x86_64 <asm/unistd_64.h>
    static final long SYS_IO_SETUP = 206;
    static final long SYS_IO_DESTROY = 207;
    static final long SYS_IO_GETEVENTS = 208;
    static final long SYS_IO_SUBMIT = 209;
    static final long SYS_IO_CANCEL = 210;
    static final long SYS_IO_PGETEVENTS = 333;

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
