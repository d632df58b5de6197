package org.aioemu.core;

/**
 * What an exiting process does with I/O still in flight. Whatever the policy, no write is torn:
 * a request that started runs to its end; only requests that had not started can be cancelled.
 */
public enum ExitPolicy {
    /** Stall the exit until every request has completed (Linux {@code exit_aio} for all but polls). */
    DRAIN,
    /** Cancel what waits (queued, parked on readiness, deferred fsync), then wait for what runs (FreeBSD {@code aio_proc_rundown}). */
    CANCEL_THEN_DRAIN,
    /** Return at once; requests finish in the background and their completions reach a sink in rundown. */
    DETACH
}
