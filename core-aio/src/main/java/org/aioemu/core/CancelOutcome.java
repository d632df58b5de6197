package org.aioemu.core;

/** The three answers to a cancel, as POSIX names them (AIO_CANCELED, AIO_NOTCANCELED, AIO_ALLDONE). */
public enum CancelOutcome {
    /** Every request asked for was cancelled. */
    CANCELED,
    /**
     * At least one request was running and cannot be stopped (it will complete normally), or it had
     * made partial progress and was completed with that count instead (FreeBSD's socket cancel).
     */
    NOT_CANCELED,
    /** Nothing was outstanding: every request asked for had already completed. */
    ALL_DONE;

    /** Combines per-request outcomes the way {@code aio_cancel(fd, NULL)} reports a whole fd. */
    CancelOutcome and(CancelOutcome other) {
        if (this == NOT_CANCELED || other == NOT_CANCELED) return NOT_CANCELED;
        if (this == CANCELED || other == CANCELED) return CANCELED;
        return ALL_DONE;
    }
}
