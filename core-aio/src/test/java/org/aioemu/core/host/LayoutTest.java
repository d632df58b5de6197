package org.aioemu.core.host;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Sizes and offsets against the x86_64 glibc headers. */
class LayoutTest {
    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }

    @Test
    void iovec() {
        assertEquals(16, IoVec.LAYOUT.byteSize());
        assertEquals(8, offset(IoVec.LAYOUT, "iov_len"));
    }

    @Test
    void pollfd() {
        assertEquals(8, PollFd.LAYOUT.byteSize());
        assertEquals(4, offset(PollFd.LAYOUT, "events"));
        assertEquals(6, offset(PollFd.LAYOUT, "revents"));
    }

    @Test
    void epollEventIsPacked() {
        assertEquals(12, EpollEvent.LAYOUT.byteSize());
        assertEquals(4, offset(EpollEvent.LAYOUT, "data"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(EpollEvent.LAYOUT, 2);
            EpollEvent.set(events, 1, 0x11, -2L);
            assertEquals(0x11, events.get(ValueLayout.JAVA_INT, 12));
            assertEquals(-2L, events.get(ValueLayout.JAVA_LONG_UNALIGNED, 16));
            assertEquals(0x11, EpollEvent.events(events, 1));
            assertEquals(-2L, EpollEvent.data(events, 1));
        }
    }

    @Test
    void stat() {
        assertEquals(144, Stat.LAYOUT.byteSize());
        assertEquals(24, offset(Stat.LAYOUT, "st_mode"));
        assertEquals(40, offset(Stat.LAYOUT, "st_rdev"));
        assertEquals(48, offset(Stat.LAYOUT, "st_size"));
        assertEquals(56, offset(Stat.LAYOUT, "st_blksize"));
        assertEquals(72, offset(Stat.LAYOUT, "st_atim"));
        assertEquals(104, offset(Stat.LAYOUT, "st_ctim"));
        assertEquals(120, offset(Stat.LAYOUT, "__glibc_reserved"));
    }

    @Test
    void iovecArrayPointsAtBuffers() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(3);
            MemorySegment b = arena.allocate(70);
            MemorySegment iov = IoVec.allocate(arena, a, b);
            assertEquals(32, iov.byteSize());
            assertEquals(a.address(), IoVec.base(iov, 0));
            assertEquals(3, IoVec.len(iov, 0));
            assertEquals(b.address(), IoVec.base(iov, 1));
            assertEquals(73, IoVec.totalLength(iov, 2));
            assertEquals(3, IoVec.totalLength(iov, 1));
            assertThrows(IllegalArgumentException.class,
                    () -> IoVec.allocate(arena, MemorySegment.ofArray(new byte[4])));
        }
    }

    @Test
    void sockaddrIn() {
        assertEquals(16, SockaddrIn.LAYOUT.byteSize());
        assertEquals(2, offset(SockaddrIn.LAYOUT, "sin_port"));
        assertEquals(4, offset(SockaddrIn.LAYOUT, "sin_addr"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = SockaddrIn.loopback(arena, 0x1234);
            assertEquals(HostConstants.AF_INET, sa.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals(0x12, sa.get(ValueLayout.JAVA_BYTE, 2), "port in network order");
            assertEquals(0x34, sa.get(ValueLayout.JAVA_BYTE, 3));
            assertEquals(127, sa.get(ValueLayout.JAVA_BYTE, 4), "address in network order");
            assertEquals(1, sa.get(ValueLayout.JAVA_BYTE, 7));
            assertEquals(0x1234, SockaddrIn.port(sa));
            assertEquals(SockaddrIn.INADDR_LOOPBACK, SockaddrIn.address(sa));
        }
    }

    @Test
    void linger() {
        assertEquals(8, Linger.LAYOUT.byteSize());
        assertEquals(4, offset(Linger.LAYOUT, "l_linger"));
    }
}
