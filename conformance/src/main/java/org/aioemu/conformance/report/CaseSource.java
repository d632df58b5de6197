package org.aioemu.conformance.report;

import java.util.Locale;

/**
 * The public suite a conformance case was ported from, read off the start of its display name
 * ("ltp io_submit01: ...", "gvisor aio.cc BadWrite: ...", "posix aio_read/2-1: ..."). Cases that
 * no public suite has are "aioemu".
 */
public enum CaseSource {
    GVISOR("gvisor", "gVisor test/syscalls/linux/aio.cc"),
    LTP("ltp", "LTP testcases/kernel/syscalls/io_*"),
    LIBAIO("libaio", "libaio harness"),
    FREEBSD("freebsd", "FreeBSD tests/sys/aio"),
    POSIX("posix", "Open POSIX test suite"),
    AIOEMU("aioemu", "aioemu's own cases");

    private final String prefix;
    private final String title;

    CaseSource(String prefix, String title) {
        this.prefix = prefix;
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** The source named by a display name, or null if it names none. */
    public static CaseSource of(String displayName) {
        String lower = displayName.toLowerCase(Locale.ROOT);
        for (CaseSource s : values()) {
            if (lower.startsWith(s.prefix + " ") || lower.startsWith(s.prefix + ":")) return s;
        }
        return null;
    }
}
