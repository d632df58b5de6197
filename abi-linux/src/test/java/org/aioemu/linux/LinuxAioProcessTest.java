package org.aioemu.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ABI end to end through raw addresses, in both submission modes. */
class LinuxAioProcessTest {
    static LinuxAioSystem system;
    @TempDir Path dir;

    @BeforeAll static void start() { system = LinuxAioSystem.start(); }
    @AfterAll static void stop() { system.close(); }

    @ParameterizedTest
    @EnumSource(LinuxSubmitMode.class)
    void writeReadPollCancelDestroy(LinuxSubmitMode mode) throws Exception {
        try (Arena arena = Arena.ofConfined(); LinuxAioProcess p = system.newProcess("t", mode)) {
            MemorySegment ctxp = arena.allocate(8);
            assertEquals(0, p.ioSetup(8, ctxp.address()));
            long ctx = ctxp.get(ValueLayout.JAVA_LONG, 0);
            MemorySegment ring = MemorySegment.ofAddress(ctx).reinterpret(32);
            assertEquals(LinuxAioConstants.AIO_RING_MAGIC, AioRingHeader.magic(ring));
            assertEquals(127, AioRingHeader.nr(ring));

            Path f = dir.resolve("f");
            Files.write(f, new byte[0]);
            int fd = HostIo.open(f.toString(), HostConstants.O_RDWR, 0);
            MemorySegment src = arena.allocateFrom("hello aio");
            MemorySegment dst = arena.allocate(64);
            MemorySegment iocbs = arena.allocate(Iocb.LAYOUT, 2);
            MemorySegment w = iocbs.asSlice(0, 64), r = iocbs.asSlice(64, 64);
            Iocb.aio_lio_opcode(w, LinuxAioConstants.IOCB_CMD_PWRITE);
            Iocb.aio_fildes(w, fd);
            Iocb.aio_buf(w, src.address());
            Iocb.aio_nbytes(w, 9);
            Iocb.aio_data(w, 0xdeadbeefL);
            Iocb.aio_key(w, 77);
            MemorySegment ptrs = arena.allocate(ValueLayout.JAVA_LONG, 2);
            ptrs.setAtIndex(ValueLayout.JAVA_LONG, 0, w.address());
            assertEquals(1, p.ioSubmit(ctx, 1, ptrs.address()));
            assertEquals(0, Iocb.aio_key(w), "aio_key is zeroed on submit (LNX-31)");
            MemorySegment events = arena.allocate(IoEvent.LAYOUT, 4);
            MemorySegment ts = arena.allocate(16);
            ts.set(ValueLayout.JAVA_LONG, 0, 5);
            assertEquals(1, p.ioGetevents(ctx, 1, 4, events.address(), ts.address()));
            assertEquals(0xdeadbeefL, IoEvent.data(events, 0));
            assertEquals(w.address(), IoEvent.obj(events, 0));
            assertEquals(9, IoEvent.res(events, 0));

            Iocb.aio_lio_opcode(r, LinuxAioConstants.IOCB_CMD_PREAD);
            Iocb.aio_fildes(r, fd);
            Iocb.aio_buf(r, dst.address());
            Iocb.aio_nbytes(r, 64);
            Iocb.aio_offset(r, 6);
            ptrs.setAtIndex(ValueLayout.JAVA_LONG, 0, r.address());
            assertEquals(1, p.ioSubmit(ctx, 1, ptrs.address()));
            assertEquals(1, p.ioGetevents(ctx, 1, 4, events.address(), ts.address()));
            assertEquals(3, IoEvent.res(events, 0), "short read at EOF");
            assertEquals("aio", dst.getString(0).substring(0, 3));

            int[] pipe = new int[2];
            HostIo.pipe2(pipe, 0);
            MemorySegment poll = arena.allocate(Iocb.LAYOUT);
            Iocb.aio_lio_opcode(poll, LinuxAioConstants.IOCB_CMD_POLL);
            Iocb.aio_fildes(poll, pipe[0]);
            Iocb.aio_buf(poll, HostConstants.POLLIN);
            ptrs.setAtIndex(ValueLayout.JAVA_LONG, 0, poll.address());
            assertEquals(1, p.ioSubmit(ctx, 1, ptrs.address()));
            ts.set(ValueLayout.JAVA_LONG, 0, 0);
            assertEquals(0, p.ioGetevents(ctx, 0, 4, events.address(), ts.address()));
            assertEquals(-LinuxErrno.EINPROGRESS, p.ioCancel(ctx, poll.address(), 0));
            ts.set(ValueLayout.JAVA_LONG, 0, 5);
            assertEquals(1, p.ioGetevents(ctx, 1, 4, events.address(), ts.address()));
            assertEquals(0, IoEvent.res(events, 0), "a cancelled poll completes with res 0");
            assertEquals(-LinuxErrno.EINVAL, p.ioCancel(ctx, poll.address(), 0), "second cancel");

            assertEquals(-LinuxErrno.EINVAL, p.ioSubmit(ctx, -1, ptrs.address()));
            assertEquals(-LinuxErrno.EFAULT, p.ioSubmit(ctx, 1, 0));
            assertEquals(0, p.ioDestroy(ctx));
            assertEquals(-LinuxErrno.EINVAL, p.ioDestroy(ctx));
            assertEquals(-LinuxErrno.EINVAL, p.ioSubmit(ctx, 0, 0));
            assertTrue(system.aioNr() == 0);
            HostIo.close(fd);
            HostIo.close(pipe[0]);
            HostIo.close(pipe[1]);
        }
    }
}
