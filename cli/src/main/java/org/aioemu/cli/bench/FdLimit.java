package org.aioemu.cli.bench;

import org.aioemu.core.host.HostErrno;
import org.aioemu.core.host.HostIo;

/** This process's RLIMIT_NOFILE, raised on demand where the host allows it; says what it did. */
final class FdLimit {
    private final long initialSoft;
    private final long initialHard;
    private long soft;
    private long hard;
    private String refusal;

    private FdLimit(long soft, long hard) {
        this.initialSoft = this.soft = soft;
        this.initialHard = this.hard = hard;
    }

    static FdLimit current() {
        long[] lim = new long[2];
        int rc = HostIo.getrlimitNofile(lim);
        if (rc < 0) throw new IllegalStateException("getrlimit(RLIMIT_NOFILE): " + HostErrno.describe(rc));
        return new FdLimit(lim[0], lim[1]);
    }

    /**
     * True if {@code need} files fit, raising the soft limit (and the hard one, which takes
     * CAP_SYS_RESOURCE) when they do not yet. RLIM_INFINITY reads as -1.
     */
    boolean ensure(long need) {
        if (soft < 0 || soft >= need) return true;
        long newHard = hard >= 0 && hard < need ? need : hard;
        int rc = HostIo.setrlimitNofile(need, newHard);
        if (rc < 0) {
            refusal = "raising it to " + need + " failed: " + HostErrno.describe(rc);
            return false;
        }
        soft = need;
        hard = newHard;
        return true;
    }

    @Override
    public String toString() {
        String now = "open-file limit " + text(soft) + "/" + text(hard);
        if (soft != initialSoft || hard != initialHard) return now + " (raised from " + text(initialSoft) + "/" + text(initialHard) + ")";
        return refusal == null ? now : now + " (" + refusal + ")";
    }

    private static String text(long v) {
        return v < 0 ? "unlimited" : Long.toString(v);
    }
}
