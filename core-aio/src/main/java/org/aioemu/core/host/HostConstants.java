package org.aioemu.core.host;

/** Host constants for x86_64 Linux (glibc headers; several differ on other architectures). */
public final class HostConstants {
    private HostConstants() {}

    // <linux/fs.h>: per-call flags for preadv2/pwritev2
    public static final int RWF_HIPRI = 0x1;
    public static final int RWF_DSYNC = 0x2;
    public static final int RWF_SYNC = 0x4;
    public static final int RWF_NOWAIT = 0x8;
    public static final int RWF_APPEND = 0x10;

    // <sys/socket.h>: send/recv flags
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_NOSIGNAL = 0x4000;

    // <fcntl.h> (<asm-generic/fcntl.h>): open flags / file status flags
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_ACCMODE = 03;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DSYNC = 010000;
    public static final int O_DIRECT = 040000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_SYNC = 04010000;
    public static final int O_PATH = 010000000;

    // <fcntl.h>: fcntl commands
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;

    // <poll.h> (<bits/poll.h>)
    /** sigaction flags (x86_64). */
    public static final int SA_RESTART = 0x10000000;

    public static final int POLLIN = 0x1;
    public static final int POLLPRI = 0x2;
    public static final int POLLOUT = 0x4;
    public static final int POLLERR = 0x8;
    public static final int POLLHUP = 0x10;
    public static final int POLLNVAL = 0x20;
    public static final int POLLRDNORM = 0x40;
    public static final int POLLRDBAND = 0x80;
    public static final int POLLWRNORM = 0x100;
    public static final int POLLWRBAND = 0x200;
    public static final int POLLRDHUP = 0x2000;

    // <sys/epoll.h>
    public static final int EPOLLIN = 0x1;
    public static final int EPOLLOUT = 0x4;
    public static final int EPOLLERR = 0x8;
    public static final int EPOLLHUP = 0x10;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLL_CLOEXEC = 02000000;

    // <sys/eventfd.h>
    public static final int EFD_SEMAPHORE = 1;
    public static final int EFD_NONBLOCK = 04000;
    public static final int EFD_CLOEXEC = 02000000;

    // <sys/socket.h> (<bits/socket.h>, <bits/socket_type.h>)
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_LINGER = 13;
    public static final int SO_ACCEPTCONN = 30;

    // <netinet/in.h>, <netinet/tcp.h>
    public static final int IPPROTO_TCP = 6;
    public static final int TCP_NODELAY = 1;

    // <sys/mman.h>
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MREMAP_MAYMOVE = 1;
    public static final int MREMAP_FIXED = 2;
    public static final int MFD_CLOEXEC = 1;

    // <sys/stat.h> (<bits/stat.h>): st_mode file type bits
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 060000;
    public static final int S_IFDIR = 040000;
    public static final int S_IFCHR = 020000;
    public static final int S_IFIFO = 010000;
}
