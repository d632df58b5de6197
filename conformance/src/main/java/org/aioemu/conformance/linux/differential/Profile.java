package org.aioemu.conformance.linux.differential;

/** What a sequence may rely on about the order in which one io_submit's iocbs run. */
public enum Profile {
    /**
     * The iocbs of a batch run in order, as buffered and pipe I/O do inside Linux's io_submit
     * (LNX-39), so a batch may write and then read the same file or pipe. For the host kernel
     * itself and the emulation's faithful {@code linux} mode.
     */
    IN_ORDER_BATCHES,
    /**
     * The iocbs of a batch may run concurrently (the emulation's {@code async} mode, or O_DIRECT on
     * Linux): a batch never holds two iocbs on one file object where either writes, consumes or
     * polls, since their outcome would depend on a race rather than on the implementation.
     */
    UNORDERED_BATCHES
}
