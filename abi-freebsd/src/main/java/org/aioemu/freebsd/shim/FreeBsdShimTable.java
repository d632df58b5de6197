package org.aioemu.freebsd.shim;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import org.aioemu.core.bridge.BridgeTable;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdKevent;
import org.aioemu.freebsd.FreeBsdSigevent;

/**
 * The FreeBSD shim's function table in libaioemu-freebsd.so (src/main/c/libaioemu_freebsd.c):
 * after the bridge's head, the words the C side fills for Java, then the upcall slots Java fills.
 *
 * <pre>
 * struct freebsd_table {
 *     struct aioemu_bridge head;                                   //   0 (BridgeTable.HEAD, 56 bytes)
 *     uint64_t layouts;       // 56 C: sizeof aiocb | sigevent << 16 | kevent << 32 | (_NSIG - 1) << 48
 *     int (*sigqueue)(int signo, int kind, long value, int tid);   //  64 C
 *     int (*withdraw)(int signo, long value);                      //  72 C
 *     int32_t *errno_map;     // 80 C: int32_t[128]; Java fills it, FreeBSD number -> host number
 *     long (*aio_read)(struct aiocb *);                            //  88 Java, slot 4
 *     ... aio_write, aio_readv, aio_writev, aio_mlock, aio_fsync, aio_error, aio_return,
 *     aio_suspend, aio_cancel, aio_waitcomplete, lio_listio, kqueue, kevent   // slots 5..17
 * };
 * </pre>
 */
final class FreeBsdShimTable {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            BridgeTable.HEAD.withName("head"),
            JAVA_LONG.withName("layouts"),
            ADDRESS.withName("sigqueue"),
            ADDRESS.withName("withdraw"),
            ADDRESS.withName("errno_map"));

    /** The upcall slots, in the C struct's order (slot numbers count from the end of the head). */
    static final int AIO_READ = 4, AIO_WRITE = 5, AIO_READV = 6, AIO_WRITEV = 7, AIO_MLOCK = 8, AIO_FSYNC = 9,
            AIO_ERROR = 10, AIO_RETURN = 11, AIO_SUSPEND = 12, AIO_CANCEL = 13, AIO_WAITCOMPLETE = 14,
            LIO_LISTIO = 15, KQUEUE = 16, KEVENT = 17;
    static final int SLOTS = 18;

    /** Size of the errno map the C side holds (FreeBSD errno values are below 128). */
    static final int ERRNO_MAP_SIZE = 128;

    private static final VarHandle LAYOUTS = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("layouts"));
    private static final VarHandle SIGQUEUE = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("sigqueue"));
    private static final VarHandle WITHDRAW = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("withdraw"));
    private static final VarHandle ERRNO_MAP = LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno_map"));

    private final MemorySegment table;

    @SuppressWarnings("restricted")
    FreeBsdShimTable(long address, long size) {
        if (size < LAYOUT.byteSize()) throw new IllegalArgumentException("the C table has only " + size + " bytes");
        this.table = MemorySegment.ofAddress(address).reinterpret(size);
    }

    /**
     * Refuses a shim library whose struct sizes differ from the layouts this jar parses (a
     * library and a jar from different builds would misread every aiocb).
     */
    void checkLayouts() {
        long w = (long) LAYOUTS.get(table, 0L);
        long aiocb = w & 0xffff, sigevent = (w >>> 16) & 0xffff, kevent = (w >>> 32) & 0xffff;
        if (aiocb != FreeBsdAiocb.SIZE || sigevent != FreeBsdSigevent.LAYOUT.byteSize() || kevent != FreeBsdKevent.SIZE) {
            throw new IllegalStateException("the shim's struct sizes (aiocb " + aiocb + ", sigevent " + sigevent + ", kevent "
                    + kevent + ") are not the emulation's (" + FreeBsdAiocb.SIZE + ", " + FreeBsdSigevent.LAYOUT.byteSize()
                    + ", " + FreeBsdKevent.SIZE + ")");
        }
    }

    /** The host's highest signal number (_NSIG - 1): what a sigevent may name. */
    int maxSignal() {
        return (int) (((long) LAYOUTS.get(table, 0L)) >>> 48);
    }

    /** int sigqueue(int signo, int kind, long value, int tid): 0 or -errno (host). */
    MethodHandle sigqueue() {
        return downcall(SIGQUEUE, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    /** int withdraw(int signo, long value): 1 if a pending signal was taken back. */
    MethodHandle withdraw() {
        return downcall(WITHDRAW, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    /** The C side's int32_t[128] FreeBSD-to-host errno map. */
    @SuppressWarnings("restricted")
    MemorySegment errnoMap() {
        return ((MemorySegment) ERRNO_MAP.get(table, 0L)).reinterpret(4L * ERRNO_MAP_SIZE);
    }

    private MethodHandle downcall(VarHandle slot, FunctionDescriptor fd) {
        MemorySegment fn = (MemorySegment) slot.get(table, 0L);
        if (fn.address() == 0) throw new IllegalStateException("the shim left a C function slot empty");
        return Linker.nativeLinker().downcallHandle(fn, fd);
    }
}
