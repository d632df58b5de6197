package org.aioemu.conformance.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The Linux AIO structs as a C program sees them ({@code <linux/aio_abi.h>}, x86_64), for the
 * tests that play that program. This is deliberately the test's own copy, not the emulation's:
 * an oracle that borrowed the emulation's layouts would agree with a wrong layout.
 */
public final class KernelLinuxAioLayouts {
    private KernelLinuxAioLayouts() {}

    /*
     * struct iocb {
     *     __u64 aio_data;          //  0
     *     __u32 aio_key;           //  8  (little endian order)
     *     __kernel_rwf_t aio_rw_flags; // 12
     *     __u16 aio_lio_opcode;    // 16
     *     __s16 aio_reqprio;       // 18
     *     __u32 aio_fildes;        // 20
     *     __u64 aio_buf;           // 24
     *     __u64 aio_nbytes;        // 32
     *     __s64 aio_offset;        // 40
     *     __u64 aio_reserved2;     // 48
     *     __u32 aio_flags;         // 56
     *     __u32 aio_resfd;         // 60
     * };                           // 64
     */
    public static final StructLayout IOCB = MemoryLayout.structLayout(
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

    public static final VarHandle IOCB_DATA = field(IOCB, "aio_data");
    public static final VarHandle IOCB_KEY = field(IOCB, "aio_key");
    public static final VarHandle IOCB_RW_FLAGS = field(IOCB, "aio_rw_flags");
    public static final VarHandle IOCB_OPCODE = field(IOCB, "aio_lio_opcode");
    public static final VarHandle IOCB_REQPRIO = field(IOCB, "aio_reqprio");
    public static final VarHandle IOCB_FILDES = field(IOCB, "aio_fildes");
    public static final VarHandle IOCB_BUF = field(IOCB, "aio_buf");
    public static final VarHandle IOCB_NBYTES = field(IOCB, "aio_nbytes");
    public static final VarHandle IOCB_OFFSET = field(IOCB, "aio_offset");
    public static final VarHandle IOCB_RESERVED2 = field(IOCB, "aio_reserved2");
    public static final VarHandle IOCB_FLAGS = field(IOCB, "aio_flags");
    public static final VarHandle IOCB_RESFD = field(IOCB, "aio_resfd");

    /* struct io_event { __u64 data; __u64 obj; __s64 res; __s64 res2; };  // 32 */
    public static final StructLayout IO_EVENT = MemoryLayout.structLayout(
            JAVA_LONG.withName("data"),
            JAVA_LONG.withName("obj"),
            JAVA_LONG.withName("res"),
            JAVA_LONG.withName("res2"));

    public static final VarHandle EVENT_DATA = field(IO_EVENT, "data");
    public static final VarHandle EVENT_OBJ = field(IO_EVENT, "obj");
    public static final VarHandle EVENT_RES = field(IO_EVENT, "res");
    public static final VarHandle EVENT_RES2 = field(IO_EVENT, "res2");

    /*
     * struct aio_ring {   // fs/aio.c, at the address that is the ctx
     *     unsigned id; unsigned nr; unsigned head; unsigned tail;
     *     unsigned magic; unsigned compat_features; unsigned incompat_features;
     *     unsigned header_length;   // 32
     *     struct io_event io_events[];
     * };
     */
    public static final StructLayout AIO_RING = MemoryLayout.structLayout(
            JAVA_INT.withName("id"),
            JAVA_INT.withName("nr"),
            JAVA_INT.withName("head"),
            JAVA_INT.withName("tail"),
            JAVA_INT.withName("magic"),
            JAVA_INT.withName("compat_features"),
            JAVA_INT.withName("incompat_features"),
            JAVA_INT.withName("header_length"));

    public static final VarHandle RING_ID = field(AIO_RING, "id");
    public static final VarHandle RING_NR = field(AIO_RING, "nr");
    public static final VarHandle RING_HEAD = field(AIO_RING, "head");
    public static final VarHandle RING_TAIL = field(AIO_RING, "tail");
    public static final VarHandle RING_MAGIC = field(AIO_RING, "magic");
    public static final VarHandle RING_COMPAT = field(AIO_RING, "compat_features");
    public static final VarHandle RING_INCOMPAT = field(AIO_RING, "incompat_features");
    public static final VarHandle RING_HEADER_LENGTH = field(AIO_RING, "header_length");

    /* struct timespec { time_t tv_sec; long tv_nsec; };  // 16 */
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));

    /* struct __aio_sigset { const sigset_t *sigmask; size_t sigsetsize; };  // 16 */
    public static final StructLayout AIO_SIGSET = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigmask"), JAVA_LONG.withName("sigsetsize"));

    // <linux/aio_abi.h>
    public static final int IOCB_CMD_PREAD = 0;
    public static final int IOCB_CMD_PWRITE = 1;
    public static final int IOCB_CMD_FSYNC = 2;
    public static final int IOCB_CMD_FDSYNC = 3;
    public static final int IOCB_CMD_POLL = 5;
    public static final int IOCB_CMD_NOOP = 6;
    public static final int IOCB_CMD_PREADV = 7;
    public static final int IOCB_CMD_PWRITEV = 8;
    public static final int IOCB_FLAG_RESFD = 1;
    public static final int IOCB_FLAG_IOPRIO = 2;
    public static final int AIO_RING_MAGIC = 0xa10a10a1;

    // <linux/fs.h>
    public static final int RWF_HIPRI = 0x1;
    public static final int RWF_DSYNC = 0x2;
    public static final int RWF_SYNC = 0x4;
    public static final int RWF_NOWAIT = 0x8;
    public static final int RWF_APPEND = 0x10;
    public static final int RWF_NOAPPEND = 0x20;
    public static final int RWF_ATOMIC = 0x40;
    public static final int RWF_DONTCACHE = 0x80;
    public static final int RWF_NOSIGNAL = 0x100;

    /** A user address the kernel's access_ok refuses (kernel text on x86_64). */
    public static final long KERNEL_ADDRESS = 0xffffffff81000000L;

    private static VarHandle field(StructLayout layout, String name) {
        // (segment, base offset) coordinates, so one handle serves every struct in an arena
        return layout.varHandle(groupElement(name));
    }

    /** Writes a whole iocb at {@code offset} of {@code seg}. */
    public static void writeIocb(MemorySegment seg, long offset, long data, int key, int rwFlags, int opcode,
                                 int reqprio, int fd, long buf, long nbytes, long fileOffset, long reserved2,
                                 int flags, int resfd) {
        IOCB_DATA.set(seg, offset, data);
        IOCB_KEY.set(seg, offset, key);
        IOCB_RW_FLAGS.set(seg, offset, rwFlags);
        IOCB_OPCODE.set(seg, offset, (short) opcode);
        IOCB_REQPRIO.set(seg, offset, (short) reqprio);
        IOCB_FILDES.set(seg, offset, fd);
        IOCB_BUF.set(seg, offset, buf);
        IOCB_NBYTES.set(seg, offset, nbytes);
        IOCB_OFFSET.set(seg, offset, fileOffset);
        IOCB_RESERVED2.set(seg, offset, reserved2);
        IOCB_FLAGS.set(seg, offset, flags);
        IOCB_RESFD.set(seg, offset, resfd);
    }
}
