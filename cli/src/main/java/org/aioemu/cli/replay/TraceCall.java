package org.aioemu.cli.replay;

/**
 * One traced system call. {@code line} is where it starts in the trace, {@code endLine} where its
 * result is (they differ when strace split it into "unfinished" and "resumed" lines). {@code thread}
 * is the pid/tid strace printed (0 without -f); {@code timeMicros} the -t/-tt/-ttt timestamp in
 * microseconds (of the day, or since the epoch for -ttt) and {@code durationMicros} the -T time,
 * each null when the trace was taken without that option.
 */
public record TraceCall(int line, int endLine, int thread, Long timeMicros, Long durationMicros,
                        String call, CallArgs args, Outcome outcome) {

    /** The same call with another outcome (a replay's record of what it got). */
    public TraceCall withOutcome(Outcome o, CallArgs a) {
        return new TraceCall(line, endLine, thread, timeMicros, durationMicros, call, a, o);
    }

    /** When the call's result was known: its start plus its duration, if the trace has both. */
    public Long endMicros() {
        if (timeMicros == null) return null;
        return durationMicros == null ? timeMicros : timeMicros + durationMicros;
    }
}
