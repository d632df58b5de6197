package org.aioemu.linux.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.LinuxAioConstants;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxTimespec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host kernel binding, and the kernel's verdict on the iocb/io_event/timespec layouts the emulation decodes. */
class HostKernelAioTest {
    @TempDir Path dir;
    private final HostKernelAio aio = new HostKernelAio();

    @Test
    @DisplayName("the kernel's errors come back as -errno: bad context, zero events, unwritable context pointer")
    void errorsAreNegatedErrno() {
        assertEquals(-LinuxErrno.EINVAL, aio.ioDestroy(0));
        assertEquals(-LinuxErrno.EINVAL, aio.ioGetevents(0, 1, 1, 0, 0));
        assertEquals(-LinuxErrno.EINVAL, aio.ioSubmit(0, 1, 0));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ctx = a.allocate(8);
            assertEquals(-LinuxErrno.EINVAL, aio.ioSetup(0, ctx.address()), "nr_events 0");
            assertEquals(-LinuxErrno.EFAULT, aio.ioSetup(4, 8), "a context pointer in the null page");
        }
    }

    @Test
    @DisplayName("Iocb and IoEvent have <linux/aio_abi.h>'s offsets, and a PWRITE then PREAD built with them round-trips on the kernel")
    void layoutsDriveTheKernel() throws Exception {
        assertEquals(64, Iocb.SIZE);
        List<String> names = List.of("aio_data", "aio_key", "aio_rw_flags", "aio_lio_opcode", "aio_reqprio", "aio_fildes", "aio_buf",
                "aio_nbytes", "aio_offset", "aio_reserved2", "aio_flags", "aio_resfd");
        List<Long> offsets = List.of(0L, 8L, 12L, 16L, 18L, 20L, 24L, 32L, 40L, 48L, 56L, 60L);
        for (int i = 0; i < names.size(); i++) {
            assertEquals(offsets.get(i), Iocb.LAYOUT.byteOffset(PathElement.groupElement(names.get(i))), names.get(i));
        }
        assertEquals(32, IoEvent.SIZE);
        assertEquals(16, LinuxTimespec.SIZE);

        int fd = HostIo.open(dir.resolve("f").toString(), HostConstants.O_RDWR | HostConstants.O_CREAT, 0600);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ctxp = a.allocate(8), out = a.allocate(4096), in = a.allocate(4096);
            MemorySegment iocbs = a.allocate(Iocb.LAYOUT, 2), ptrs = a.allocate(16, 8), events = a.allocate(IoEvent.LAYOUT, 2);
            MemorySegment ts = a.allocate(LinuxTimespec.LAYOUT);
            LinuxTimespec.set(ts, 5_000_000_000L);
            assertEquals(0, aio.ioSetup(4, ctxp.address()));
            long ctx = ctxp.get(ValueLayout.JAVA_LONG, 0);
            for (int i = 0; i < 4096; i++) out.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7 + 3));
            MemorySegment w = iocbs.asSlice(0, Iocb.SIZE), r = iocbs.asSlice(Iocb.SIZE, Iocb.SIZE);
            roundTrip(ctx, w, 11, LinuxAioConstants.IOCB_CMD_PWRITE, fd, out, ptrs, events, ts);
            assertEquals(8192, org.aioemu.core.host.FdInfo.probe(fd).size(), "written at aio_offset");
            roundTrip(ctx, r, 12, LinuxAioConstants.IOCB_CMD_PREAD, fd, in, ptrs, events, ts);
            assertEquals(-1, in.mismatch(out));

            LinuxTimespec.set(ts, 20_000_000L);
            long t0 = System.nanoTime();
            assertEquals(0, aio.ioGetevents(ctx, 1, 2, events.address(), ts.address()), "nothing left: the timeout ends the wait");
            assertEquals(true, System.nanoTime() - t0 >= 15_000_000L, "the kernel read tv_nsec as 20 ms");
            assertEquals(0, aio.ioDestroy(ctx));
        } finally {
            HostIo.close(fd);
        }
    }

    /** Submits one 4 KiB request at offset 4096 built with Iocb's setters and checks its io_event field by field. */
    private void roundTrip(long ctx, MemorySegment cb, long data, int opcode, int fd, MemorySegment buf, MemorySegment ptrs,
                           MemorySegment events, MemorySegment ts) {
        Iocb.aio_data(cb, data);
        Iocb.aio_lio_opcode(cb, opcode);
        Iocb.aio_fildes(cb, fd);
        Iocb.aio_buf(cb, buf.address());
        Iocb.aio_nbytes(cb, 4096);
        Iocb.aio_offset(cb, 4096);
        ptrs.set(ValueLayout.JAVA_LONG, 0, cb.address());
        assertEquals(1, aio.ioSubmit(ctx, 1, ptrs.address()));
        assertEquals(1, aio.ioGetevents(ctx, 1, 2, events.address(), ts.address()));
        assertEquals(data, IoEvent.data(events, 0));
        assertEquals(cb.address(), IoEvent.obj(events, 0));
        assertEquals(4096, IoEvent.res(events, 0));
        assertEquals(0, IoEvent.res2(events, 0));
    }
}
