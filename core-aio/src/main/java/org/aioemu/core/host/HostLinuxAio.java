package org.aioemu.core.host;

/**
 * The host kernel's Linux AIO system calls (glibc wraps none of them), by number, with the
 * kernel's convention: a non-negative result or the negative errno. The core hands O_DIRECT
 * work to the host's block layer through them ({@code BlockLayerQueue}); the Linux ABI's
 * differential oracle calls the same ones.
 */
public final class HostLinuxAio {
    // x86_64 <asm/unistd_64.h>
    private static final long SYS_IO_SETUP = 206;
    private static final long SYS_IO_DESTROY = 207;
    private static final long SYS_IO_GETEVENTS = 208;
    private static final long SYS_IO_SUBMIT = 209;
    private static final long SYS_IO_CANCEL = 210;
    private static final long SYS_IO_PGETEVENTS = 333;

    private HostLinuxAio() {}

    /** True where these syscall numbers mean what they say. */
    public static boolean supported() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) || "x86_64".equals(arch);
    }

    /** {@code io_setup(unsigned nr_events, aio_context_t *ctxp)}; nr_events is an unsigned int. */
    public static long ioSetup(int nrEvents, long ctxp) {
        return HostIo.syscall6(SYS_IO_SETUP, Integer.toUnsignedLong(nrEvents), ctxp, 0, 0, 0, 0);
    }

    public static long ioDestroy(long ctx) {
        return HostIo.syscall6(SYS_IO_DESTROY, ctx, 0, 0, 0, 0, 0);
    }

    /** {@code io_submit(ctx, nr, struct iocb **iocbpp)} */
    public static long ioSubmit(long ctx, long nr, long iocbpp) {
        return HostIo.syscall6(SYS_IO_SUBMIT, ctx, nr, iocbpp, 0, 0, 0);
    }

    public static long ioCancel(long ctx, long iocb, long result) {
        return HostIo.syscall6(SYS_IO_CANCEL, ctx, iocb, result, 0, 0, 0);
    }

    /** {@code io_getevents(ctx, min_nr, nr, struct io_event *events, struct timespec *timeout)}; timeout 0 = NULL, wait */
    public static long ioGetevents(long ctx, long minNr, long nr, long events, long timeout) {
        return HostIo.syscall6(SYS_IO_GETEVENTS, ctx, minNr, nr, events, timeout, 0);
    }

    public static long ioPgetevents(long ctx, long minNr, long nr, long events, long timeout, long usig) {
        return HostIo.syscall6(SYS_IO_PGETEVENTS, ctx, minNr, nr, events, timeout, usig);
    }
}
