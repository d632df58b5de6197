package org.aioemu.core.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** The SO_LINGER option value; {@code on} with 0 seconds makes close(2) reset the connection. */
public final class Linger {
    /*
     * struct linger {
     *     int l_onoff;    // 0
     *     int l_linger;   // 4: seconds
     * };                  // 8
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("l_onoff"),
            JAVA_INT.withName("l_linger"));

    private static final VarHandle ONOFF = LAYOUT.varHandle(groupElement("l_onoff"));
    private static final VarHandle SECONDS = LAYOUT.varHandle(groupElement("l_linger"));

    private Linger() {}

    public static MemorySegment of(SegmentAllocator a, boolean on, int seconds) {
        MemorySegment l = a.allocate(LAYOUT);
        ONOFF.set(l, 0L, on ? 1 : 0);
        SECONDS.set(l, 0L, seconds);
        return l;
    }
}
