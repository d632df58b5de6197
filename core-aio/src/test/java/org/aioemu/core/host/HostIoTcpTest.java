package org.aioemu.core.host;

import static org.aioemu.core.host.HostConstants.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jnr.constants.platform.linux.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TCP setup calls, on real 127.0.0.1 sockets. */
class HostIoTcpTest {
    private static final int ECONNREFUSED = Errno.ECONNREFUSED.intValue();
    private static final int EADDRINUSE = Errno.EADDRINUSE.intValue();
    private static final int EBADF = Errno.EBADF.intValue();
    private static final int ENOTSOCK = Errno.ENOTSOCK.intValue();

    private final Arena arena = Arena.ofConfined();
    private final Fds fds = new Fds();

    @AfterEach
    void cleanUp() {
        fds.close();
        arena.close();
    }

    private int tcpSocket() {
        return fds.track(HostIo.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    }

    /** A listening socket on 127.0.0.1 at a port the kernel picked; returns [fd, port]. */
    private int[] listener() {
        int fd = tcpSocket();
        assertEquals(0, HostIo.setsockoptInt(fd, SOL_SOCKET, SO_REUSEADDR, 1));
        MemorySegment any = SockaddrIn.of(arena, SockaddrIn.INADDR_LOOPBACK, 0);
        assertEquals(0, HostIo.bind(fd, any, (int) SockaddrIn.LAYOUT.byteSize()));
        assertEquals(0, HostIo.listen(fd, 16));
        MemorySegment bound = arena.allocate(SockaddrIn.LAYOUT);
        assertEquals(SockaddrIn.LAYOUT.byteSize(), HostIo.getsockname(fd, bound));
        assertEquals(AF_INET, SockaddrIn.family(bound));
        assertEquals(SockaddrIn.INADDR_LOOPBACK, SockaddrIn.address(bound));
        assertNotEquals(0, SockaddrIn.port(bound), "the kernel picks a port on bind to 0");
        return new int[] {fd, SockaddrIn.port(bound)};
    }

    @Test
    void sockaddrInIsNetworkOrder() {
        assertEquals(16, SockaddrIn.LAYOUT.byteSize());
        MemorySegment sa = SockaddrIn.of(arena, SockaddrIn.INADDR_LOOPBACK, 0x1234);
        assertArrayEquals(new byte[] {AF_INET, 0, 0x12, 0x34, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
                sa.toArray(ValueLayout.JAVA_BYTE));
        assertEquals(0x1234, SockaddrIn.port(sa));
    }

    @Test
    void connectAcceptAndExchangeBytes() {
        int[] l = listener();
        int client = tcpSocket();
        assertEquals(0, HostIo.setsockoptInt(client, IPPROTO_TCP, TCP_NODELAY, 1));
        MemorySegment to = SockaddrIn.of(arena, SockaddrIn.INADDR_LOOPBACK, l[1]);
        assertEquals(0, HostIo.connect(client, to, (int) SockaddrIn.LAYOUT.byteSize()));
        int server = fds.track(HostIo.accept(l[0]));
        MemorySegment msg = arena.allocateFrom("ping").asSlice(0, 4);
        assertEquals(4, HostIo.send(client, msg, 4, MSG_NOSIGNAL));
        MemorySegment buf = arena.allocate(16);
        assertEquals(4, HostIo.recv(server, buf, 16, 0));
        assertEquals("ping", new String(buf.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE)));
        MemorySegment peer = arena.allocate(SockaddrIn.LAYOUT);
        HostIo.getsockname(client, peer);
        assertEquals(SockaddrIn.INADDR_LOOPBACK, SockaddrIn.address(peer));
    }

    @Test
    void errorsComeBackAsNegativeErrno() {
        int[] l = listener();
        int closedPort = l[1];
        fds.closeNow(l[0]);
        int client = tcpSocket();
        MemorySegment to = SockaddrIn.of(arena, SockaddrIn.INADDR_LOOPBACK, closedPort);
        assertEquals(-ECONNREFUSED, HostIo.connect(client, to, (int) SockaddrIn.LAYOUT.byteSize()));

        int[] first = listener();
        int second = tcpSocket();
        MemorySegment same = SockaddrIn.of(arena, SockaddrIn.INADDR_LOOPBACK, first[1]);
        assertEquals(-EADDRINUSE, HostIo.bind(second, same, (int) SockaddrIn.LAYOUT.byteSize()));

        int[] pipe = fds.pipe(0);
        assertEquals(-ENOTSOCK, HostIo.accept(pipe[0]));
        assertEquals(-ENOTSOCK, HostIo.listen(pipe[0], 1));
        assertEquals(-EBADF, HostIo.setsockoptInt(-1, SOL_SOCKET, SO_REUSEADDR, 1));
        assertEquals(-EBADF, HostIo.getsockname(-1, arena.allocate(SockaddrIn.LAYOUT)));
    }
}
