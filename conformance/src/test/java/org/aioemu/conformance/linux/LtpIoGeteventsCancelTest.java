package org.aioemu.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;

import org.aioemu.core.host.HostConstants;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxSubmitMode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LTP testcases/kernel/syscalls: io_getevents01.c and io_getevents02.c, io_cancel01.c and
 * io_cancel02.c, io_pgetevents01.c and io_pgetevents02.c (its six tcases each a case here).
 */
class LtpIoGeteventsCancelTest extends EmulatedLinuxCases {
    private EmulatedProgram p;
    private long ctx;
    private MemorySegment write;

    @Test
    @DisplayName("ltp io_getevents01: raw io_getevents(0, 0, 0, NULL, NULL) fails with EINVAL")
    void rawGeteventsInvalidCtx() {
        p = program(LinuxSubmitMode.LINUX);
        assertEquals(-LinuxErrno.EINVAL, p.os.ioGetevents(0, 0, 0, 0, 0));                 // LNX-58
    }

    @Test
    @DisplayName("ltp io_getevents02: libaio io_getevents on a NULL ctx makes the system call (no ring to read) and returns -EINVAL")
    void libaioGeteventsInvalidCtx() {
        p = program(LinuxSubmitMode.LINUX);
        assertEquals(-LinuxErrno.EINVAL, UserRing.libaioGetevents(p.os, 0, 0, 0, 0, 0));   // LNX-58, LNX-78, LNX-80
        assertEquals(-LinuxErrno.EINVAL, UserRing.libaioGetevents(p.os, 0, 0, 1, p.events(1).address(), p.timespec(0, 0)));
    }

    @Test
    @DisplayName("ltp io_cancel01: raw io_cancel(0, NULL, NULL) fails with EFAULT: the iocb's aio_key is read before the ctx")
    void rawCancelNullIocb() {
        p = program(LinuxSubmitMode.LINUX);
        assertEquals(-LinuxErrno.EFAULT, p.os.ioCancel(0, 0, 0));                         // LNX-69
    }

    @Test
    @DisplayName("ltp io_cancel02: libaio io_cancel(ctx 0, NULL, NULL) returns -EFAULT")
    void libaioCancelNullIocb() {
        p = program(LinuxSubmitMode.LINUX);
        long live = p.setup(1);   // even with a context alive in the process
        assertEquals(-LinuxErrno.EFAULT, p.os.ioCancel(0, 0, 0));
        assertEquals(-LinuxErrno.EFAULT, p.os.ioCancel(live, 0, 0));
    }

    /**
     * io_pgetevents01/02's setup: io_setup(1) and a 4096-byte write of an O_RDWR|O_CREAT file.
     * LTP relies on the write having completed when the cases run; in LINUX mode it is in the ring
     * when io_submit returns (LNX-39), in ASYNC mode we wait for the ring's tail to show it.
     */
    private void pgeteventsFixture(LinuxSubmitMode mode) throws Exception {
        p = program(mode);
        int fd = p.open(Files.createFile(dir.resolve("io_pgetevents_file")), HostConstants.O_RDWR);
        ctx = p.setup(1);
        write = IocbPrep.pwrite(p.iocb(), fd, p.bytes(4096), 0);
        assertEquals(1, p.submit(ctx, write));
        UserRing ring = new UserRing(ctx);
        if (mode == LinuxSubmitMode.LINUX) assertEquals(1, ring.tail(), "buffered write completed inside io_submit (LNX-39)");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ring.tail() == ring.head() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertEquals(1, ring.tail() - ring.head());
    }

    /** An empty sigset_t passed as usig, as LTP does: its first 16 bytes read as {NULL, 0} (LNX-68). */
    private long emptySigset() {
        return p.bytes(128).address();
    }

    private long tenMicroseconds() {
        return p.timespec(0, 10_000);
    }

    private void assertEventStillThere() {
        MemorySegment ev = p.events(1);
        assertEquals(1, p.os.ioPgetevents(ctx, 1, 1, ev.address(), tenMicroseconds(), emptySigset()), "the event stayed in the ring (LNX-63)");
        assertEquals(write.address(), IoEvent.obj(ev, 0));
        assertEquals(4096, IoEvent.res(ev, 0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_pgetevents01: after a 4096-byte write completes, io_pgetevents(1, 1, 10 us, empty sigmask) returns it")
    void pgeteventsReturnsCompletedWrite(LinuxSubmitMode mode) throws Exception {
        pgeteventsFixture(mode);
        MemorySegment ev = p.events(1);
        assertEquals(1, p.os.ioPgetevents(ctx, 1, 1, ev.address(), tenMicroseconds(), emptySigset()));   // LNX-66, LNX-68
        assertEquals(4096, IoEvent.res(ev, 0));
        assertEquals(0, IoEvent.res2(ev, 0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_pgetevents02: an invalid ctx fails with EINVAL")
    void pgeteventsInvalidCtx(LinuxSubmitMode mode) throws Exception {
        pgeteventsFixture(mode);
        assertEquals(-LinuxErrno.EINVAL, p.os.ioPgetevents(0, 1, 1, p.events(1).address(), tenMicroseconds(), emptySigset()));
        assertEventStillThere();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_pgetevents02: min_nr -1 fails with EINVAL")
    void pgeteventsInvalidMin(LinuxSubmitMode mode) throws Exception {
        pgeteventsFixture(mode);
        assertEquals(-LinuxErrno.EINVAL, p.os.ioPgetevents(ctx, -1, 1, p.events(1).address(), tenMicroseconds(), emptySigset()));
        assertEventStillThere();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_pgetevents02: nr -1 fails with EINVAL")
    void pgeteventsInvalidMax(LinuxSubmitMode mode) throws Exception {
        pgeteventsFixture(mode);
        assertEquals(-LinuxErrno.EINVAL, p.os.ioPgetevents(ctx, 1, -1, p.events(1).address(), tenMicroseconds(), emptySigset()));
        assertEventStillThere();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_pgetevents02: a NULL events array with an event ready fails with EFAULT")
    void pgeteventsInvalidEvents(LinuxSubmitMode mode) throws Exception {
        pgeteventsFixture(mode);
        assertEquals(-LinuxErrno.EFAULT, p.os.ioPgetevents(ctx, 1, 1, 0, tenMicroseconds(), emptySigset()));
        assertEventStillThere();                                                            // LNX-63: head did not move
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_pgetevents02: an unreadable timeout pointer fails with EFAULT")
    void pgeteventsInvalidTimeout(LinuxSubmitMode mode) throws Exception {
        pgeteventsFixture(mode);
        assertEquals(-LinuxErrno.EFAULT, p.os.ioPgetevents(ctx, 1, 1, p.events(1).address(), p.badPage(), emptySigset()));
        assertEventStillThere();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("ltp io_pgetevents02: an unreadable sigmask (usig) pointer fails with EFAULT")
    void pgeteventsInvalidSigmask(LinuxSubmitMode mode) throws Exception {
        pgeteventsFixture(mode);
        assertEquals(-LinuxErrno.EFAULT, p.os.ioPgetevents(ctx, 1, 1, p.events(1).address(), tenMicroseconds(), p.badPage()));   // LNX-66
        assertEventStillThere();
    }
}
