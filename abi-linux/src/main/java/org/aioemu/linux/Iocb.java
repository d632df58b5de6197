package org.aioemu.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import org.aioemu.core.host.HostIocb;

/**
 * <pre>
 * struct iocb {                          // uapi linux/aio_abi.h, x86_64 (little endian)
 *     __u64   aio_data;                  //  0  echoed in io_event.data
 *     __u32   aio_key;                   //  8  set to KIOCB_KEY (0) by io_submit
 *     __kernel_rwf_t aio_rw_flags;       // 12  RWF_*
 *     __u16   aio_lio_opcode;            // 16  IOCB_CMD_*
 *     __s16   aio_reqprio;               // 18
 *     __u32   aio_fildes;                // 20
 *     __u64   aio_buf;                   // 24  buffer, iovec array, or poll mask
 *     __u64   aio_nbytes;                // 32  bytes, or iovec count
 *     __s64   aio_offset;                // 40
 *     __u64   aio_reserved2;             // 48  must be 0
 *     __u32   aio_flags;                 // 56  IOCB_FLAG_*
 *     __u32   aio_resfd;                 // 60
 * };                                     // 64 bytes
 * </pre>
 * Accessors read a copy taken with a fault-safe copy-in, never the program's memory in place.
 */
public final class Iocb {
    private Iocb() {}

    /** The guest's iocb is the host's (x86_64 Linux both): one layout, the core's. */
    public static final StructLayout LAYOUT = HostIocb.LAYOUT;

    public static final long SIZE = LAYOUT.byteSize();
    public static final long AIO_KEY_OFFSET = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("aio_key"));

    private static final VarHandle DATA = handle("aio_data");
    private static final VarHandle KEY = handle("aio_key");
    private static final VarHandle RW_FLAGS = handle("aio_rw_flags");
    private static final VarHandle OPCODE = handle("aio_lio_opcode");
    private static final VarHandle REQPRIO = handle("aio_reqprio");
    private static final VarHandle FILDES = handle("aio_fildes");
    private static final VarHandle BUF = handle("aio_buf");
    private static final VarHandle NBYTES = handle("aio_nbytes");
    private static final VarHandle OFFSET = handle("aio_offset");
    private static final VarHandle RESERVED2 = handle("aio_reserved2");
    private static final VarHandle FLAGS = handle("aio_flags");
    private static final VarHandle RESFD = handle("aio_resfd");

    private static VarHandle handle(String name) {
        return LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    public static long aio_data(MemorySegment s) { return (long) DATA.get(s, 0L); }
    public static int aio_key(MemorySegment s) { return (int) KEY.get(s, 0L); }
    public static int aio_rw_flags(MemorySegment s) { return (int) RW_FLAGS.get(s, 0L); }
    public static int aio_lio_opcode(MemorySegment s) { return Short.toUnsignedInt((short) OPCODE.get(s, 0L)); }
    public static short aio_reqprio(MemorySegment s) { return (short) REQPRIO.get(s, 0L); }
    public static int aio_fildes(MemorySegment s) { return (int) FILDES.get(s, 0L); }
    public static long aio_buf(MemorySegment s) { return (long) BUF.get(s, 0L); }
    public static long aio_nbytes(MemorySegment s) { return (long) NBYTES.get(s, 0L); }
    public static long aio_offset(MemorySegment s) { return (long) OFFSET.get(s, 0L); }
    public static long aio_reserved2(MemorySegment s) { return (long) RESERVED2.get(s, 0L); }
    public static int aio_flags(MemorySegment s) { return (int) FLAGS.get(s, 0L); }
    public static int aio_resfd(MemorySegment s) { return (int) RESFD.get(s, 0L); }

    public static void aio_data(MemorySegment s, long v) { DATA.set(s, 0L, v); }
    public static void aio_key(MemorySegment s, int v) { KEY.set(s, 0L, v); }
    public static void aio_rw_flags(MemorySegment s, int v) { RW_FLAGS.set(s, 0L, v); }
    public static void aio_lio_opcode(MemorySegment s, int v) { OPCODE.set(s, 0L, (short) v); }
    public static void aio_reqprio(MemorySegment s, short v) { REQPRIO.set(s, 0L, v); }
    public static void aio_fildes(MemorySegment s, int v) { FILDES.set(s, 0L, v); }
    public static void aio_buf(MemorySegment s, long v) { BUF.set(s, 0L, v); }
    public static void aio_nbytes(MemorySegment s, long v) { NBYTES.set(s, 0L, v); }
    public static void aio_offset(MemorySegment s, long v) { OFFSET.set(s, 0L, v); }
    public static void aio_reserved2(MemorySegment s, long v) { RESERVED2.set(s, 0L, v); }
    public static void aio_flags(MemorySegment s, int v) { FLAGS.set(s, 0L, v); }
    public static void aio_resfd(MemorySegment s, int v) { RESFD.set(s, 0L, v); }
}
