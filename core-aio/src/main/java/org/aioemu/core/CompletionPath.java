package org.aioemu.core;

/** How a request reached its completion; reported per request and counted in {@link CoreStats}. */
public enum CompletionPath {
    /** The submitting thread completed it with a non-blocking attempt (the fast path, IOF_QUICK). */
    INLINE,
    /** The submitting thread ran it to the end, blocking if it had to (Linux buffered I/O in io_submit). */
    CALLER,
    /** A thread of the worker pool ran it (VFS work that may block). */
    WORKER,
    /** The host's block layer ran it (an O_DIRECT read or write handed over at submit; no thread waited). */
    DEVICE,
    /** It waited for readiness holding no thread, and the poller resumed and completed it. */
    CONTINUATION,
    /** It was cancelled before it ran. */
    CANCELLED
}
