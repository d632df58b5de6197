package org.aioemu.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * <pre>
 * struct __aio_sigset {           // io_pgetevents' last argument (include/uapi/linux/aio_abi.h)
 *     const sigset_t *sigmask;    //  0: NULL, or the mask for the wait
 *     size_t          sigsetsize; //  8: must be 8 when sigmask is set (LNX-66)
 * };                              // 16 bytes
 * </pre>
 */
public final class LinuxAioSigset {
    private LinuxAioSigset() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigmask"),
            JAVA_LONG.withName("sigsetsize")).withName("__aio_sigset");

    public static final long SIZE = LAYOUT.byteSize();

    /** The kernel's sizeof(sigset_t) on x86_64 (_NSIG / 8), the only sigsetsize it takes. */
    public static final long KERNEL_SIGSET_SIZE = 8;

    private static final VarHandle SIGMASK = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("sigmask"));
    private static final VarHandle SIGSETSIZE = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("sigsetsize"));

    public static long sigmask(MemorySegment s) { return (long) SIGMASK.get(s, 0L); }
    public static long sigsetsize(MemorySegment s) { return (long) SIGSETSIZE.get(s, 0L); }

    public static void set(MemorySegment s, long sigmask, long sigsetsize) {
        SIGMASK.set(s, 0L, sigmask);
        SIGSETSIZE.set(s, 0L, sigsetsize);
    }
}
