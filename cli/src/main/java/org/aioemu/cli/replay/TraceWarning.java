package org.aioemu.cli.replay;

/** Something in a trace that was skipped or guessed at, with the trace line it concerns (0: the whole trace). */
public record TraceWarning(int line, String message) {
    @Override
    public String toString() {
        return line > 0 ? "line " + line + ": " + message : message;
    }
}
