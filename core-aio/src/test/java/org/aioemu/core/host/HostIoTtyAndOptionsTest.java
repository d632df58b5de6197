package org.aioemu.core.host;

import static org.aioemu.core.host.HostConstants.AF_INET;
import static org.aioemu.core.host.HostConstants.SOCK_STREAM;
import static org.aioemu.core.host.HostConstants.SOL_SOCKET;
import static org.aioemu.core.host.HostConstants.SO_ACCEPTCONN;
import static org.aioemu.core.host.HostConstants.SO_RCVBUF;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jnr.constants.platform.linux.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** getsockopt, mlock/munlock, openpty and raw mode: the bindings the FreeBSD ABI and its tests use. */
class HostIoTtyAndOptionsTest {
    private final Arena arena = Arena.ofConfined();
    private final Fds fds = new Fds();

    @AfterEach
    void cleanUp() {
        fds.close();
        arena.close();
    }

    @Test
    void getsockoptReadsBufferSizeAndListeningState() {
        int[] pair = fds.socketpair();
        assertTrue(HostIo.getsockoptInt(pair[0], SOL_SOCKET, SO_RCVBUF) > 0);
        int s = fds.track(HostIo.socket(AF_INET, SOCK_STREAM, 0));
        assertEquals(0, HostIo.getsockoptInt(s, SOL_SOCKET, SO_ACCEPTCONN));
        assertEquals(0, HostIo.bind(s, SockaddrIn.loopback(arena, 0)));
        assertEquals(0, HostIo.listen(s, 1));
        assertEquals(1, HostIo.getsockoptInt(s, SOL_SOCKET, SO_ACCEPTCONN));
        assertEquals(-Errno.EBADF.intValue(), HostIo.getsockoptInt(-1, SOL_SOCKET, SO_RCVBUF));
    }

    @Test
    void mlockLocksMappedMemoryAndRefusesAHole() {
        MemorySegment page = arena.allocate(4096, 4096);
        assertEquals(0, HostIo.mlock(page.address(), page.byteSize()));
        assertEquals(0, HostIo.munlock(page.address(), page.byteSize()));
        long hole = HostIo.mmap(0, 4096, HostConstants.PROT_NONE, HostConstants.MAP_PRIVATE | HostConstants.MAP_ANONYMOUS, -1, 0);
        assertTrue(hole > 0);
        assertEquals(0, HostIo.munmap(hole, 4096));
        assertEquals(-Errno.ENOMEM.intValue(), HostIo.mlock(hole, 4096));
    }

    @Test
    void rawPtyPassesBytesUnchanged() {
        int[] pty = new int[2];
        assertEquals(0, HostIo.openpty(pty));
        fds.track(pty[0]);
        fds.track(pty[1]);
        assertEquals(0, HostIo.makeRaw(pty[1]));
        byte[] data = {'a', '\n', 'b', 3, 0x7f};
        MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, data);
        assertEquals(data.length, HostIo.write(pty[1], out, data.length));
        MemorySegment in = arena.allocate(16);
        long got = 0;
        while (got < data.length) {
            long n = HostIo.read(pty[0], in.asSlice(got), 16 - got);
            assertTrue(n > 0, () -> "read: " + HostErrno.name((int) n));
            got += n;
        }
        assertArrayEquals(data, in.asSlice(0, got).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(-Errno.ENOTTY.intValue(), HostIo.makeRaw(fds.pipe(0)[0]));
    }
}
