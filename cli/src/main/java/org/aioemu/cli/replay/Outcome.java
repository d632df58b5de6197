package org.aioemu.cli.replay;

import org.aioemu.core.host.HostErrno;

/**
 * What a call returned: {@code value} >= 0, or -errno; null when the trace does not say (strace's
 * "= ?", a call cut short by the process's exit). {@code path} is the -y path of a returned fd.
 */
public record Outcome(Long value, String path) {
    public static final Outcome UNKNOWN = new Outcome(null, null);

    public boolean known() {
        return value != null;
    }

    public boolean failed() {
        return value != null && value < 0;
    }

    public boolean succeeded() {
        return value != null && value >= 0;
    }

    /** The errno name of a failure, e.g. "EAGAIN". */
    public String errno() {
        return failed() ? LinuxNames.errnoName((int) -value) : null;
    }

    @Override
    public String toString() {
        if (value == null) return "?";
        return failed() ? "-1 " + errno() : Long.toString(value);
    }

    static String describe(long value) {
        return value < 0 ? "-1 " + LinuxNames.errnoName((int) -value) + " (" + HostErrno.describe((int) -value) + ")"
                : Long.toString(value);
    }
}
