package org.aioemu.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.aioemu.linux.LinuxAioConstants;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxSubmitMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * LTP testcases/kernel/syscalls/io_setup/io_setup01.c (through libaio) and io_setup02.c (raw
 * syscall), io_destroy/io_destroy01.c and io_destroy02.c. Context creation does not depend on the
 * submission mode, so these run once. libaio's io_setup and io_destroy hand back the kernel's
 * -errno unchanged (LNX-80), which is the emulated call's return convention too.
 */
class LtpIoSetupDestroyTest extends EmulatedLinuxCases {
    private EmulatedProgram p;

    @BeforeEach
    void start() {
        p = program(LinuxSubmitMode.LINUX);
    }

    private long setup(long nr, MemorySegment ctx) {
        return p.os.ioSetup((int) nr, ctx.address());
    }

    @Test
    @DisplayName("ltp io_setup01: io_setup(1, &ctx) with ctx zeroed succeeds and io_destroy releases it")
    void setupSucceeds() {
        MemorySegment ctx = p.ctxVariable(0);
        assertEquals(0, setup(1, ctx));
        long id = ctx.get(ValueLayout.JAVA_LONG, 0);
        assertNotEquals(0, id);
        assertEquals(0, id % EmulatedProgram.PAGE, "ctx is the page-aligned address of the ring (LNX-6)");
        assertEquals(1, system.aioNr(), "aio-nr counts the nr_events asked for (LNX-5)");
        assertEquals(0, p.os.ioDestroy(id));
        assertEquals(0, system.aioNr());
    }

    @Test
    @DisplayName("ltp io_setup01: a ctx variable not initialised to 0 (0x0101...) is -EINVAL")
    void ctxNotZero() {
        MemorySegment ctx = p.ctxVariable(0x0101010101010101L);
        assertEquals(-LinuxErrno.EINVAL, setup(1, ctx));                                   // LNX-2
        assertEquals(0x0101010101010101L, ctx.get(ValueLayout.JAVA_LONG, 0), "*ctxp untouched");
    }

    @Test
    @DisplayName("ltp io_setup01: nr_events -1 is -EINVAL")
    void nrMinusOne() {
        MemorySegment ctx = p.ctxVariable(0);
        assertEquals(-LinuxErrno.EINVAL, setup(-1, ctx));                                  // LNX-3: unsigned, doubled past 0x800000
        assertEquals(0, ctx.get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    @DisplayName("ltp io_setup01: a NULL ctxp is -EFAULT")
    void nullCtxp() {
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSetup(1, 0));                             // LNX-1
        assertEquals(0, system.aioNr());
    }

    @Test
    @DisplayName("ltp io_setup01: nr_events of aio-max-nr + 1 is -EAGAIN")
    void pastAioMaxNr() {
        assertEquals(LinuxAioConstants.AIO_MAX_NR_DEFAULT, system.aioMaxNr(), "the kernel's default /proc/sys/fs/aio-max-nr");
        MemorySegment ctx = p.ctxVariable(0);
        assertEquals(-LinuxErrno.EAGAIN, setup(system.aioMaxNr() + 1, ctx));              // LNX-4
        assertEquals(0, ctx.get(ValueLayout.JAVA_LONG, 0));
    }

    @Test
    @DisplayName("ltp io_setup02: raw io_setup: NULL ctxp EFAULT, ctx not 0 EINVAL, nr -1 EINVAL, aio-max-nr + 1 EAGAIN, then (1, &ctx) and io_destroy succeed")
    void rawSetupCases() {
        assertEquals(-LinuxErrno.EFAULT, p.os.ioSetup(1, 0));
        MemorySegment ctx = p.ctxVariable(0x0101010101010101L);
        assertEquals(-LinuxErrno.EINVAL, setup(1, ctx));
        ctx.set(ValueLayout.JAVA_LONG, 0, 0);
        assertEquals(-LinuxErrno.EINVAL, setup(-1, ctx));
        assertEquals(-LinuxErrno.EAGAIN, setup(system.aioMaxNr() + 1, ctx));
        assertEquals(0, setup(1, ctx));
        assertEquals(0, p.os.ioDestroy(ctx.get(ValueLayout.JAVA_LONG, 0)));
    }

    @Test
    @DisplayName("ltp io_destroy01: io_destroy of a ctx whose bytes are all 0xff is -EINVAL")
    void destroyAllOnes() {
        long live = p.setup(1);   // a live context elsewhere must not be found through a bad id
        assertEquals(-LinuxErrno.EINVAL, p.os.ioDestroy(-1L));                            // LNX-15
        assertEquals(0, p.os.ioDestroy(live));
    }

    @Test
    @DisplayName("ltp io_destroy02: raw io_destroy of an all-0xff ctx fails with EINVAL, as do 0, 12345, ctx+4 and a destroyed ctx")
    void rawDestroyInvalid() {
        assertEquals(-LinuxErrno.EINVAL, p.os.ioDestroy(-1L));
        // The probe's further invalid values (LNX-15).
        long ctx = p.setup(1);
        assertEquals(-LinuxErrno.EINVAL, p.os.ioDestroy(0));
        assertEquals(-LinuxErrno.EINVAL, p.os.ioDestroy(12345));
        assertEquals(-LinuxErrno.EINVAL, p.os.ioDestroy(ctx + 4));
        assertEquals(0, p.os.ioDestroy(ctx));
        assertEquals(-LinuxErrno.EINVAL, p.os.ioDestroy(ctx));
    }
}
