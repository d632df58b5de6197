package org.aioemu.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;

import org.aioemu.core.host.HostConstants;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.LinuxAioConstants;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxSubmitMode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LTP testcases/kernel/syscalls/io_submit: io_submit01.c (libaio, its nine tcases each a case
 * here), io_submit02.c and io_submit03.c (raw syscall) and io_submit04.c (RWF_NOWAIT). The
 * fixture is theirs: io_setup(1), a 100-byte buffer, "rdonly_file" opened O_RDONLY|O_CREAT and
 * "wronly_file" opened O_WRONLY|O_CREAT.
 */
class LtpIoSubmitTest extends EmulatedLinuxCases {
    private EmulatedProgram p;
    private long ctx;
    private MemorySegment buf;
    private int rdonlyFd, wronlyFd;

    private void fixture(LinuxSubmitMode mode) throws Exception {
        p = program(mode);
        ctx = p.setup(1);
        buf = p.bytes(100);
        rdonlyFd = p.open(Files.createFile(dir.resolve("rdonly_file")), HostConstants.O_RDONLY);
        wronlyFd = p.open(Files.createFile(dir.resolve("wronly_file")), HostConstants.O_WRONLY);
    }

    /**
     * io_submit(ctx, 1, {cb}) for a cb that must be refused, and proof that nothing was queued.
     * The kernel stores KIOCB_KEY (0) into aio_key after fget and before the opcode's own checks
     * (LNX-27, LNX-31), so a bad fd leaves a preset key alone while a wrong access mode, found
     * later by aio_read/aio_write, has already cleared it (probed on 6.18: 0x5a5a stays for
     * fd -1, becomes 0 for a write on an O_RDONLY fd).
     */
    private void refused(long expected, MemorySegment cb, boolean keyWritten) {
        Iocb.aio_key(cb, 0x5a5a);
        assertEquals(expected, p.submit(ctx, cb));
        assertEquals(keyWritten ? 0 : 0x5a5a, Iocb.aio_key(cb), "aio_key after the refusal (LNX-31)");
        assertNothingQueued();
    }

    private void assertNothingQueued() {
        assertEquals(0, p.os.ioGetevents(ctx, 0, 1, p.events(1).address(), p.timespec(0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit01: an invalid (NULL) ctx is -EINVAL")
    void invalidCtx(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        assertEquals(-LinuxErrno.EINVAL, p.os.ioSubmit(0, 1, p.list(p.iocb())));        // LNX-22
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit01: nr -1 is -EINVAL")
    void invalidNr(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        assertEquals(-LinuxErrno.EINVAL, p.os.ioSubmit(ctx, -1, p.list(p.iocb())));     // LNX-21
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit01: an iocbpp of (void *)-1 is -EFAULT")
    void invalidIocbpp(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSubmit(ctx, 1, -1L));                    // LNX-26
        assertNothingQueued();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit01: a NULL iocb pointer in the list is -EFAULT")
    void nullIocbPointer(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSubmit(ctx, 1, p.pointers(0L)));         // LNX-26
        assertNothingQueued();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit01: a read on fd -1 is -EBADF")
    void invalidFd(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        refused(-LinuxErrno.EBADF, IocbPrep.pread(p.iocb(), -1, buf, 0), false);                // LNX-27
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit01: a write on an O_RDONLY fd is -EBADF")
    void writeOnReadOnlyFd(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        refused(-LinuxErrno.EBADF, IocbPrep.pwrite(p.iocb(), rdonlyFd, buf, 0), true);         // LNX-32
        assertEquals(0, Files.size(dir.resolve("rdonly_file")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit01: a read on an O_WRONLY fd is -EBADF")
    void readOnWriteOnlyFd(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        refused(-LinuxErrno.EBADF, IocbPrep.pread(p.iocb(), wronlyFd, buf, 0), true);          // LNX-32
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit01: a zero-byte read is submitted (1) and completes with res 0")
    void zeroBufSize(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        MemorySegment cb = IocbPrep.pread(p.iocb(), rdonlyFd, buf.asSlice(0, 0), 0);
        assertEquals(1, p.submit(ctx, cb));
        MemorySegment ev = p.events(1);
        assertEquals(1, p.getevents(ctx, 1, 1, ev, 1));
        assertEquals(0, IoEvent.res(ev, 0));                                               // LNX-43
        assertEquals(cb.address(), IoEvent.obj(ev, 0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit01: nr 0 with a NULL iocbpp returns 0")
    void zeroNr(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        assertEquals(0, p.os.ioSubmit(ctx, 0, 0));                                        // LNX-23
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit02: raw io_submit returns the number submitted (a zero-byte read, reaped within 1 s) and 0 for nr 0 with NULL iocbpp")
    void returnsNumberSubmitted(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        MemorySegment cb = IocbPrep.pread(p.iocb(), rdonlyFd, buf.asSlice(0, 0), 0);
        assertEquals(1, p.submit(ctx, cb));
        MemorySegment ev = p.events(1);
        assertEquals(1, p.getevents(ctx, 1, 1, ev, 1));
        assertEquals(0, IoEvent.res(ev, 0));
        assertEquals(0, p.os.ioSubmit(ctx, 0, 0));
        assertNothingQueued();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit03: raw io_submit fails with EINVAL (bad ctx, nr -1), EFAULT (iocbpp -1, NULL iocb) and EBADF (fd -1, write on O_RDONLY, read on O_WRONLY)")
    void rawFailures(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        MemorySegment unused = p.iocb();
        assertEquals(-LinuxErrno.EINVAL, p.os.ioSubmit(0, 1, p.list(unused)));
        assertEquals(-LinuxErrno.EINVAL, p.os.ioSubmit(ctx, -1, p.list(unused)));
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSubmit(ctx, 1, -1L));
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSubmit(ctx, 1, p.pointers(0L)));
        refused(-LinuxErrno.EBADF, IocbPrep.pread(p.iocb(), -1, buf, 0), false);
        refused(-LinuxErrno.EBADF, IocbPrep.pwrite(p.iocb(), rdonlyFd, buf, 0), true);
        refused(-LinuxErrno.EBADF, IocbPrep.pread(p.iocb(), wronlyFd, buf, 0), true);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_submit04: an RWF_NOWAIT read of an empty blocking pipe is submitted and its event, within 1 s, has res -EAGAIN")
    void nowaitReadOfEmptyPipe(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        int[] pipe = p.pipe();
        MemorySegment cb = IocbPrep.pread(p.iocb(), pipe[0], buf, 0);
        Iocb.aio_rw_flags(cb, LinuxAioConstants.RWF_NOWAIT);
        long t0 = System.nanoTime();
        assertEquals(1, p.submit(ctx, cb));                                               // LNX-30: NOWAIT is supported on pipes
        MemorySegment ev = p.events(1);
        assertEquals(1, p.getevents(ctx, 1, 1, ev, 1));
        assertEquals(-LinuxErrno.EAGAIN, IoEvent.res(ev, 0));                             // LNX-48
        assertEquals(true, System.nanoTime() - t0 < 500_000_000L, "one non-blocking try, no wait");
    }
}
