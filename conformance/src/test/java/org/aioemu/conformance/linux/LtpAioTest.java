package org.aioemu.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.aioemu.core.host.HostConstants;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxSubmitMode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LTP testcases/kernel/io/aio: aio01.c (six timed blocks of one-at-a-time I/O through an
 * io_queue_init(1) context, each block a case here) and aio02.c (six tcases of 32 x 64 KiB
 * writes or reads in one io_submit, reaped by io_getevents(1, 32, 30 s) callbacks that check
 * res == nbytes and res2 == 0). The timings they print are not ported; the results are checked.
 */
class LtpAioTest extends EmulatedLinuxCases {
    private static final int BUFSIZE = 8192;   // aio01: -b default
    private static final int NR = 10;          // aio01: -n default
    private static final int AIO_MAXIO = 32;   // aio02
    private static final int AIO_BLKSIZE = 64 * 1024;

    private EmulatedProgram p;
    private long ctx;
    private int fd;
    private MemorySegment src, dst, iocb;

    /** aio01's setup: "aiofile" O_RDWR|O_CREAT, srcbuf of 'A's (65), dstbuf, one iocb, io_queue_init(1). */
    private void aio01(LinuxSubmitMode mode, boolean fileHoldsData) throws Exception {
        p = program(mode);
        Path file = dir.resolve("aiofile");
        if (fileHoldsData) Files.write(file, filled(BUFSIZE, (byte) 65));
        fd = p.open(file, HostConstants.O_RDWR | HostConstants.O_CREAT);
        src = p.bytes(BUFSIZE);
        src.fill((byte) 65);
        dst = p.bytes(BUFSIZE);
        iocb = p.iocb();
        ctx = p.setup(1);
    }

    private static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        Arrays.fill(a, b);
        return a;
    }

    /** One round of aio01's loop: io_submit until it is not -EAGAIN, then io_getevents(1, 1, 30 s) until it returns 1. */
    private void submitAndWait() {
        long rc;
        do {
            rc = p.submit(ctx, iocb);
        } while (rc == -LinuxErrno.EAGAIN);
        assertEquals(1, rc, "io_submit");
        MemorySegment ev = p.events(1);
        assertEquals(1, p.getevents(ctx, 1, 1, ev, 30));
        assertEquals(BUFSIZE, IoEvent.res(ev, 0), "a full " + BUFSIZE + "-byte transfer");
        assertEquals(iocb.address(), IoEvent.obj(ev, 0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio01: Test 1: one prepared 8 KiB write at pos 0 submitted 10 times, one at a time")
    void writesOneAtATime(LinuxSubmitMode mode) throws Exception {
        aio01(mode, false);
        IocbPrep.pwrite(iocb, fd, src, 0);
        for (int i = 0; i < NR; i++) submitAndWait();
        assertEquals(BUFSIZE, Files.size(dir.resolve("aiofile")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio01: Test 2: one prepared 8 KiB read at pos 0 submitted 10 times, one at a time")
    void readsOneAtATime(LinuxSubmitMode mode) throws Exception {
        aio01(mode, true);
        IocbPrep.pread(iocb, fd, dst, 0);
        for (int i = 0; i < NR; i++) submitAndWait();
        assertEquals(-1, src.mismatch(dst));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio01: Test 3: prepare then write, 10 times, one at a time")
    void prepareWrite(LinuxSubmitMode mode) throws Exception {
        aio01(mode, false);
        for (int i = 0; i < NR; i++) {
            IocbPrep.pwrite(iocb, fd, src, 0);
            submitAndWait();
        }
        assertEquals(BUFSIZE, Files.size(dir.resolve("aiofile")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio01: Test 4: prepare then read, 10 times, one at a time")
    void prepareRead(LinuxSubmitMode mode) throws Exception {
        aio01(mode, true);
        for (int i = 0; i < NR; i++) {
            IocbPrep.pread(iocb, fd, dst, 0);
            submitAndWait();
        }
        assertEquals(-1, src.mismatch(dst));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio01: Test 5: prepare, write, then read back, 10 times, one at a time")
    void prepareWriteRead(LinuxSubmitMode mode) throws Exception {
        aio01(mode, false);
        for (int i = 0; i < NR; i++) {
            IocbPrep.pwrite(iocb, fd, src, 0);
            submitAndWait();
            IocbPrep.pread(iocb, fd, dst, 0);
            submitAndWait();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio01: Test 6: prepare, write, read back and verify, 10 times, one at a time")
    void prepareWriteReadVerify(LinuxSubmitMode mode) throws Exception {
        aio01(mode, false);
        for (int i = 0; i < NR; i++) {
            src.fill((byte) ('A' + i));   // a new pattern each round, so a stale read could not pass
            dst.fill((byte) 0);
            IocbPrep.pwrite(iocb, fd, src, 0);
            submitAndWait();
            IocbPrep.pread(iocb, fd, dst, 0);
            submitAndWait();
            assertEquals(-1, src.mismatch(dst), "round " + i);
        }
    }

    // ---- aio02 ----------------------------------------------------------------------------------

    /**
     * aio02's io_tio: 32 iocbs of 64 KiB at consecutive offsets, buffers aligned to st_blksize
     * (4096 here), all in one io_submit (retried on -EAGAIN), then io_getevents(1, 32, 30 s) until
     * every callback ran. The reads run over a file aio02's earlier write case would have left;
     * here it is written first with a known pattern, which the reads then check.
     */
    private void ioTio(LinuxSubmitMode mode, int flags, boolean write) throws Exception {
        p = program(mode);
        Path file = dir.resolve("file");
        byte[] expected = new byte[AIO_MAXIO * AIO_BLKSIZE];
        for (int i = 0; i < expected.length; i++) expected[i] = (byte) (i * 31 + i / AIO_BLKSIZE);
        if (!write) Files.write(file, expected);
        int f = p.open(file, flags);
        long myctx = p.setup(AIO_MAXIO);
        MemorySegment[] cbs = new MemorySegment[AIO_MAXIO];
        MemorySegment[] bufs = new MemorySegment[AIO_MAXIO];
        for (int i = 0; i < AIO_MAXIO; i++) {
            bufs[i] = p.bytes(AIO_BLKSIZE);
            if (write) MemorySegment.copy(expected, i * AIO_BLKSIZE, bufs[i], ValueLayout.JAVA_BYTE, 0, AIO_BLKSIZE);
            cbs[i] = write ? IocbPrep.pwrite(p.iocb(), f, bufs[i], (long) i * AIO_BLKSIZE)
                           : IocbPrep.pread(p.iocb(), f, bufs[i], (long) i * AIO_BLKSIZE);
            Iocb.aio_data(cbs[i], i);   // io_set_callback puts the callback in aio_data; ours is the index
        }
        long rc;
        do {
            rc = p.submit(myctx, cbs);
        } while (rc == -LinuxErrno.EAGAIN);
        assertEquals(AIO_MAXIO, rc, "io_submit tio");
        boolean[] done = new boolean[AIO_MAXIO];
        int waitCount = AIO_MAXIO;
        MemorySegment events = p.events(AIO_MAXIO);
        while (waitCount > 0) {
            long n = p.getevents(myctx, 1, AIO_MAXIO, events, 30);
            assertTrue(n > 0, "io_wait_run: " + n);
            for (int e = 0; e < n; e++) {
                int i = (int) IoEvent.data(events, e);
                assertEquals(cbs[i].address(), IoEvent.obj(events, e));
                assertEquals(0, IoEvent.res2(events, e), "res2");                          // LNX-38
                assertEquals(AIO_BLKSIZE, IoEvent.res(events, e), "missed bytes");
                assertTrue(!done[i], "one event per iocb");
                done[i] = true;
                waitCount--;
            }
        }
        if (write) {
            assertEquals(-1, java.nio.ByteBuffer.wrap(expected).mismatch(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))));
        } else {
            for (int i = 0; i < AIO_MAXIO; i++) {
                byte[] got = bufs[i].toArray(ValueLayout.JAVA_BYTE);
                assertTrue(Arrays.equals(expected, i * AIO_BLKSIZE, (i + 1) * AIO_BLKSIZE, got, 0, AIO_BLKSIZE), "block " + i);
            }
        }
        assertEquals(0, p.os.ioDestroy(myctx));   // io_queue_release
        p.close(f);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio02: WRITE O_WRONLY|O_TRUNC|O_DIRECT|O_LARGEFILE|O_CREAT: 32 x 64 KiB complete in full, res2 0")
    void directWrite(LinuxSubmitMode mode) throws Exception {
        ioTio(mode, HostConstants.O_WRONLY | HostConstants.O_TRUNC | HostConstants.O_DIRECT | HostConstants.O_CREAT, true);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio02: READ O_RDONLY|O_DIRECT|O_LARGEFILE: 32 x 64 KiB complete in full, res2 0")
    void directRead(LinuxSubmitMode mode) throws Exception {
        ioTio(mode, HostConstants.O_RDONLY | HostConstants.O_DIRECT, false);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio02: WRITE O_RDWR|O_TRUNC: 32 x 64 KiB complete in full, res2 0")
    void bufferedWriteRdwr(LinuxSubmitMode mode) throws Exception {
        ioTio(mode, HostConstants.O_RDWR | HostConstants.O_TRUNC | HostConstants.O_CREAT, true);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio02: READ O_RDWR: 32 x 64 KiB complete in full, res2 0")
    void bufferedReadRdwr(LinuxSubmitMode mode) throws Exception {
        ioTio(mode, HostConstants.O_RDWR, false);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio02: WRITE O_WRONLY|O_TRUNC: 32 x 64 KiB complete in full, res2 0")
    void bufferedWriteWronly(LinuxSubmitMode mode) throws Exception {
        ioTio(mode, HostConstants.O_WRONLY | HostConstants.O_TRUNC | HostConstants.O_CREAT, true);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp aio02: READ O_RDONLY: 32 x 64 KiB complete in full, res2 0")
    void bufferedReadRdonly(LinuxSubmitMode mode) throws Exception {
        ioTio(mode, HostConstants.O_RDONLY, false);
    }
}
