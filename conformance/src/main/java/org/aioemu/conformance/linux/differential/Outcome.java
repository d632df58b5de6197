package org.aioemu.conformance.linux.differential;

import org.aioemu.core.host.HostErrno;

/** How a return value or an event's res reads in a report. */
final class Outcome {
    /** What a call "returned" when it threw instead. */
    static final long THREW = Long.MIN_VALUE;

    private Outcome() {}

    static String describe(long v) {
        if (v == THREW) return "threw";
        if (v < 0 && v >= -4095) return v + " (" + HostErrno.name((int) -v) + ")";
        return Long.toString(v);
    }
}
