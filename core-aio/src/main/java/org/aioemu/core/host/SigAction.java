package org.aioemu.core.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/** The glibc {@code struct sigaction} taken by {@link HostIo#sigaction} (x86_64). */
public final class SigAction {
    /*
     * struct sigaction {
     *     void    (*sa_handler)(int);   // 0   (a union with sa_sigaction)
     *     sigset_t  sa_mask;            // 8   (glibc's sigset_t: 128 bytes)
     *     int       sa_flags;           // 136
     *     void    (*sa_restorer)(void); // 144 (glibc fills it in)
     * };                                // 152
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sa_handler"),
            MemoryLayout.sequenceLayout(16, JAVA_LONG).withName("sa_mask"),
            JAVA_INT.withName("sa_flags"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("sa_restorer"));

    private static final VarHandle HANDLER = LAYOUT.varHandle(groupElement("sa_handler"));
    private static final VarHandle FLAGS = LAYOUT.varHandle(groupElement("sa_flags"));

    private SigAction() {}

    /** Fills {@code act} with a handler at a raw address, an empty mask and {@code flags} (SA_*). */
    public static void set(MemorySegment act, long handler, int flags) {
        act.fill((byte) 0);
        HANDLER.set(act, 0L, handler);
        FLAGS.set(act, 0L, flags);
    }
}
