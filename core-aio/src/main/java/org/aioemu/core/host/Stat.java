package org.aioemu.core.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** The host {@code struct stat} filled by {@link HostIo#fstat} (x86_64 glibc; other ABIs differ). */
public final class Stat {
    private static final StructLayout TIMESPEC = HostTimespec.LAYOUT;

    /*
     * struct stat {
     *     dev_t     st_dev;       // 0    unsigned long
     *     ino_t     st_ino;       // 8    unsigned long
     *     nlink_t   st_nlink;     // 16   unsigned long (before st_mode on x86_64 only)
     *     mode_t    st_mode;      // 24   unsigned int
     *     uid_t     st_uid;       // 28
     *     gid_t     st_gid;       // 32
     *     int       __pad0;       // 36
     *     dev_t     st_rdev;      // 40
     *     off_t     st_size;      // 48
     *     blksize_t st_blksize;   // 56   long
     *     blkcnt_t  st_blocks;    // 64   long, 512-byte units
     *     struct timespec st_atim;    // 72
     *     struct timespec st_mtim;    // 88
     *     struct timespec st_ctim;    // 104
     *     long __glibc_reserved[3];   // 120
     * };                              // 144
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("st_dev"),
            JAVA_LONG.withName("st_ino"),
            JAVA_LONG.withName("st_nlink"),
            JAVA_INT.withName("st_mode"),
            JAVA_INT.withName("st_uid"),
            JAVA_INT.withName("st_gid"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("st_rdev"),
            JAVA_LONG.withName("st_size"),
            JAVA_LONG.withName("st_blksize"),
            JAVA_LONG.withName("st_blocks"),
            TIMESPEC.withName("st_atim"),
            TIMESPEC.withName("st_mtim"),
            TIMESPEC.withName("st_ctim"),
            MemoryLayout.sequenceLayout(3, JAVA_LONG).withName("__glibc_reserved"));

    private static final VarHandle DEV = field("st_dev");
    private static final VarHandle INO = field("st_ino");
    private static final VarHandle MODE = field("st_mode");
    private static final VarHandle RDEV = field("st_rdev");
    private static final VarHandle SIZE = field("st_size");
    private static final VarHandle BLKSIZE = field("st_blksize");

    private Stat() {}

    public static int mode(MemorySegment stat) {
        return (int) MODE.get(stat);
    }

    public static long dev(MemorySegment stat) {
        return (long) DEV.get(stat);
    }

    public static long ino(MemorySegment stat) {
        return (long) INO.get(stat);
    }

    public static long size(MemorySegment stat) {
        return (long) SIZE.get(stat);
    }

    public static long rdev(MemorySegment stat) {
        return (long) RDEV.get(stat);
    }

    public static long blksize(MemorySegment stat) {
        return (long) BLKSIZE.get(stat);
    }

    // One struct, never an array: fix the layout handle's base-offset coordinate at 0.
    private static VarHandle field(String name) {
        return MethodHandles.insertCoordinates(LAYOUT.varHandle(groupElement(name)), 1, 0L);
    }
}
