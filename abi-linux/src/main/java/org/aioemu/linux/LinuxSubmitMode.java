package org.aioemu.linux;

/** How io_submit runs the requests of an emulated process. */
public enum LinuxSubmitMode {
    /**
     * Faithful to the host kernel: buffered file I/O and reads and writes on pipes and sockets run
     * inside io_submit on the caller's thread (blocking if they must, and already in the ring when
     * it returns); O_DIRECT and fsync run asynchronously on workers; polls wait for readiness.
     */
    LINUX,
    /** io_submit never blocks: a non-blocking attempt, then the worker pool or a readiness wait. */
    ASYNC
}
