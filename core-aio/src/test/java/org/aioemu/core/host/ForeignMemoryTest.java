package org.aioemu.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;

class ForeignMemoryTest {
    private static final int EFAULT = HostErrno.number("EFAULT");

    @Test
    void copiesReadableMemoryBothWays() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment foreign = arena.allocate(64);
            foreign.set(ValueLayout.JAVA_LONG, 8, 0x1122334455667788L);
            MemorySegment copy = arena.allocate(64);
            assertEquals(0, ForeignMemory.copyIn(foreign.address(), copy, 64));
            assertEquals(0x1122334455667788L, copy.get(ValueLayout.JAVA_LONG, 8));
            copy.set(ValueLayout.JAVA_INT, 0, 42);
            assertEquals(0, ForeignMemory.copyOut(copy, foreign.address(), 4));
            assertEquals(42, foreign.get(ValueLayout.JAVA_INT, 0));
        }
    }

    @Test
    void badAddressesAreEfaultNotACrash() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(64);
            assertEquals(-EFAULT, ForeignMemory.copyIn(0, copy, 64), "NULL");
            assertEquals(-EFAULT, ForeignMemory.copyIn(8, copy, 64), "first page");
            assertEquals(-EFAULT, ForeignMemory.copyIn(-1L, copy, 8), "(void*)-1");
            assertEquals(-EFAULT, ForeignMemory.copyIn(0xffff_8000_0000_0000L, copy, 8), "kernel address");
            assertEquals(-EFAULT, ForeignMemory.copyOut(copy, 0x10, 8), "write to first page");
            boolean[] ok = new boolean[1];
            ForeignMemory.readLong(16, ok);
            assertFalse(ok[0]);
        }
    }

    @Test
    void unmappedReadOnlyAndNoAccessPagesAreEfault() {
        long page = 4096;
        long base = HostIo.mmap(0, 3 * page, HostConstants.PROT_READ | HostConstants.PROT_WRITE,
                HostConstants.MAP_PRIVATE | HostConstants.MAP_ANONYMOUS, -1, 0);
        assertTrue(base > 0, "mmap: " + base);
        MemorySegment copy = Arena.ofAuto().allocate(16);
        assertEquals(0, HostIo.mprotect(base + page, page, HostConstants.PROT_READ));
        assertEquals(0, HostIo.mprotect(base + 2 * page, page, HostConstants.PROT_NONE));
        assertEquals(0, ForeignMemory.copyIn(base + page, copy, 16), "read-only page is readable");
        assertEquals(-EFAULT, ForeignMemory.copyOut(copy, base + page, 16), "read-only page is not writable");
        assertEquals(-EFAULT, ForeignMemory.copyIn(base + 2 * page, copy, 16), "PROT_NONE");
        assertEquals(0, ForeignMemory.copyIn(base + page - 8, copy, 16), "straddling RW->RO is readable");
        assertEquals(-EFAULT, ForeignMemory.copyIn(base + 2 * page - 8, copy, 16), "straddling RO->PROT_NONE is not");
        assertEquals(0, HostIo.munmap(base, 3 * page));
        assertEquals(-EFAULT, ForeignMemory.copyIn(base, copy, 16), "unmapped");
    }
}
