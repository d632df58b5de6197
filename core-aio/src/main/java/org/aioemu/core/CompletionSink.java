package org.aioemu.core;

/**
 * Where an ABI receives completions: the Linux ring and eventfd, FreeBSD's done list, kevents and
 * signals, or a {@link CompletionQueue}. Called exactly once per request, on whichever thread
 * completed it (submitter, worker or poller), so it must be quick and must not block.
 * During a process rundown the request's {@code process().inRundown()} is true: that is the
 * ABI's cue to suppress notifications (FreeBSD's KAIO_RUNDOWN).
 */
@FunctionalInterface
public interface CompletionSink {
    void completed(Request request);
}
