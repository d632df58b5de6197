package org.aioemu.core.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Objects;

/**
 * Raw libc calls through FFM downcalls.
 *
 * <p>Every method returns the call's non-negative result, or the <em>negative</em> host errno on
 * failure (the io_uring / Netty convention), so a failed call costs no exception and the caller
 * decides what an errno means (including whether EINTR is worth a retry: nothing retries here).
 *
 * <p>Buffers must be native segments. A byte count larger than its segment is rejected with
 * {@link IndexOutOfBoundsException}: libc trusts the count, so the segment's bounds are the only
 * guard against writing past the caller's memory. Addresses inside an iovec array are raw and are
 * not checked.
 */
@SuppressWarnings("restricted") // binding libc is this class's whole purpose
public final class HostIo {
    private static final Linker LINKER = Linker.nativeLinker();

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET =
            CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    // errno lands in a segment handed to each call; sharing one segment would let a thread read
    // another thread's errno, so each thread gets its own, freed with the thread.
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    // Out-parameters of fixed, small size (int[2], pollfd, epoll_event, rlimit, eventfd counter)
    // reuse one per-thread scratch area instead of an arena per call; none of them nests.
    private static final long SCRATCH_SIZE = 16;
    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SCRATCH_SIZE, 8));

    // <termios.h> (<bits/termios-struct.h>): sizeof(struct termios) on x86_64, and TCSANOW
    private static final long TERMIOS_SIZE = 60;
    private static final int TCSANOW = 0;

    // <sys/resource.h>
    private static final int RLIMIT_NOFILE = 7;
    // <sys/stat.h>: the struct stat version __fxstat expects on x86_64
    private static final int STAT_VER_LINUX = 1;

    private static final MethodHandle PREAD = downcall("pread", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle PWRITE = downcall("pwrite", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle PREADV = downcall("preadv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
    private static final MethodHandle PWRITEV = downcall("pwritev", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
    private static final MethodHandle PREADV2 =
            downcall("preadv2", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle PWRITEV2 =
            downcall("pwritev2", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle READ = downcall("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE = downcall("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle READV = downcall("readv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle WRITEV = downcall("writev", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RECV = downcall("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SEND = downcall("send", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle FSYNC = downcall("fsync", JAVA_INT, JAVA_INT);
    private static final MethodHandle FDATASYNC = downcall("fdatasync", JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = downcall("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle DUP = downcall("dup", JAVA_INT, JAVA_INT);
    // int fcntl(int fd, int cmd, ...) and int open(const char *path, int flags, ...)
    private static final MethodHandle FCNTL = variadic("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle OPEN = variadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FTRUNCATE = downcall("ftruncate", JAVA_INT, JAVA_INT, JAVA_LONG);
    // int fallocate(int fd, int mode, off_t offset, off_t len)
    private static final MethodHandle FALLOCATE = downcall("fallocate", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle UNLINK = downcall("unlink", JAVA_INT, ADDRESS);
    private static final MethodHandle RMDIR = downcall("rmdir", JAVA_INT, ADDRESS);
    private static final MethodHandle PIPE2 = downcall("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SOCKETPAIR =
            downcall("socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle SHUTDOWN = downcall("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SOCKET = downcall("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    // socklen_t is unsigned int
    private static final MethodHandle BIND = downcall("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle CONNECT = downcall("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LISTEN = downcall("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle ACCEPT4 = downcall("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKNAME = downcall("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle SETSOCKOPT =
            downcall("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    // int getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen)
    private static final MethodHandle GETSOCKOPT =
            downcall("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    // int mlock(const void *addr, size_t len); int munlock(const void *addr, size_t len)
    private static final MethodHandle MLOCK = downcall("mlock", JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle MUNLOCK = downcall("munlock", JAVA_INT, JAVA_LONG, JAVA_LONG);
    // int openpty(int *amaster, int *aslave, char *name, const struct termios *, const struct winsize *)
    private static final MethodHandle OPENPTY = downcall("openpty", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    // int tcgetattr(int fd, struct termios *); void cfmakeraw(struct termios *);
    // int tcsetattr(int fd, int optional_actions, const struct termios *)
    private static final MethodHandle TCGETATTR = downcall("tcgetattr", JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle CFMAKERAW = LINKER.downcallHandle(symbol("cfmakeraw"), FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle TCSETATTR = downcall("tcsetattr", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle EVENTFD = downcall("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    // int memfd_create(const char *name, unsigned int flags)
    private static final MethodHandle MEMFD_CREATE = downcall("memfd_create", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETPID = downcall("getpid", JAVA_INT);
    // pid_t gettid(void); int tgkill(pid_t tgid, pid_t tid, int sig) (glibc 2.30+)
    private static final MethodHandle GETTID = downcall("gettid", JAVA_INT);
    private static final MethodHandle TGKILL = downcall("tgkill", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    // int sigaction(int signum, const struct sigaction *act, struct sigaction *oldact)
    private static final MethodHandle SIGACTION = downcall("sigaction", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    // int poll(struct pollfd *fds, nfds_t nfds, int timeout); nfds_t is unsigned long
    private static final MethodHandle POLL = downcall("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle PPOLL = downcall("ppoll", JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS);
    private static final MethodHandle EPOLL_CREATE1 = downcall("epoll_create1", JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CTL = downcall("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FSTAT = fstatHandle();
    private static final MethodHandle GETRLIMIT = downcall("getrlimit", JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle SETRLIMIT = downcall("setrlimit", JAVA_INT, JAVA_INT, ADDRESS);
    // void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off); int munmap(...); int mprotect(...)
    private static final MethodHandle MMAP = downcall("mmap", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle MUNMAP = downcall("munmap", JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle MPROTECT = downcall("mprotect", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    // void *mremap(void *old, size_t old_size, size_t new_size, int flags, ... /* void *new_address */)
    private static final MethodHandle MREMAP = variadic("mremap", 4, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG);
    // ssize_t process_vm_readv(pid_t, const struct iovec *local, unsigned long liovcnt,
    //                          const struct iovec *remote, unsigned long riovcnt, unsigned long flags)
    private static final MethodHandle PROCESS_VM_READV =
            downcall("process_vm_readv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle PROCESS_VM_WRITEV =
            downcall("process_vm_writev", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG);
    // long syscall(long number, ...): everything after the number is variadic; all six argument
    // registers are filled, and the kernel reads only as many as the call takes.
    private static final MethodHandle SYSCALL = variadic("syscall", 1, JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private HostIo() {}

    public static long pread(int fd, MemorySegment buf, long count, long offset) {
        checkBuffer(buf, count);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) PREAD.invokeExact(cs, fd, buf, count, offset), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long pwrite(int fd, MemorySegment buf, long count, long offset) {
        checkBuffer(buf, count);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) PWRITE.invokeExact(cs, fd, buf, count, offset), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long preadv(int fd, MemorySegment iov, int iovcnt, long offset) {
        checkIovec(iov, iovcnt);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) PREADV.invokeExact(cs, fd, iov, iovcnt, offset), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long pwritev(int fd, MemorySegment iov, int iovcnt, long offset) {
        checkIovec(iov, iovcnt);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) PWRITEV.invokeExact(cs, fd, iov, iovcnt, offset), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code offset} -1 means the file position, as for read(2). {@code flags} are RWF_*. */
    public static long preadv2(int fd, MemorySegment iov, int iovcnt, long offset, int flags) {
        checkIovec(iov, iovcnt);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) PREADV2.invokeExact(cs, fd, iov, iovcnt, offset, flags), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code offset} -1 means the file position, as for write(2). {@code flags} are RWF_*. */
    public static long pwritev2(int fd, MemorySegment iov, int iovcnt, long offset, int flags) {
        checkIovec(iov, iovcnt);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) PWRITEV2.invokeExact(cs, fd, iov, iovcnt, offset, flags), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long read(int fd, MemorySegment buf, long count) {
        checkBuffer(buf, count);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) READ.invokeExact(cs, fd, buf, count), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long write(int fd, MemorySegment buf, long count) {
        checkBuffer(buf, count);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) WRITE.invokeExact(cs, fd, buf, count), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long readv(int fd, MemorySegment iov, int iovcnt) {
        checkIovec(iov, iovcnt);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) READV.invokeExact(cs, fd, iov, iovcnt), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long writev(int fd, MemorySegment iov, int iovcnt) {
        checkIovec(iov, iovcnt);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) WRITEV.invokeExact(cs, fd, iov, iovcnt), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code flags} are MSG_*; MSG_DONTWAIT makes one call non-blocking without touching the fd. */
    public static long recv(int fd, MemorySegment buf, long len, int flags) {
        checkBuffer(buf, len);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) RECV.invokeExact(cs, fd, buf, len, flags), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Pass MSG_NOSIGNAL unless the process should die of SIGPIPE on a closed peer. */
    public static long send(int fd, MemorySegment buf, long len, int flags) {
        checkBuffer(buf, len);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) SEND.invokeExact(cs, fd, buf, len, flags), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int fsync(int fd) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) FSYNC.invokeExact(cs, fd), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int fdatasync(int fd) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) FDATASYNC.invokeExact(cs, fd), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Never retry on -EINTR: Linux has already released the fd, and it may be someone else's now. */
    public static int close(int fd) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) CLOSE.invokeExact(cs, fd), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int dup(int fd) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) DUP.invokeExact(cs, fd), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** For commands with an int argument or none (then {@code arg} is ignored by the kernel). */
    public static int fcntl(int fd, int cmd, int arg) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) FCNTL.invokeExact(cs, fd, cmd, arg), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int ftruncate(int fd, long length) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) FTRUNCATE.invokeExact(cs, fd, length), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code mode} is FALLOC_FL_* (0 allocates and extends the file size). */
    public static int fallocate(int fd, int mode, long offset, long length) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) FALLOCATE.invokeExact(cs, fd, mode, offset, length), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int unlink(String path) {
        MemorySegment cs = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            return result((int) UNLINK.invokeExact(cs, arena.allocateFrom(path)), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int rmdir(String path) {
        MemorySegment cs = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            return result((int) RMDIR.invokeExact(cs, arena.allocateFrom(path)), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int open(String path, int flags, int mode) {
        MemorySegment cs = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            return result((int) OPEN.invokeExact(cs, arena.allocateFrom(path), flags, mode), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** On success fills {@code fds[0]} (read end) and {@code fds[1]} (write end). */
    public static int pipe2(int[] fds, int flags) {
        checkPair(fds);
        MemorySegment cs = CAPTURE.get();
        MemorySegment out = SCRATCH.get();
        int rc;
        try {
            rc = result((int) PIPE2.invokeExact(cs, out, flags), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return copyPair(rc, out, fds);
    }

    /** On success fills {@code fds[0]} and {@code fds[1]}. */
    public static int socketpair(int domain, int type, int protocol, int[] fds) {
        checkPair(fds);
        MemorySegment cs = CAPTURE.get();
        MemorySegment out = SCRATCH.get();
        int rc;
        try {
            rc = result((int) SOCKETPAIR.invokeExact(cs, domain, type, protocol, out), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return copyPair(rc, out, fds);
    }

    public static int shutdown(int fd, int how) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) SHUTDOWN.invokeExact(cs, fd, how), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int socket(int domain, int type, int protocol) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) SOCKET.invokeExact(cs, domain, type, protocol), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code addr} is a whole socket address (e.g. {@link SockaddrIn}); its size is the addrlen. */
    public static int bind(int fd, MemorySegment addr) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) BIND.invokeExact(cs, fd, addr, (int) addr.byteSize()), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code addr} is a whole socket address (e.g. {@link SockaddrIn}); its size is the addrlen. */
    public static int connect(int fd, MemorySegment addr) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) CONNECT.invokeExact(cs, fd, addr, (int) addr.byteSize()), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int listen(int fd, int backlog) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) LISTEN.invokeExact(cs, fd, backlog), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Accepts one connection without asking for the peer's address; {@code flags} are SOCK_NONBLOCK/SOCK_CLOEXEC. */
    public static int accept4(int fd, int flags) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) ACCEPT4.invokeExact(cs, fd, MemorySegment.NULL, MemorySegment.NULL, flags), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Fills {@code addr} (its size is the room offered) with the socket's own address. */
    public static int getsockname(int fd, MemorySegment addr) {
        MemorySegment len = SCRATCH.get();
        len.set(JAVA_INT, 0, (int) addr.byteSize());
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) GETSOCKNAME.invokeExact(cs, fd, addr, len), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code optval} is the whole option value (an int, a {@link Linger}, ...); its size is the optlen. */
    public static int setsockopt(int fd, int level, int optname, MemorySegment optval) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) SETSOCKOPT.invokeExact(cs, fd, level, optname, optval, (int) optval.byteSize()), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** memfd_create(2): anonymous memory with an fd, so that one region can be mapped twice. */
    public static int memfdCreate(String name, int flags) {
        MemorySegment cs = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            return result((int) MEMFD_CREATE.invokeExact(cs, arena.allocateFrom(name), flags), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Reads an int-valued socket option (SO_RCVBUF, SO_ACCEPTCONN, ...); the value, or -errno. */
    public static int getsockoptInt(int fd, int level, int optname) {
        MemorySegment scratch = SCRATCH.get();   // [0] optval, [4] optlen
        scratch.set(JAVA_INT, 4, Integer.BYTES);
        MemorySegment cs = CAPTURE.get();
        int rc;
        try {
            rc = result((int) GETSOCKOPT.invokeExact(cs, fd, level, optname, scratch, scratch.asSlice(4)), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return rc < 0 ? rc : scratch.get(JAVA_INT, 0);
    }

    /** mlock(2) on a raw address range; 0 or -errno (ENOMEM for an unmapped range, EAGAIN/EPERM over RLIMIT_MEMLOCK). */
    public static int mlock(long addr, long len) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) MLOCK.invokeExact(cs, addr, len), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** setsockopt with an int option value, the common case. */
    public static int setsockoptInt(int fd, int level, int optname, int value) {
        MemorySegment v = SCRATCH.get().asSlice(0, 4);
        v.set(JAVA_INT, 0, value);
        return setsockopt(fd, level, optname, v);
    }

    public static int munlock(long addr, long len) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) MUNLOCK.invokeExact(cs, addr, len), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Opens a pseudo-terminal pair with default settings; fills {@code fds[0]} (master) and {@code fds[1]} (slave). */
    public static int openpty(int[] fds) {
        checkPair(fds);
        MemorySegment out = SCRATCH.get();
        MemorySegment cs = CAPTURE.get();
        int rc;
        try {
            rc = result((int) OPENPTY.invokeExact(cs, out, out.asSlice(4), MemorySegment.NULL, MemorySegment.NULL,
                    MemorySegment.NULL), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        return copyPair(rc, out, fds);
    }

    /**
     * Puts a terminal in raw mode (tcgetattr, cfmakeraw, tcsetattr TCSANOW): bytes pass unchanged,
     * reads return as soon as one byte is there. 0 or -errno.
     */
    public static int makeRaw(int fd) {
        MemorySegment cs = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment termios = arena.allocate(TERMIOS_SIZE, 4);
            int rc = result((int) TCGETATTR.invokeExact(cs, fd, termios), cs);
            if (rc < 0) return rc;
            CFMAKERAW.invokeExact(termios);
            return result((int) TCSETATTR.invokeExact(cs, fd, TCSANOW, termios), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int eventfd(int initval, int flags) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) EVENTFD.invokeExact(cs, initval, flags), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** mmap(2) returning the address as a raw long (tests build read-only or unmapped pages with it), or -errno. */
    public static long mmap(long addr, long len, int prot, int flags, int fd, long off) {
        MemorySegment cs = CAPTURE.get();
        try {
            long p = (long) MMAP.invokeExact(cs, addr, len, prot, flags, fd, off);
            return result(p, cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int munmap(long addr, long len) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) MUNMAP.invokeExact(cs, addr, len), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int mprotect(long addr, long len, int prot) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) MPROTECT.invokeExact(cs, addr, len, prot), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * mremap(2) returning the new address, or -errno; {@code newAddress} is read only with
     * MREMAP_FIXED. Tests move a Linux AIO ring with it (the kernel follows the move, LNX-12).
     */
    public static long mremap(long oldAddress, long oldSize, long newSize, int flags, long newAddress) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) MREMAP.invokeExact(cs, oldAddress, oldSize, newSize, flags, newAddress), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** process_vm_readv(2): copies between processes (or within this one) without faulting: EFAULT instead. */
    public static long processVmReadv(int pid, MemorySegment localIov, long liovcnt, MemorySegment remoteIov, long riovcnt) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) PROCESS_VM_READV.invokeExact(cs, pid, localIov, liovcnt, remoteIov, riovcnt, 0L), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** process_vm_writev(2), the copy-out twin of {@link #processVmReadv}. */
    public static long processVmWritev(int pid, MemorySegment localIov, long liovcnt, MemorySegment remoteIov, long riovcnt) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) PROCESS_VM_WRITEV.invokeExact(cs, pid, localIov, liovcnt, remoteIov, riovcnt, 0L), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * syscall(2) for a system call libc does not wrap (the io_* family, say): {@code nr} is the
     * x86_64 number, the arguments are raw register values (pointers as addresses).
     */
    public static long syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((long) SYSCALL.invokeExact(cs, nr, a1, a2, a3, a4, a5, a6), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final long SYS_KCMP = 312;    // x86_64
    private static final long KCMP_FILE = 0;

    /**
     * Whether two fds of this process reach the same open file (kcmp(2) KCMP_FILE): the one way to
     * tell anonymous-inode files (eventfds, timerfds, ...) apart, as they all share one inode.
     * False if either fd is not open.
     */
    public static boolean sameOpenFile(int fd1, int fd2) {
        int pid = getpid();
        return syscall6(SYS_KCMP, pid, pid, KCMP_FILE, fd1, fd2, 0) == 0;
    }

    public static int getpid() {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) GETPID.invokeExact(cs), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The calling thread's kernel thread id. */
    public static int gettid() {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) GETTID.invokeExact(cs), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Sends {@code sig} to one thread of a process. */
    public static int tgkill(int tgid, int tid, int sig) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) TGKILL.invokeExact(cs, tgid, tid, sig), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code act} and {@code oldact} each hold a {@link SigAction#LAYOUT} or are {@link MemorySegment#NULL}. */
    public static int sigaction(int signum, MemorySegment act, MemorySegment oldact) {
        if (!act.equals(MemorySegment.NULL)) checkBuffer(act, SigAction.LAYOUT.byteSize());
        if (!oldact.equals(MemorySegment.NULL)) checkBuffer(oldact, SigAction.LAYOUT.byteSize());
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) SIGACTION.invokeExact(cs, signum, act, oldact), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code pollfds} is a {@link PollFd} array of at least {@code nfds} entries. */
    public static int poll(MemorySegment pollfds, int nfds, int timeoutMillis) {
        Objects.checkFromIndexSize(0L, nfds * PollFd.LAYOUT.byteSize(), pollfds.byteSize());
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) POLL.invokeExact(cs, pollfds, (long) nfds, timeoutMillis), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * ppoll(2) with a timespec timeout (nanosecond precision; {@code timeout} NULL waits forever)
     * and no signal mask change: the number of ready entries, 0 on timeout, or -errno.
     */
    public static int ppoll(MemorySegment pollfds, int nfds, MemorySegment timeout) {
        Objects.checkFromIndexSize(0L, nfds * PollFd.LAYOUT.byteSize(), pollfds.byteSize());
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) PPOLL.invokeExact(cs, pollfds, (long) nfds, timeout, MemorySegment.NULL), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Polls one fd; returns its revents (0 on timeout) or -errno. */
    public static int pollOne(int fd, short events, int timeoutMillis) {
        MemorySegment pfd = SCRATCH.get();
        PollFd.set(pfd, 0, fd, events);
        int rc = poll(pfd, 1, timeoutMillis);
        return rc <= 0 ? rc : Short.toUnsignedInt(PollFd.revents(pfd, 0));
    }

    public static int epollCreate1(int flags) {
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) EPOLL_CREATE1.invokeExact(cs, flags), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code events} is an EPOLL* mask; {@code data} comes back unchanged from {@link #epollWait}. */
    public static int epollCtl(int epfd, int op, int fd, int events, long data) {
        MemorySegment ev = SCRATCH.get();
        EpollEvent.set(ev, 0, events, data);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) EPOLL_CTL.invokeExact(cs, epfd, op, fd, ev), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code events} is an {@link EpollEvent} array of at least {@code maxEvents} entries. */
    public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        Objects.checkFromIndexSize(0L, maxEvents * EpollEvent.LAYOUT.byteSize(), events.byteSize());
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) EPOLL_WAIT.invokeExact(cs, epfd, events, maxEvents, timeoutMillis), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code statBuf} holds a {@link Stat#LAYOUT}. */
    public static int fstat(int fd, MemorySegment statBuf) {
        checkBuffer(statBuf, Stat.LAYOUT.byteSize());
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) FSTAT.invokeExact(cs, fd, statBuf), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Reads an eventfd's counter (resetting it, or decrementing by one under EFD_SEMAPHORE).
     * A counter of 2^63 or more would read as negative; eventfd users never get near that.
     */
    public static long readEventfd(int fd) {
        MemorySegment counter = SCRATCH.get();
        long rc = read(fd, counter, Long.BYTES);
        return rc < 0 ? rc : counter.get(JAVA_LONG, 0);
    }

    /** Adds {@code value} to an eventfd's counter; returns 0 or -errno. */
    public static int writeEventfd(int fd, long value) {
        MemorySegment counter = SCRATCH.get();
        counter.set(JAVA_LONG, 0, value);
        long rc = write(fd, counter, Long.BYTES);
        return rc < 0 ? (int) rc : 0;
    }

    /** Sets or clears O_NONBLOCK on the open file description (shared by every dup of the fd). */
    public static int setNonBlocking(int fd, boolean on) {
        int flags = fcntl(fd, HostConstants.F_GETFL, 0);
        if (flags < 0) return flags;
        int wanted = on ? flags | HostConstants.O_NONBLOCK : flags & ~HostConstants.O_NONBLOCK;
        if (wanted == flags) return 0;
        return fcntl(fd, HostConstants.F_SETFL, wanted);
    }

    /**
     * Fills {@code curMax[0]} with the soft and {@code curMax[1]} with the hard RLIMIT_NOFILE;
     * RLIM_INFINITY reads as -1.
     */
    public static int getrlimitNofile(long[] curMax) {
        if (curMax.length < 2) throw new IllegalArgumentException("need 2 slots, got " + curMax.length);
        // struct rlimit { rlim_t rlim_cur; rlim_t rlim_max; };  rlim_t is unsigned long
        MemorySegment rlim = SCRATCH.get();
        MemorySegment cs = CAPTURE.get();
        int rc;
        try {
            rc = result((int) GETRLIMIT.invokeExact(cs, RLIMIT_NOFILE, rlim), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (rc == 0) {
            curMax[0] = rlim.get(JAVA_LONG, 0);
            curMax[1] = rlim.get(JAVA_LONG, 8);
        }
        return rc;
    }

    public static int setrlimitNofile(long cur, long max) {
        MemorySegment rlim = SCRATCH.get();
        rlim.set(JAVA_LONG, 0, cur);
        rlim.set(JAVA_LONG, 8, max);
        MemorySegment cs = CAPTURE.get();
        try {
            return result((int) SETRLIMIT.invokeExact(cs, RLIMIT_NOFILE, rlim), cs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // libc reports failure as -1 and leaves the reason in errno; fold the two into one value.
    private static long result(long rc, MemorySegment cs) {
        return rc == -1 ? -cs.get(JAVA_INT, ERRNO_OFFSET) : rc;
    }

    private static int result(int rc, MemorySegment cs) {
        return rc == -1 ? -cs.get(JAVA_INT, ERRNO_OFFSET) : rc;
    }

    // invokeExact declares Throwable but a downcall throws nothing checked; pass through the
    // unchecked failures the linker does raise (e.g. a segment whose arena is closed) unchanged.
    private static Error unexpected(Throwable t) {
        if (t instanceof RuntimeException e) throw e;
        return t instanceof Error e ? e : new AssertionError(t);
    }

    private static void checkBuffer(MemorySegment buf, long count) {
        Objects.checkFromIndexSize(0L, count, buf.byteSize());
    }

    private static void checkIovec(MemorySegment iov, int iovcnt) {
        // A negative or oversized iovcnt is left to the kernel (EINVAL); only the array must fit.
        if (iovcnt > 0) checkBuffer(iov, iovcnt * IoVec.LAYOUT.byteSize());
    }

    private static void checkPair(int[] fds) {
        if (fds.length < 2) throw new IllegalArgumentException("need 2 slots, got " + fds.length);
    }

    private static int copyPair(int rc, MemorySegment out, int[] fds) {
        if (rc == 0) {
            fds[0] = out.get(JAVA_INT, 0);
            fds[1] = out.get(JAVA_INT, 4);
        }
        return rc;
    }

    private static MethodHandle downcall(String name, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args),
                Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle variadic(String name, int firstVariadic, MemoryLayout ret, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    // glibc before 2.33 exports fstat only as the inline wrapper around __fxstat(ver, fd, buf).
    private static MethodHandle fstatHandle() {
        if (LINKER.defaultLookup().find("fstat").isPresent()) {
            return downcall("fstat", JAVA_INT, JAVA_INT, ADDRESS);
        }
        MethodHandle fxstat = downcall("__fxstat", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
        return MethodHandles.insertArguments(fxstat, 1, STAT_VER_LINUX);
    }
}
