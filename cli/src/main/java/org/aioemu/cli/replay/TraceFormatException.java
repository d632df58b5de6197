package org.aioemu.cli.replay;

/** A trace that cannot be read or replayed as written; carries the 1-based line of the trace at fault. */
public final class TraceFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;

    public TraceFormatException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
