package org.aioemu.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKernelAioTest {
    private static final long EINVAL = -LinuxNames.errnoNumber("EINVAL");
    private static final long EFAULT = -LinuxNames.errnoNumber("EFAULT");

    @TempDir Path dir;
    private final HostKernelAio aio = new HostKernelAio();

    @Test
    @DisplayName("the kernel's errors come back as -errno: bad context, zero events, unwritable context pointer")
    void errorsAreNegatedErrno() {
        assertEquals(EINVAL, aio.ioDestroy(0));
        assertEquals(EINVAL, aio.ioGetevents(0, 1, 1, 0, 0));
        assertEquals(EINVAL, aio.ioSubmit(0, 1, 0));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ctx = a.allocate(8);
            assertEquals(EINVAL, aio.ioSetup(0, ctx.address()), "nr_events 0");
            assertEquals(EFAULT, aio.ioSetup(4, 8), "a context pointer in the null page");
        }
    }

    @Test
    @DisplayName("ReplayLayouts' iocb and io_event have the kernel's offsets, and a PWRITE then PREAD built with them round-trips")
    void layoutsDriveTheKernel() {
        assertEquals(64, ReplayLayouts.IOCB.byteSize());
        List<String> names = List.of("aio_data", "aio_key", "aio_rw_flags", "aio_lio_opcode", "aio_reqprio", "aio_fildes", "aio_buf",
                "aio_nbytes", "aio_offset", "aio_reserved2", "aio_flags", "aio_resfd");
        List<Long> offsets = List.of(0L, 8L, 12L, 16L, 18L, 20L, 24L, 32L, 40L, 48L, 56L, 60L);
        for (int i = 0; i < names.size(); i++) {
            assertEquals(offsets.get(i), ReplayLayouts.IOCB.byteOffset(PathElement.groupElement(names.get(i))), names.get(i));
        }
        assertEquals(32, ReplayLayouts.IO_EVENT.byteSize());

        int fd = HostIo.open(dir.resolve("f").toString(), HostConstants.O_RDWR | HostConstants.O_CREAT, 0600);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ctxp = a.allocate(8), out = a.allocate(4096), in = a.allocate(4096);
            MemorySegment iocbs = a.allocate(128, 8), ptrs = a.allocate(16, 8), events = a.allocate(64, 8);
            assertEquals(0, aio.ioSetup(4, ctxp.address()));
            long ctx = ctxp.get(ValueLayout.JAVA_LONG, 0);
            DataPattern.fill(out, 7, 0);
            ReplayLayouts.writeIocb(iocbs, new ReplayLayouts.IocbFields(11, 0, 0, AioStructs.IOCB_CMD_PWRITE, 0, fd, out.address(),
                    4096, 0, 0, 0));
            ptrs.set(ValueLayout.JAVA_LONG, 0, iocbs.address());
            assertEquals(1, aio.ioSubmit(ctx, 1, ptrs.address()));
            assertEquals(1, aio.ioGetevents(ctx, 1, 2, events.address(), 0));
            assertEquals(11, ReplayLayouts.eventData(events, 0));
            assertEquals(iocbs.address(), ReplayLayouts.eventObj(events, 0));
            assertEquals(4096, ReplayLayouts.eventRes(events, 0));
            ReplayLayouts.writeIocb(iocbs.asSlice(64), new ReplayLayouts.IocbFields(12, 0, 0, AioStructs.IOCB_CMD_PREAD, 0, fd,
                    in.address(), 4096, 0, 0, 0));
            ptrs.set(ValueLayout.JAVA_LONG, 0, iocbs.address() + 64);
            assertEquals(1, aio.ioSubmit(ctx, 1, ptrs.address()));
            assertEquals(1, aio.ioGetevents(ctx, 1, 2, events.address(), 0));
            assertEquals(4096, ReplayLayouts.eventRes(events, 0));
            assertEquals(-1, DataPattern.mismatch(in, 7, 0));
            assertEquals(0, aio.ioDestroy(ctx));
        } finally {
            HostIo.close(fd);
        }
    }
}
