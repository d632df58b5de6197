package org.aioemu.cli;

import static org.aioemu.core.host.HostConstants.AF_INET;
import static org.aioemu.core.host.HostConstants.IPPROTO_TCP;
import static org.aioemu.core.host.HostConstants.SOCK_CLOEXEC;
import static org.aioemu.core.host.HostConstants.SOCK_STREAM;
import static org.aioemu.core.host.HostConstants.SOL_SOCKET;
import static org.aioemu.core.host.HostConstants.SO_REUSEADDR;
import static org.aioemu.core.host.HostConstants.TCP_NODELAY;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostErrno;
import org.aioemu.core.host.HostException;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.SockaddrIn;

/**
 * Real TCP connections on 127.0.0.1 as raw host fds (the core parks on fds, and java.nio does not
 * hand its fds out). A listener binds a port the kernel picks; {@link #connectPair} makes one
 * connection and accepts it, so each pair's two ends are known to belong together.
 */
public final class TcpLoopback implements AutoCloseable {
    private final int listenFd;
    private final int port;
    private final MemorySegment peerAddress;
    private final Arena arena = Arena.ofShared();

    private TcpLoopback(int listenFd, int port) {
        this.listenFd = listenFd;
        this.port = port;
        this.peerAddress = SockaddrIn.loopback(arena, port);
    }

    /** Listens on 127.0.0.1 at a free port with room for {@code backlog} unaccepted connections. */
    public static TcpLoopback listen(int backlog) throws HostException {
        int fd = socket();
        try (Arena a = Arena.ofConfined()) {
            HostException.check("setsockopt(SO_REUSEADDR)", HostIo.setsockoptInt(fd, SOL_SOCKET, SO_REUSEADDR, 1));
            HostException.check("bind(127.0.0.1:0)", HostIo.bind(fd, SockaddrIn.loopback(a, 0)));
            HostException.check("listen", HostIo.listen(fd, backlog));
            MemorySegment bound = a.allocate(SockaddrIn.LAYOUT);
            HostException.check("getsockname", HostIo.getsockname(fd, bound));
            return new TcpLoopback(fd, SockaddrIn.port(bound));
        } catch (HostException e) {
            HostIo.close(fd);
            throw e;
        }
    }

    public int port() { return port; }

    /** One connection: {@code [client end, server end]}. */
    public int[] connectPair() throws HostException {
        int client = socket();
        int rc = HostIo.setsockoptInt(client, IPPROTO_TCP, TCP_NODELAY, 1);
        if (rc == 0) rc = HostIo.connect(client, peerAddress);
        int server = rc == 0 ? HostIo.accept4(listenFd, SOCK_CLOEXEC) : rc;
        if (server < 0) {
            HostIo.close(client);
            throw new HostException(rc < 0 ? "connect(127.0.0.1:" + port + ")" : "accept", -server);
        }
        return new int[] {client, server};
    }

    /**
     * Accepts the next connection made by someone else (a peer process), waiting at most
     * {@code timeoutMillis}; returns the server end.
     */
    public int accept(int timeoutMillis) throws HostException {
        int ready = HostIo.pollOne(listenFd, (short) HostConstants.POLLIN, timeoutMillis);
        if (ready == 0) throw new HostException("accept (no connection within " + timeoutMillis + " ms)", HostErrno.number("ETIMEDOUT"));
        HostException.check("poll", ready);
        int fd = HostIo.accept4(listenFd, SOCK_CLOEXEC);
        HostException.check("accept", fd);
        return fd;
    }

    private static int socket() throws HostException {
        int fd = HostIo.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        HostException.check("socket(AF_INET, SOCK_STREAM)", fd);
        return fd;
    }

    @Override
    public void close() {
        HostIo.close(listenFd);
        arena.close();
    }
}
