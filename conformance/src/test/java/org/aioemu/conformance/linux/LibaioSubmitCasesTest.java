package org.aioemu.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxSubmitMode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * libaio harness/cases 2.t to 5.t: argument checking of io_setup and io_submit, access modes,
 * offsets, O_APPEND and buffers the kernel cannot or can only partly use. The harness's context
 * is io_queue_init(1024), its sync_submit returns io_submit's error or the event's res, and its
 * KERNEL_RW_POINTER on x86_64 is 0xffffffff81000000.
 */
class LibaioSubmitCasesTest extends EmulatedLinuxCases {
    private static final int SIZE = 512;

    private EmulatedProgram p;
    private long ctx;

    private void harness(LinuxSubmitMode mode) {
        p = program(mode);
        ctx = p.setup(1024);
    }

    private long attempt(int fd, MemorySegment buf, long pos, boolean write) {
        MemorySegment cb = write ? IocbPrep.pwrite(p.iocb(), fd, buf, pos) : IocbPrep.pread(p.iocb(), fd, buf, pos);
        return p.syncSubmit(ctx, cb);
    }

    /** An attempt on a raw buffer address (a kernel pointer or NULL). */
    private long attemptRaw(int fd, long buf, long count, boolean write) {
        MemorySegment cb = IocbPrep.rw(p.iocb(), write ? 1 : 0, fd, buf, count, 0);
        return p.syncSubmit(ctx, cb);
    }

    @Test
    @DisplayName("libaio 2.t: io_setup with a kernel ctxp is -EFAULT whatever nr (-1000, 1000, 0); nr -1000, -1 and 0 are -EINVAL; (1) works; reusing the filled ctx is -EINVAL")
    void setupArguments() {
        p = program(LinuxSubmitMode.LINUX);
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSetup(-1000, EmulatedProgram.KERNEL_ADDRESS));   // LNX-1: ctxp first
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSetup(1000, EmulatedProgram.KERNEL_ADDRESS));
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSetup(0, EmulatedProgram.KERNEL_ADDRESS));
        MemorySegment c = p.ctxVariable(0);
        assertEquals(-LinuxErrno.EINVAL, p.os.ioSetup(-1000, c.address()));                      // LNX-2, LNX-3
        assertEquals(-LinuxErrno.EINVAL, p.os.ioSetup(-1, c.address()));
        assertEquals(-LinuxErrno.EINVAL, p.os.ioSetup(0, c.address()));
        assertEquals(0, c.get(ValueLayout.JAVA_LONG, 0), "ctx still NULL");
        assertEquals(0, p.os.ioSetup(1, c.address()));
        assertEquals(-LinuxErrno.EINVAL, p.os.ioSetup(1, c.address()));
        assertEquals(1, system.aioNr(), "the refused calls took nothing (LNX-5)");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 3.t: io_submit with a bad ctx is -EINVAL; nr 0 is 0; NULL or -1 iocbpp, [NULL, &b] and [kernel, &a] are -EFAULT; nr -1 is -EINVAL")
    void submitInvalidAddresses(LinuxSubmitMode mode) {
        harness(mode);
        MemorySegment a = p.iocb(), b = p.iocb();
        long goodIos = p.list(a, b);
        assertEquals(-LinuxErrno.EINVAL, p.os.ioSubmit(-1L, 1, goodIos));                         // BAD_CTX, LNX-22
        assertEquals(0, p.os.ioSubmit(ctx, 0, goodIos));                                          // LNX-23
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSubmit(ctx, 1, 0));                               // LNX-26
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSubmit(ctx, 1, -1L));
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSubmit(ctx, 2, p.pointers(0, b.address())));
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSubmit(ctx, 2, p.pointers(EmulatedProgram.KERNEL_ADDRESS, a.address())));
        assertEquals(-LinuxErrno.EINVAL, p.os.ioSubmit(ctx, -1, goodIos));                        // LNX-21
        assertEquals(0, p.os.ioGetevents(ctx, 0, 2, p.events(2).address(), p.timespec(0, 0)), "iocb b was never looked at");
    }

    /** testdir/rofile, wofile and rwfile as the harness's Makefile makes them (rwfile with some content). */
    private Path[] testdir() throws Exception {
        Path ro = Files.write(dir.resolve("rofile"), new byte[SIZE]);
        Path wo = Files.write(dir.resolve("wofile"), new byte[0]);
        Path rw = Files.write(dir.resolve("rwfile"), new byte[SIZE]);
        return new Path[] {ro, wo, rw};
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 4.t: a write on a read-only fd and a read on a write-only fd are -EBADF; 512-byte write and read on O_RDWR succeed; pos -1 is -EINVAL for both")
    void accessModesAndOffsets(LinuxSubmitMode mode) throws Exception {
        harness(mode);
        Path[] f = testdir();
        int rofd = p.open(f[0], HostConstants.O_RDONLY);
        int wofd = p.open(f[1], HostConstants.O_WRONLY);
        int rwfd = p.open(f[2], HostConstants.O_RDWR);
        MemorySegment buf = p.bytes(SIZE);
        assertEquals(-LinuxErrno.EBADF, attempt(rofd, buf, 0, true));                          // LNX-32
        assertEquals(-LinuxErrno.EBADF, attempt(wofd, buf, 0, false));
        assertEquals(SIZE, attempt(rwfd, buf, 0, true));
        assertEquals(SIZE, attempt(rwfd, buf, 0, false));
        assertEquals(-LinuxErrno.EINVAL, attempt(rwfd, buf, -1, false));                        // LNX-34
        assertEquals(-LinuxErrno.EINVAL, attempt(rwfd, buf, -1, true));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 4.t: O_APPEND writes at offset 0 append: \"1234\" then \"5678\" read back as \"12345678\"")
    void appendWritesAppend(LinuxSubmitMode mode) throws Exception {
        harness(mode);
        int rwfd = p.open(testdir()[2], HostConstants.O_RDWR | HostConstants.O_APPEND);
        assertEquals(0, HostIo.ftruncate(rwfd, 0));
        MemorySegment buf = p.bytes(SIZE);
        assertEquals(0, attempt(rwfd, buf, 0, false), "read of the empty file");              // LNX-43
        assertEquals(4, attempt(rwfd, p.text("1234"), 0, true));                                // LNX-44
        assertEquals(4, attempt(rwfd, p.text("5678"), 0, true));
        buf.fill((byte) 0);
        assertEquals(8, attempt(rwfd, buf, 0, false));
        assertEquals("12345678", new String(buf.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 4.t: a kernel-pointer buffer is -EFAULT for read and write (at submit); a NULL write buffer is -EFAULT (in the event)")
    void badBuffers(LinuxSubmitMode mode) throws Exception {
        harness(mode);
        int rwfd = p.open(testdir()[2], HostConstants.O_RDWR | HostConstants.O_APPEND);
        // A kernel address fails access_ok at submit (LNX-35), so nothing is queued...
        MemorySegment cb = IocbPrep.rw(p.iocb(), 0, rwfd, EmulatedProgram.KERNEL_ADDRESS, SIZE, 0);
        assertEquals(-LinuxErrno.EFAULT, p.submit(ctx, cb));
        assertEquals(-LinuxErrno.EFAULT, attemptRaw(rwfd, EmulatedProgram.KERNEL_ADDRESS, SIZE, true));
        // ...while NULL is a user address: accepted, and the copy fails in the event (LNX-35).
        MemorySegment nullWrite = IocbPrep.rw(p.iocb(), 1, rwfd, 0, SIZE, 0);
        assertEquals(1, p.submit(ctx, nullWrite));
        MemorySegment ev = p.events(1);
        assertEquals(1, p.getevents(ctx, 1, 1, ev, 30));
        assertEquals(-LinuxErrno.EFAULT, org.aioemu.linux.IoEvent.res(ev, 0));
        assertEquals(SIZE, Files.size(dir.resolve("rwfile")), "nothing was appended");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 5.t: write and read using a MAP_SHARED mmap of the same file as the buffer; reading into a PROT_READ mapping is -EFAULT; a PROT_WRITE mapping reads as read(2) does")
    void mmapOfTheSameFile(LinuxSubmitMode mode) throws Exception {
        harness(mode);
        int rwfd = p.open(testdir()[2], HostConstants.O_RDWR);
        assertEquals(0, HostIo.ftruncate(rwfd, SIZE));
        int rw = HostConstants.PROT_READ | HostConstants.PROT_WRITE;
        long page = EmulatedProgram.PAGE;

        long buf = p.map(page, rw, HostConstants.MAP_SHARED, rwfd);
        assertEquals(SIZE, attemptRaw(rwfd, buf, SIZE, true));
        assertEquals(SIZE, attemptRaw(rwfd, buf, SIZE, false));
        p.unmap(buf);

        buf = p.map(page, rw, HostConstants.MAP_SHARED, rwfd);
        assertEquals(SIZE, attemptRaw(rwfd, buf, SIZE, false));
        assertEquals(SIZE, attemptRaw(rwfd, buf, SIZE, true));
        p.unmap(buf);

        buf = p.map(page, HostConstants.PROT_READ, HostConstants.MAP_SHARED, rwfd);
        assertEquals(SIZE, attemptRaw(rwfd, buf, SIZE, true));
        assertEquals(-LinuxErrno.EFAULT, attemptRaw(rwfd, buf, SIZE, false));                 // LNX-35
        p.unmap(buf);

        buf = p.map(page, HostConstants.PROT_WRITE, HostConstants.MAP_SHARED, rwfd);
        // Whether PROT_WRITE is readable is the architecture's business: compare with read(2).
        long expected = HostIo.read(rwfd, MemorySegment.ofAddress(buf).reinterpret(SIZE), SIZE);
        assertEquals(expected, attemptRaw(rwfd, buf, SIZE, false));
        assertEquals(SIZE, attemptRaw(rwfd, buf, SIZE, true));
        p.unmap(buf);
    }
}
