package org.aioemu.freebsd;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * FreeBSD amd64 {@code struct aiocb} (160 bytes). The kernel copies it in whole at submission and
 * writes back only the three {@code _aiocb_private} words, at submission and when the job is reaped.
 * Vectored requests reuse {@code aio_buf}/{@code aio_nbytes} as {@code aio_iov}/{@code aio_iovcnt};
 * the iovec array is the host's {@code struct iovec} layout ({@link org.aioemu.core.host.IoVec}),
 * identical on FreeBSD amd64.
 */
public final class FreeBsdAiocb {
    /*
     * struct aiocb {                               // sys/sys/aio.h
     *     int     aio_fildes;                      //   0 (+4 padding)
     *     off_t   aio_offset;                      //   8
     *     volatile void *aio_buf;                  //  16  (aio_iov)
     *     size_t  aio_nbytes;                      //  24  (aio_iovcnt)
     *     int     __spare__[2];                    //  32
     *     void   *__spare2__;                      //  40
     *     int     aio_lio_opcode;                  //  48
     *     int     aio_reqprio;                     //  52
     *     struct __aiocb_private {
     *         long  status;                        //  56
     *         long  error;                         //  64
     *         void *kernelinfo;                    //  72
     *     } _aiocb_private;
     *     struct sigevent aio_sigevent;            //  80
     * };                                           // 160
     */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("aio_fildes"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("aio_offset"),
            JAVA_LONG.withName("aio_buf"),
            JAVA_LONG.withName("aio_nbytes"),
            MemoryLayout.sequenceLayout(2, JAVA_INT).withName("__spare__"),
            JAVA_LONG.withName("__spare2__"),
            JAVA_INT.withName("aio_lio_opcode"),
            JAVA_INT.withName("aio_reqprio"),
            MemoryLayout.structLayout(
                    JAVA_LONG.withName("status"),
                    JAVA_LONG.withName("error"),
                    JAVA_LONG.withName("kernelinfo")).withName("_aiocb_private"),
            FreeBsdSigevent.LAYOUT.withName("aio_sigevent"));

    public static final long SIZE = LAYOUT.byteSize();
    public static final long STATUS_OFFSET = LAYOUT.byteOffset(groupElement("_aiocb_private"), groupElement("status"));
    public static final long ERROR_OFFSET = LAYOUT.byteOffset(groupElement("_aiocb_private"), groupElement("error"));
    public static final long KERNELINFO_OFFSET = LAYOUT.byteOffset(groupElement("_aiocb_private"), groupElement("kernelinfo"));
    public static final long SIGEVENT_OFFSET = LAYOUT.byteOffset(groupElement("aio_sigevent"));

    private static final VarHandle FILDES = LAYOUT.varHandle(groupElement("aio_fildes"));
    private static final VarHandle OFFSET = LAYOUT.varHandle(groupElement("aio_offset"));
    private static final VarHandle BUF = LAYOUT.varHandle(groupElement("aio_buf"));
    private static final VarHandle NBYTES = LAYOUT.varHandle(groupElement("aio_nbytes"));
    private static final VarHandle OPCODE = LAYOUT.varHandle(groupElement("aio_lio_opcode"));
    private static final VarHandle REQPRIO = LAYOUT.varHandle(groupElement("aio_reqprio"));
    private static final VarHandle STATUS = LAYOUT.varHandle(groupElement("_aiocb_private"), groupElement("status"));
    private static final VarHandle ERROR = LAYOUT.varHandle(groupElement("_aiocb_private"), groupElement("error"));
    private static final VarHandle KERNELINFO = LAYOUT.varHandle(groupElement("_aiocb_private"), groupElement("kernelinfo"));

    private FreeBsdAiocb() {}

    /** The kernel's copy of a program's aiocb. */
    public record Value(int fildes, long offset, long buf, long nbytes, int opcode, int reqprio,
                        FreeBsdSigevent.Value sigevent) {
        public long iov() { return buf; }
        public long iovcnt() { return nbytes; }
    }

    public static Value read(MemorySegment s) {
        return new Value((int) FILDES.get(s, 0L), (long) OFFSET.get(s, 0L), (long) BUF.get(s, 0L),
                (long) NBYTES.get(s, 0L), (int) OPCODE.get(s, 0L), (int) REQPRIO.get(s, 0L),
                FreeBsdSigevent.read(s, SIGEVENT_OFFSET));
    }

    // Builders for programs and tests that lay out an aiocb in their own memory.
    public static void setFildes(MemorySegment s, int fd) { FILDES.set(s, 0L, fd); }
    public static void setOffset(MemorySegment s, long off) { OFFSET.set(s, 0L, off); }
    public static void setBuf(MemorySegment s, long addr) { BUF.set(s, 0L, addr); }
    public static void setNbytes(MemorySegment s, long n) { NBYTES.set(s, 0L, n); }
    public static void setIov(MemorySegment s, long addr) { BUF.set(s, 0L, addr); }
    public static void setIovcnt(MemorySegment s, long n) { NBYTES.set(s, 0L, n); }
    public static void setLioOpcode(MemorySegment s, int op) { OPCODE.set(s, 0L, op); }
    public static void setReqprio(MemorySegment s, int prio) { REQPRIO.set(s, 0L, prio); }

    public static long status(MemorySegment s) { return (long) STATUS.get(s, 0L); }
    public static long error(MemorySegment s) { return (long) ERROR.get(s, 0L); }
    public static long kernelinfo(MemorySegment s) { return (long) KERNELINFO.get(s, 0L); }
    public static int lioOpcode(MemorySegment s) { return (int) OPCODE.get(s, 0L); }

    /** The embedded sigevent, to fill in with {@link FreeBsdSigevent}'s setters. */
    public static MemorySegment sigevent(MemorySegment s) {
        return s.asSlice(SIGEVENT_OFFSET, FreeBsdSigevent.LAYOUT.byteSize());
    }
}
