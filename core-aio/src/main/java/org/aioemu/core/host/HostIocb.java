package org.aioemu.core.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The host's {@code struct iocb} and {@code struct io_event} (uapi linux/aio_abi.h, x86_64), as
 * the core fills and reads them for its own host context. The Linux ABI's guest structs are these
 * same layouts (x86_64 Linux both), with its own accessors for every field.
 * <pre>
 * struct iocb {                 struct io_event {
 *     __u64 aio_data;      //  0    __u64 data;   //  0  the iocb's aio_data
 *     __u32 aio_key;       //  8    __u64 obj;    //  8  the iocb's address
 *     __kernel_rwf_t aio_rw_flags; // 12  __s64 res; // 16  bytes or -errno
 *     __u16 aio_lio_opcode; // 16   __s64 res2;   // 24
 *     __s16 aio_reqprio;   // 18  };              // 32
 *     __u32 aio_fildes;    // 20
 *     __u64 aio_buf;       // 24  buffer, or iovec array
 *     __u64 aio_nbytes;    // 32  bytes, or iovec count
 *     __s64 aio_offset;    // 40
 *     __u64 aio_reserved2; // 48
 *     __u32 aio_flags;     // 56
 *     __u32 aio_resfd;     // 60
 * };                       // 64
 * </pre>
 */
public final class HostIocb {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("aio_data"),
            JAVA_INT.withName("aio_key"),
            JAVA_INT.withName("aio_rw_flags"),
            JAVA_SHORT.withName("aio_lio_opcode"),
            JAVA_SHORT.withName("aio_reqprio"),
            JAVA_INT.withName("aio_fildes"),
            JAVA_LONG.withName("aio_buf"),
            JAVA_LONG.withName("aio_nbytes"),
            JAVA_LONG.withName("aio_offset"),
            JAVA_LONG.withName("aio_reserved2"),
            JAVA_INT.withName("aio_flags"),
            JAVA_INT.withName("aio_resfd")).withName("iocb");

    public static final StructLayout EVENT_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("data"),
            JAVA_LONG.withName("obj"),
            JAVA_LONG.withName("res"),
            JAVA_LONG.withName("res2")).withName("io_event");

    // IOCB_CMD_*
    public static final int CMD_PREAD = 0;
    public static final int CMD_PWRITE = 1;
    public static final int CMD_POLL = 5;
    public static final int CMD_PREADV = 7;
    public static final int CMD_PWRITEV = 8;
    /** aio_flags: on completion, add 1 to the eventfd in aio_resfd. */
    public static final int FLAG_RESFD = 1;

    private static final VarHandle DATA = LAYOUT.arrayElementVarHandle(groupElement("aio_data"));
    private static final VarHandle RW_FLAGS = LAYOUT.arrayElementVarHandle(groupElement("aio_rw_flags"));
    private static final VarHandle OPCODE = LAYOUT.arrayElementVarHandle(groupElement("aio_lio_opcode"));
    private static final VarHandle FILDES = LAYOUT.arrayElementVarHandle(groupElement("aio_fildes"));
    private static final VarHandle BUF = LAYOUT.arrayElementVarHandle(groupElement("aio_buf"));
    private static final VarHandle NBYTES = LAYOUT.arrayElementVarHandle(groupElement("aio_nbytes"));
    private static final VarHandle OFFSET = LAYOUT.arrayElementVarHandle(groupElement("aio_offset"));
    private static final VarHandle FLAGS = LAYOUT.arrayElementVarHandle(groupElement("aio_flags"));
    private static final VarHandle RESFD = LAYOUT.arrayElementVarHandle(groupElement("aio_resfd"));
    private static final VarHandle EV_DATA = EVENT_LAYOUT.arrayElementVarHandle(groupElement("data"));
    private static final VarHandle EV_RES = EVENT_LAYOUT.arrayElementVarHandle(groupElement("res"));

    private HostIocb() {}

    /**
     * Fills iocb {@code index} of an array for one read or write; the fields not named here stay
     * as they are (zero in a fresh array: no key or priority).
     */
    public static void set(MemorySegment iocbs, long index, long data, int opcode, int fd, long buf, long nbytes,
                           long offset, int rwFlags, int flags, int resfd) {
        DATA.set(iocbs, 0L, index, data);
        RW_FLAGS.set(iocbs, 0L, index, rwFlags);
        OPCODE.set(iocbs, 0L, index, (short) opcode);
        FILDES.set(iocbs, 0L, index, fd);
        BUF.set(iocbs, 0L, index, buf);
        NBYTES.set(iocbs, 0L, index, nbytes);
        OFFSET.set(iocbs, 0L, index, offset);
        FLAGS.set(iocbs, 0L, index, flags);
        RESFD.set(iocbs, 0L, index, resfd);
    }

    public static long eventData(MemorySegment events, long index) {
        return (long) EV_DATA.get(events, 0L, index);
    }

    public static long eventRes(MemorySegment events, long index) {
        return (long) EV_RES.get(events, 0L, index);
    }
}
