package org.aioemu.conformance.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import org.aioemu.linux.AioRingHeader;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.LinuxAioSigset;
import org.aioemu.linux.LinuxTimespec;

/**
 * The Linux AIO structs as a C program sees them ({@code <linux/aio_abi.h>}, x86_64), for the
 * tests that play that program: named handles over abi-linux's layouts (modelled once, there).
 * Sharing them does not make the oracle agree with a wrong layout: the host kernel reads these
 * bytes in every differential run, and abi-linux's HostKernelAioTest checks each offset by
 * round-tripping requests through the kernel.
 */
public final class KernelLinuxAioLayouts {
    private KernelLinuxAioLayouts() {}

    public static final StructLayout IOCB = Iocb.LAYOUT;

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

    public static final StructLayout IO_EVENT = IoEvent.LAYOUT;

    public static final VarHandle EVENT_DATA = field(IO_EVENT, "data");
    public static final VarHandle EVENT_OBJ = field(IO_EVENT, "obj");
    public static final VarHandle EVENT_RES = field(IO_EVENT, "res");
    public static final VarHandle EVENT_RES2 = field(IO_EVENT, "res2");

    public static final StructLayout AIO_RING = AioRingHeader.LAYOUT;

    public static final VarHandle RING_ID = field(AIO_RING, "id");
    public static final VarHandle RING_NR = field(AIO_RING, "nr");
    public static final VarHandle RING_HEAD = field(AIO_RING, "head");
    public static final VarHandle RING_TAIL = field(AIO_RING, "tail");
    public static final VarHandle RING_MAGIC = field(AIO_RING, "magic");
    public static final VarHandle RING_COMPAT = field(AIO_RING, "compat_features");
    public static final VarHandle RING_INCOMPAT = field(AIO_RING, "incompat_features");
    public static final VarHandle RING_HEADER_LENGTH = field(AIO_RING, "header_length");

    public static final StructLayout TIMESPEC = LinuxTimespec.LAYOUT;

    public static final StructLayout AIO_SIGSET = LinuxAioSigset.LAYOUT;

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
