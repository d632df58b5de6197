package org.aioemu.conformance.freebsd;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.aioemu.conformance.freebsd.Fbsd.EAGAIN;
import static org.aioemu.conformance.freebsd.Fbsd.EBADF;
import static org.aioemu.conformance.freebsd.Fbsd.EINVAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_READ;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open POSIX test suite conformance/interfaces/aio_read and aio_write. FreeBSD checks the
 * descriptor, its access mode and a negative offset at submission and fails the call; it never
 * looks at aio_reqprio (no prioritized I/O). The cases written for queue-then-fail or for a
 * reqprio check assert FreeBSD's answer and say so.
 */
@Timeout(60)
class OpenPosixAioReadWriteTest {
    @TempDir Path dir;
    private Fbsd fx;

    @BeforeEach
    void start() {
        fx = new Fbsd(dir);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private int fileWith(byte[] content) throws Exception {
        Files.write(fx.path("f"), content);
        return fx.open("f", HostConstants.O_RDWR);
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) i;
        return b;
    }

    private long readBack(MemorySegment cb) {
        assertEquals(0, fx.awaitDone(cb));
        return fx.p.aio_return(cb.address());
    }

    // ---- aio_read ------------------------------------------------------------------------------

    @Test
    @DisplayName("posix aio_read/1-1: reads 256 bytes of a 1024-byte file into the buffer")
    void read_1_1() throws Exception {
        byte[] data = pattern(1024);
        int fd = fileWith(data);
        MemorySegment buf = fx.buffer(256);
        MemorySegment cb = fx.aiocb(fd, buf, 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(256, readBack(cb));
        assertArrayEquals(java.util.Arrays.copyOf(data, 256), buf.toArray(JAVA_BYTE));
    }

    @Test
    @DisplayName("posix aio_read/3-1: aio_error then aio_return report the read")
    void read_3_1() throws Exception {
        int fd = fileWith(pattern(512));
        MemorySegment cb = fx.aiocb(fd, fx.buffer(512), 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(0, fx.awaitDone(cb));
        assertEquals(512, fx.p.aio_return(cb.address()));
    }

    @Test
    @DisplayName("posix aio_read/3-2: a read past end of file returns fewer bytes than asked")
    void read_3_2() throws Exception {
        int fd = fileWith(pattern(100));
        MemorySegment cb = fx.aiocb(fd, fx.buffer(256), 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(100, readBack(cb));
    }

    @Test
    @DisplayName("posix aio_read/4-1: the read starts at aio_offset")
    void read_4_1() throws Exception {
        byte[] data = pattern(1024);
        int fd = fileWith(data);
        MemorySegment buf = fx.buffer(128);
        MemorySegment cb = fx.aiocb(fd, buf, 512);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(128, readBack(cb));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 512, 640), buf.toArray(JAVA_BYTE));
    }

    @Test
    @DisplayName("posix aio_read/5-1: aio_lio_opcode LIO_WRITE is ignored by aio_read")
    void read_5_1() throws Exception {
        byte[] data = pattern(64);
        int fd = fileWith(data);
        MemorySegment buf = fx.buffer(64);
        MemorySegment cb = fx.aiocb(fd, buf, 0);
        FreeBsdAiocb.setLioOpcode(cb, LIO_WRITE);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(64, readBack(cb));
        assertArrayEquals(data, buf.toArray(JAVA_BYTE));
        assertEquals(LIO_WRITE, FreeBsdAiocb.lioOpcode(cb), "the program's aiocb keeps its opcode");
    }

    @Test
    @DisplayName("posix aio_read/7-1: aio_read returns 0 when the request is queued")
    void read_7_1() throws Exception {
        int fd = fileWith(pattern(16));
        MemorySegment cb = fx.aiocb(fd, fx.buffer(16), 0);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(16, readBack(cb));
    }

    @Test
    @DisplayName("posix aio_read/8-1: no prioritized I/O on FreeBSD, so an out-of-range aio_reqprio is not checked (the suite's UNTESTED case)")
    void read_8_1() throws Exception {
        int fd = fileWith(pattern(16));
        MemorySegment cb = fx.aiocb(fd, fx.buffer(16), 0);
        FreeBsdAiocb.setReqprio(cb, Integer.MAX_VALUE);
        assertEquals(0, fx.sysctl("p1003_1b.aio_prio_delta_max"));
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(16, readBack(cb));
    }

    @Test
    @DisplayName("posix aio_read/9-1: reads queued without reaping run into -1/EAGAIN (max_aio_queue_per_proc)")
    void read_9_1() throws Exception {
        int fd = fileWith(pattern(16));
        int queued = 0;
        for (int i = 0; i < 1024; i++) {
            MemorySegment cb = fx.aiocb(fd, fx.buffer(16), 0);
            if (fx.p.aio_read(cb.address()) == -1) {
                assertEquals(EAGAIN, fx.p.errno());
                break;
            }
            queued++;
        }
        assertEquals(fx.sysctl("vfs.aio.max_aio_queue_per_proc"), queued);
    }

    @Test
    @DisplayName("posix aio_read/10-1: fd -1: FreeBSD fails aio_read at once with EBADF (the suite expects it queued and "
            + "failing later); aio_error then reports the stored EBADF")
    void read_10_1() {
        MemorySegment cb = fx.aiocb(-1, fx.buffer(16), 0);
        assertEquals(-1, fx.p.aio_read(cb.address()));
        assertEquals(EBADF, fx.p.errno());
        assertEquals(EBADF, fx.p.aio_error(cb.address()));
    }

    @Test
    @DisplayName("posix aio_read/11-1: aio_offset -1 is EINVAL (at submission on FreeBSD)")
    void read_11_1() throws Exception {
        int fd = fileWith(pattern(16));
        MemorySegment cb = fx.aiocb(fd, fx.buffer(16), -1);
        assertEquals(-1, fx.p.aio_read(cb.address()));
        assertEquals(EINVAL, fx.p.errno());
    }

    @Test
    @DisplayName("posix aio_read/11-2: aio_reqprio -1 is accepted on FreeBSD, which never validates it (the suite expects EINVAL)")
    void read_11_2() throws Exception {
        int fd = fileWith(pattern(16));
        MemorySegment cb = fx.aiocb(fd, fx.buffer(16), 0);
        FreeBsdAiocb.setReqprio(cb, -1);
        assertEquals(0, fx.p.aio_read(cb.address()));
        assertEquals(16, readBack(cb));
    }

    // ---- aio_write -----------------------------------------------------------------------------

    @Test
    @DisplayName("posix aio_write/1-1: writes 512 bytes that read back the same")
    void write_1_1() {
        int fd = fx.file("f");
        MemorySegment data = fx.randomBuffer(512);
        MemorySegment cb = fx.aiocb(fd, data, 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(512, readBack(cb));
        MemorySegment back = fx.buffer(512);
        assertEquals(512, HostIo.pread(fd, back, 512, 0));
        assertArrayEquals(data.toArray(JAVA_BYTE), back.toArray(JAVA_BYTE));
    }

    @Test
    @DisplayName("posix aio_write/1-2: a write at offset 512 into a zeroed 2 KiB file changes only [512, 1024)")
    void write_1_2() throws Exception {
        int fd = fileWith(new byte[2048]);
        MemorySegment data = fx.randomBuffer(512);
        MemorySegment cb = fx.aiocb(fd, data, 512);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(512, readBack(cb));
        byte[] file = Files.readAllBytes(fx.path("f"));
        assertEquals(2048, file.length);
        for (int i = 0; i < 512; i++) assertEquals(0, file[i]);
        assertArrayEquals(data.toArray(JAVA_BYTE), java.util.Arrays.copyOfRange(file, 512, 1024));
        for (int i = 1024; i < 2048; i++) assertEquals(0, file[i]);
    }

    @Test
    @DisplayName("posix aio_write/2-1: with O_APPEND three writes append in call order (with max_aio_per_proc=1, "
            + "as FreeBSD's independent aiods give no order otherwise)")
    void write_2_1() {
        fx.sysctl("vfs.aio.max_aio_per_proc", 1);
        int fd = fx.open("f", HostConstants.O_RDWR | HostConstants.O_CREAT | HostConstants.O_APPEND);
        MemorySegment[] cbs = {fx.aiocb(fd, fx.text("aaaa"), 0), fx.aiocb(fd, fx.text("bbbbbb"), 0),
            fx.aiocb(fd, fx.text("cc"), 0)};
        for (MemorySegment cb : cbs) assertEquals(0, fx.p.aio_write(cb.address()));
        for (MemorySegment cb : cbs) assertEquals(0, fx.awaitDone(cb));
        MemorySegment back = fx.buffer(12);
        assertEquals(12, HostIo.pread(fd, back, 12, 0));
        assertEquals("aaaabbbbbbcc", Fbsd.string(back));
    }

    @Test
    @DisplayName("posix aio_write/3-1: aio_lio_opcode LIO_READ is ignored by aio_write")
    void write_3_1() {
        int fd = fx.file("f");
        MemorySegment cb = fx.aiocb(fd, fx.text("written"), 0);
        FreeBsdAiocb.setLioOpcode(cb, LIO_READ);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(7, readBack(cb));
        MemorySegment back = fx.buffer(7);
        assertEquals(7, HostIo.pread(fd, back, 7, 0));
        assertEquals("written", Fbsd.string(back));
    }

    @Test
    @DisplayName("posix aio_write/5-1: aio_write returns 0 when the request is queued")
    void write_5_1() {
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(64), 0);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(64, readBack(cb));
    }

    @Test
    @DisplayName("posix aio_write/6-1: no prioritized I/O on FreeBSD: an out-of-range aio_reqprio is not checked")
    void write_6_1() {
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(64), 0);
        FreeBsdAiocb.setReqprio(cb, Integer.MAX_VALUE);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(64, readBack(cb));
    }

    @Test
    @DisplayName("posix aio_write/7-1: writes queued without reaping run into -1/EAGAIN")
    void write_7_1() {
        int fd = fx.file("f");
        MemorySegment data = fx.randomBuffer(16);
        boolean refused = false;
        for (int i = 0; i < 1024 && !refused; i++) {
            if (fx.p.aio_write(fx.aiocb(fd, data, 16L * i).address()) == -1) {
                assertEquals(EAGAIN, fx.p.errno());
                refused = true;
            }
        }
        assertTrue(refused);
        assertEquals(fx.sysctl("vfs.aio.max_aio_queue_per_proc"), fx.p.aioJobCount());
    }

    @Test
    @DisplayName("posix aio_write/8-1: fd -1: FreeBSD fails aio_write at once with EBADF (the suite expects it queued)")
    void write_8_1() {
        MemorySegment cb = fx.aiocb(-1, fx.randomBuffer(16), 0);
        assertEquals(-1, fx.p.aio_write(cb.address()));
        assertEquals(EBADF, fx.p.errno());
        assertEquals(EBADF, fx.p.aio_error(cb.address()));
    }

    @Test
    @DisplayName("posix aio_write/8-2: a read-only descriptor: FreeBSD fails aio_write at once with EBADF (the suite expects it queued)")
    void write_8_2() throws Exception {
        Files.write(fx.path("ro"), new byte[16]);
        int fd = fx.open("ro", HostConstants.O_RDONLY);
        MemorySegment cb = fx.aiocb(fd, fx.randomBuffer(16), 0);
        assertEquals(-1, fx.p.aio_write(cb.address()));
        assertEquals(EBADF, fx.p.errno());
    }

    @Test
    @DisplayName("posix aio_write/9-1: aio_offset -1 is EINVAL (at submission on FreeBSD)")
    void write_9_1() {
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(16), -1);
        assertEquals(-1, fx.p.aio_write(cb.address()));
        assertEquals(EINVAL, fx.p.errno());
    }

    @Test
    @DisplayName("posix aio_write/9-2: aio_reqprio -1 is accepted on FreeBSD, which never validates it (the suite expects EINVAL)")
    void write_9_2() {
        MemorySegment cb = fx.aiocb(fx.file("f"), fx.randomBuffer(16), 0);
        FreeBsdAiocb.setReqprio(cb, -1);
        assertEquals(0, fx.p.aio_write(cb.address()));
        assertEquals(16, readBack(cb));
    }
}
