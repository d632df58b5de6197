package org.aioemu.conformance.linux;

import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PREAD;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PREADV;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PWRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxSubmitMode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cases of our own next to gVisor's BadIOVecs/BadOffset and libaio 4.t: the edges of io_submit's
 * buffer, iovec and offset checks, each expectation taken from the host kernel (6.18) with a C
 * probe of the same calls. The suites only try a kernel pointer and offset -1; these pin the
 * kernel's exact rules: access_ok's end of user space, MAX_RW_COUNT capping, the iovec count
 * being an unsigned int, and rw_verify_area's overflow check.
 */
class ProbedUserPointerChecksTest extends EmulatedLinuxCases {
    private static final long TOP = 0x7fff_ffff_f000L;   // TASK_SIZE_MAX

    private EmulatedProgram p;
    private long ctx;
    private int fd;

    /** io_setup(8) and a 10-byte file "0123456789". */
    private void fixture(LinuxSubmitMode mode) throws Exception {
        p = program(mode);
        ctx = p.setup(8);
        fd = p.open(Files.writeString(dir.resolve("f"), "0123456789"), HostConstants.O_RDWR);
    }

    /**
     * io_submit of one iocb, told as the kernel would show it: "io_submit -errno" when refused
     * (nothing queued then), or "res N" from its event when accepted.
     */
    private String submit(int opcode, int fd, long buf, long nbytes, long offset) {
        MemorySegment cb = IocbPrep.rw(p.iocb(), opcode, fd, buf, nbytes, offset);
        long rc = p.submit(ctx, cb);
        MemorySegment ev = p.events(1);
        if (rc != 1) {
            assertEquals(0, p.os.ioGetevents(ctx, 0, 1, ev.address(), p.timespec(0, 0)));
            return "io_submit " + rc;
        }
        assertEquals(1, p.getevents(ctx, 1, 1, ev, 5));
        return "res " + IoEvent.res(ev, 0);
    }

    private static String refused(int errno) {
        return "io_submit " + -errno;
    }

    private static String res(long n) {
        return "res " + n;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("aioemu LNX-35 (probed): access_ok ends user space at 0x7ffffffff000 for any length: a zero-byte read into a kernel address is EFAULT, (0x7ffffffff000, 0) runs with res 0, (0x7ffffffff000, 1) and (0x7fffffffffff, 0) are EFAULT")
    void userSpaceEndsAtTaskSizeMax(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        assertEquals(refused(LinuxErrno.EFAULT), submit(IOCB_CMD_PREAD, fd, EmulatedProgram.KERNEL_ADDRESS, 0, 0));
        assertEquals(res(0), submit(IOCB_CMD_PREAD, fd, TOP, 0, 0));
        assertEquals(refused(LinuxErrno.EFAULT), submit(IOCB_CMD_PREAD, fd, TOP, 1, 0));
        assertEquals(refused(LinuxErrno.EFAULT), submit(IOCB_CMD_PREAD, fd, TOP + 0xfff, 0, 0));
        assertEquals(refused(LinuxErrno.EFAULT), submit(IOCB_CMD_PWRITE, fd, 1L << 47, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("aioemu LNX-35 (probed): aio_nbytes past MAX_RW_COUNT is cut to it before access_ok: reads of 2^46 and 2^62 bytes into a 16-byte buffer of a 10-byte file run and read 10; 2^63 is EINVAL")
    void hugeCountIsCutBeforeAccessOk(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        MemorySegment buf = p.bytes(16);
        assertEquals(res(10), submit(IOCB_CMD_PREAD, fd, buf.address(), 1L << 46, 0));
        assertEquals(res(10), submit(IOCB_CMD_PREAD, fd, buf.address(), 1L << 62, 0));
        assertEquals("0123456789", new String(buf.asSlice(0, 10).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
        assertEquals(refused(LinuxErrno.EINVAL), submit(IOCB_CMD_PREAD, fd, buf.address(), 1L << 63, 0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("aioemu LNX-49 (probed): preadv checks every iov_len for a negative value before any base (EINVAL), cuts a single segment to MAX_RW_COUNT before access_ok (2^62 reads 10), checks several uncut (2 x 2^47, past the top of user space from any base, is EFAULT) and refuses a kernel base even of length 0")
    void iovecChecksInTheKernelsOrder(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        MemorySegment a = p.bytes(16), b = p.bytes(16);
        long negativeLast = iovecs(EmulatedProgram.KERNEL_ADDRESS, 1, a.address(), 1L << 63);
        assertEquals(refused(LinuxErrno.EINVAL), submit(IOCB_CMD_PREADV, fd, negativeLast, 2, 0));
        assertEquals(res(10), submit(IOCB_CMD_PREADV, fd, iovecs(a.address(), 1L << 62), 1, 0));
        assertEquals(refused(LinuxErrno.EFAULT), submit(IOCB_CMD_PREADV, fd, iovecs(a.address(), 1L << 47, b.address(), 1L << 47), 2, 0));
        assertEquals(refused(LinuxErrno.EFAULT), submit(IOCB_CMD_PREADV, fd, iovecs(0xffff_ffff_0000_0000L, 0), 1, 0));
        assertEquals(refused(LinuxErrno.EFAULT), submit(IOCB_CMD_PREADV, fd, iovecs(a.address(), 4, 0xffff_ffff_0000_0000L, 0), 2, 0));
        assertEquals(res(0), submit(IOCB_CMD_PREADV, fd, EmulatedProgram.KERNEL_ADDRESS, 0, 0), "no iovec to read");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("aioemu LNX-49 (probed): PREADV's aio_nbytes is taken as an unsigned int iovec count: 2^32 + 1 reads through one iovec, 2^32 reads none (res 0), 2^32 + 2000 is EINVAL")
    void iovecCountIsAnUnsignedInt(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        MemorySegment a = p.bytes(16), b = p.bytes(16);
        long iov = iovecs(a.address(), 1, b.address(), 1);
        assertEquals(res(1), submit(IOCB_CMD_PREADV, fd, iov, (1L << 32) + 1, 0));
        assertEquals(res(0), submit(IOCB_CMD_PREADV, fd, iov, 1L << 32, 0));
        assertEquals(refused(LinuxErrno.EINVAL), submit(IOCB_CMD_PREADV, fd, iov, (1L << 32) + 2000, 0));
        assertEquals('0', a.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(0, b.get(ValueLayout.JAVA_BYTE, 0), "only the first iovec was used");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("aioemu LNX-34 (probed): an offset the count would carry past LLONG_MAX is EINVAL at submit on files and pipes; a file read at LLONG_MAX-255 of 100 bytes runs (res 0) and a pipe read of 4 at LLONG_MAX-63 reads 4")
    void offsetPlusCountMustNotOverflow(LinuxSubmitMode mode) throws Exception {
        fixture(mode);
        MemorySegment buf = p.bytes(128);
        assertEquals(res(0), submit(IOCB_CMD_PREAD, fd, buf.address(), 100, Long.MAX_VALUE - 255));
        assertEquals(refused(LinuxErrno.EINVAL), submit(IOCB_CMD_PREAD, fd, buf.address(), 100, Long.MAX_VALUE - 63));
        assertEquals(refused(LinuxErrno.EINVAL), submit(IOCB_CMD_PWRITE, fd, buf.address(), 100, Long.MAX_VALUE - 63));
        assertEquals(res(0), submit(IOCB_CMD_PREAD, fd, buf.address(), 0, Long.MAX_VALUE));
        int[] pipe = p.pipe();
        assertEquals(8, HostIo.write(pipe[1], p.text("abcdefgh"), 8));
        assertEquals(refused(LinuxErrno.EINVAL), submit(IOCB_CMD_PREAD, pipe[0], buf.address(), 4, -1));
        assertEquals(res(4), submit(IOCB_CMD_PREAD, pipe[0], buf.address(), 4, Long.MAX_VALUE - 63));
        assertEquals(refused(LinuxErrno.EINVAL), submit(IOCB_CMD_PREAD, pipe[0], buf.address(), 100, Long.MAX_VALUE - 63));
        assertEquals(10, Files.size(dir.resolve("f")), "nothing was written");
    }

    /** struct iovec[] from raw (base, len) pairs. */
    private long iovecs(long... baseLen) {
        MemorySegment a = p.bytes(8L * baseLen.length);
        for (int i = 0; i < baseLen.length; i++) a.setAtIndex(ValueLayout.JAVA_LONG, i, baseLen[i]);
        return a.address();
    }
}
