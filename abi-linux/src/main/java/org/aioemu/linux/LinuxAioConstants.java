package org.aioemu.linux;

/** The Linux x86_64 AIO ABI's numbers (uapi linux/aio_abi.h and linux/fs.h, kernel 6.18). */
public final class LinuxAioConstants {
    private LinuxAioConstants() {}

    // enum { IOCB_CMD_PREAD = 0, ... } (4 was PREADX, removed; NOOP is defined but rejected)
    public static final int IOCB_CMD_PREAD = 0;
    public static final int IOCB_CMD_PWRITE = 1;
    public static final int IOCB_CMD_FSYNC = 2;
    public static final int IOCB_CMD_FDSYNC = 3;
    public static final int IOCB_CMD_POLL = 5;
    public static final int IOCB_CMD_NOOP = 6;
    public static final int IOCB_CMD_PREADV = 7;
    public static final int IOCB_CMD_PWRITEV = 8;

    public static final int IOCB_FLAG_RESFD = 1;
    public static final int IOCB_FLAG_IOPRIO = 1 << 1;

    // RWF_*: the mask the 6.18 kernel accepts (RWF_SUPPORTED); other bits are EOPNOTSUPP.
    public static final int RWF_HIPRI = 0x1;
    public static final int RWF_DSYNC = 0x2;
    public static final int RWF_SYNC = 0x4;
    public static final int RWF_NOWAIT = 0x8;
    public static final int RWF_APPEND = 0x10;
    public static final int RWF_NOAPPEND = 0x20;
    public static final int RWF_ATOMIC = 0x40;
    public static final int RWF_DONTCACHE = 0x80;
    public static final int RWF_NOSIGNAL = 0x100;
    public static final int RWF_SUPPORTED = 0x1ff;

    public static final int AIO_RING_MAGIC = 0xa10a10a1;
    public static final int AIO_RING_COMPAT_FEATURES = 1;
    public static final int AIO_RING_INCOMPAT_FEATURES = 0;
    /** The io_setup doubling must stay within 0x10000000 bytes of io_events. */
    public static final long MAX_RING_EVENTS = 0x10000000L / 32;
    /** /proc/sys/fs/aio-max-nr's default. */
    public static final long AIO_MAX_NR_DEFAULT = 0x10000;
    public static final int UIO_MAXIOV = 1024;
    public static final long SSIZE_MAX = Long.MAX_VALUE;
    /** INT_MAX & PAGE_MASK: the most one read or write moves; longer requests are cut to it. */
    public static final long MAX_RW_COUNT = 0x7fff_f000L;
    /** The end of user space for access_ok on x86_64 with 4-level paging (2^47 minus a page). */
    public static final long TASK_SIZE_MAX = 0x7fff_ffff_f000L;

    // ioprio: class in the top 3 bits of 16; NONE 0, RT 1, BE 2, IDLE 3
    public static final int IOPRIO_CLASS_SHIFT = 13;
    public static final int IOPRIO_CLASS_MAX = 3;

    /** What poll reports on a file without a ->poll method (a regular file): IN|OUT|RDNORM|WRNORM. */
    public static final int DEFAULT_POLLMASK = 0x1 | 0x4 | 0x40 | 0x100;

    /** Syscall numbers (x86_64). */
    public static final int SYS_IO_SETUP = 206;
    public static final int SYS_IO_DESTROY = 207;
    public static final int SYS_IO_GETEVENTS = 208;
    public static final int SYS_IO_SUBMIT = 209;
    public static final int SYS_IO_CANCEL = 210;
    public static final int SYS_IO_PGETEVENTS = 333;
}
