package org.aioemu.linux;

/**
 * The six Linux AIO system calls with the kernel's signatures and return convention: a
 * non-negative result, or a negative Linux errno. Every pointer is a raw address in the calling
 * program's memory, exactly as a foreign program hands it over. Implemented by the emulation
 * (per emulated process) and, for differential testing, by the host kernel itself.
 */
public interface LinuxAioSyscalls {
    /** {@code io_setup(unsigned nr_events, aio_context_t *ctxp)} */
    long ioSetup(int nrEvents, long ctxp);

    /** {@code io_destroy(aio_context_t ctx)} */
    long ioDestroy(long ctx);

    /** {@code io_submit(aio_context_t ctx, long nr, struct iocb **iocbpp)} */
    long ioSubmit(long ctx, long nr, long iocbpp);

    /** {@code io_cancel(aio_context_t ctx, struct iocb *iocb, struct io_event *result)} */
    long ioCancel(long ctx, long iocb, long result);

    /** {@code io_getevents(aio_context_t ctx, long min_nr, long nr, struct io_event *events, struct timespec *timeout)} */
    long ioGetevents(long ctx, long minNr, long nr, long events, long timeout);

    /** {@code io_pgetevents(ctx, min_nr, nr, events, timeout, const struct __aio_sigset *usig)} */
    long ioPgetevents(long ctx, long minNr, long nr, long events, long timeout, long usig);
}
