package org.aioemu.cli.replay;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The Linux AIO structs replay builds in real memory, x86_64 (include/uapi/linux/aio_abi.h).
 * Minimal and private to replay until abi-linux's own Iocb/IoEvent layouts are on main.
 */
final class ReplayLayouts {
    private ReplayLayouts() {}

    /*
     * struct iocb {
     *     __u64 aio_data;  __u32 aio_key; __kernel_rwf_t aio_rw_flags;   (little endian order)
     *     __u16 aio_lio_opcode; __s16 aio_reqprio; __u32 aio_fildes;
     *     __u64 aio_buf; __u64 aio_nbytes; __s64 aio_offset; __u64 aio_reserved2;
     *     __u32 aio_flags; __u32 aio_resfd;
     * };  // 64 bytes
     */
    static final StructLayout IOCB = MemoryLayout.structLayout(
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
            JAVA_INT.withName("aio_resfd"));

    private static final VarHandle DATA = field(IOCB, "aio_data");
    private static final VarHandle KEY = field(IOCB, "aio_key");
    private static final VarHandle RW_FLAGS = field(IOCB, "aio_rw_flags");
    private static final VarHandle OPCODE = field(IOCB, "aio_lio_opcode");
    private static final VarHandle REQPRIO = field(IOCB, "aio_reqprio");
    private static final VarHandle FILDES = field(IOCB, "aio_fildes");
    private static final VarHandle BUF = field(IOCB, "aio_buf");
    private static final VarHandle NBYTES = field(IOCB, "aio_nbytes");
    private static final VarHandle OFFSET = field(IOCB, "aio_offset");
    private static final VarHandle FLAGS = field(IOCB, "aio_flags");
    private static final VarHandle RESFD = field(IOCB, "aio_resfd");

    /* struct io_event { __u64 data; __u64 obj; __s64 res; __s64 res2; };  // 32 bytes */
    static final StructLayout IO_EVENT = MemoryLayout.structLayout(
            JAVA_LONG.withName("data"),
            JAVA_LONG.withName("obj"),
            JAVA_LONG.withName("res"),
            JAVA_LONG.withName("res2"));

    private static final VarHandle EV_DATA = field(IO_EVENT, "data");
    private static final VarHandle EV_OBJ = field(IO_EVENT, "obj");
    private static final VarHandle EV_RES = field(IO_EVENT, "res");
    private static final VarHandle EV_RES2 = field(IO_EVENT, "res2");

    /* struct timespec { time_t tv_sec; long tv_nsec; }; */
    static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_nsec"));

    private static final VarHandle TV_SEC = field(TIMESPEC, "tv_sec");
    private static final VarHandle TV_NSEC = field(TIMESPEC, "tv_nsec");

    /** The iocb fields strace shows, written over a zeroed 64-byte segment. */
    record IocbFields(long data, int key, int rwFlags, int opcode, int reqprio, int fd, long buf,
                      long nbytes, long offset, int flags, int resfd) {}

    static void writeIocb(MemorySegment iocb, IocbFields f) {
        iocb.asSlice(0, IOCB.byteSize()).fill((byte) 0);
        DATA.set(iocb, 0L, f.data());
        KEY.set(iocb, 0L, f.key());
        RW_FLAGS.set(iocb, 0L, f.rwFlags());
        OPCODE.set(iocb, 0L, (short) f.opcode());
        REQPRIO.set(iocb, 0L, (short) f.reqprio());
        FILDES.set(iocb, 0L, f.fd());
        BUF.set(iocb, 0L, f.buf());
        NBYTES.set(iocb, 0L, f.nbytes());
        OFFSET.set(iocb, 0L, f.offset());
        FLAGS.set(iocb, 0L, f.flags());
        RESFD.set(iocb, 0L, f.resfd());
    }

    static long eventData(MemorySegment events, long i) {
        return (long) EV_DATA.get(events, i * IO_EVENT.byteSize());
    }

    static long eventObj(MemorySegment events, long i) {
        return (long) EV_OBJ.get(events, i * IO_EVENT.byteSize());
    }

    static long eventRes(MemorySegment events, long i) {
        return (long) EV_RES.get(events, i * IO_EVENT.byteSize());
    }

    static long eventRes2(MemorySegment events, long i) {
        return (long) EV_RES2.get(events, i * IO_EVENT.byteSize());
    }

    static void setTimespec(MemorySegment ts, long nanos) {
        TV_SEC.set(ts, 0L, nanos / 1_000_000_000L);
        TV_NSEC.set(ts, 0L, nanos % 1_000_000_000L);
    }

    private static VarHandle field(StructLayout layout, String name) {
        return layout.varHandle(MemoryLayout.PathElement.groupElement(name));
    }
}
