package org.aioemu.conformance.freebsd;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_EOF;
import static org.aioemu.freebsd.FreeBsdAioConstants.EVFILT_AIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_KEVENT;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_SIGNAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_THREAD;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGUSR1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.aioemu.core.ExitPolicy;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostErrno;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.IoVec;
import org.aioemu.freebsd.FreeBsdAioConstants;
import org.aioemu.freebsd.FreeBsdAioProcess;
import org.aioemu.freebsd.FreeBsdAioSystem;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdErrno;
import org.aioemu.freebsd.FreeBsdKevent;
import org.aioemu.freebsd.FreeBsdSigevent;
import org.aioemu.freebsd.FreeBsdTimespec;

/**
 * One emulated FreeBSD system with one process, for a test: the program's memory (aiocbs,
 * buffers, pointer lists, sigevents, timespecs) lives in an automatic arena, so background
 * completions never touch freed memory; host fds opened here are closed at the end.
 */
final class Fbsd implements AutoCloseable {
    static final int EINPROGRESS = FreeBsdErrno.EINPROGRESS;
    static final int EINVAL = FreeBsdErrno.EINVAL;
    static final int EAGAIN = FreeBsdErrno.EAGAIN;
    static final int EBADF = FreeBsdErrno.EBADF;
    static final int EFAULT = FreeBsdErrno.EFAULT;
    static final int EINTR = FreeBsdErrno.EINTR;
    static final int EIO = FreeBsdErrno.EIO;
    static final int EPIPE = FreeBsdErrno.EPIPE;
    static final int ECANCELED = FreeBsdErrno.ECANCELED;
    static final int EOPNOTSUPP = FreeBsdErrno.EOPNOTSUPP;

    final FreeBsdAioSystem sys = FreeBsdAioSystem.start();
    final FreeBsdAioProcess p = sys.newProcess("test");
    final Arena arena = Arena.ofAuto();
    private final List<Integer> fds = new ArrayList<>();
    private final Path dir;
    private final Random random = new Random();

    Fbsd(Path dir) {
        this.dir = dir;
    }

    /** Ends the test's system; a job a failed test left running cannot hold the exit for more than 5 s. */
    @Override
    public void close() {
        for (FreeBsdAioProcess q : sys.processes()) q.setExitPolicy(ExitPolicy.CANCEL_THEN_DRAIN, Duration.ofSeconds(5));
        sys.close();
        for (int fd : fds) HostIo.close(fd);
    }

    void sysctl(String name, long value) {
        try {
            sys.sysctl().set(name, value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    long sysctl(String name) {
        try {
            return sys.sysctl().get(name);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- program memory ------------------------------------------------------------------------

    MemorySegment aiocb() {
        return arena.allocate(FreeBsdAiocb.LAYOUT);
    }

    /** An aiocb for {@code nbytes} at {@code buf}, offset {@code off}. */
    MemorySegment aiocb(int fd, MemorySegment buf, long nbytes, long off) {
        MemorySegment cb = aiocb();
        FreeBsdAiocb.setFildes(cb, fd);
        FreeBsdAiocb.setBuf(cb, buf.address());
        FreeBsdAiocb.setNbytes(cb, nbytes);
        FreeBsdAiocb.setOffset(cb, off);
        return cb;
    }

    MemorySegment aiocb(int fd, MemorySegment buf, long off) {
        return aiocb(fd, buf, buf.byteSize(), off);
    }

    /** A vectored aiocb over {@code buffers}. */
    MemorySegment aiocbv(int fd, long off, MemorySegment... buffers) {
        MemorySegment iov = IoVec.allocate(arena, buffers);
        MemorySegment cb = aiocb();
        FreeBsdAiocb.setFildes(cb, fd);
        FreeBsdAiocb.setIov(cb, iov.address());
        FreeBsdAiocb.setIovcnt(cb, buffers.length);
        FreeBsdAiocb.setOffset(cb, off);
        return cb;
    }

    /** The buffer an aiocb names (aio_buf, aio_nbytes). */
    @SuppressWarnings("restricted")
    static MemorySegment bufferOf(MemorySegment cb) {
        FreeBsdAiocb.Value v = FreeBsdAiocb.read(cb);
        return MemorySegment.ofAddress(v.buf()).reinterpret(v.nbytes());
    }

    MemorySegment buffer(long n) {
        return arena.allocate(Math.max(n, 1), 16).asSlice(0, n);
    }

    MemorySegment randomBuffer(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        MemorySegment s = buffer(n);
        s.copyFrom(MemorySegment.ofArray(b));
        return s;
    }

    MemorySegment text(String s) {
        return arena.allocateFrom(s).asSlice(0, s.length());
    }

    static String string(MemorySegment s) {
        return new String(s.toArray(JAVA_BYTE), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A {@code struct aiocb *[]}; MemorySegment.NULL entries become NULL pointers. */
    MemorySegment list(MemorySegment... cbs) {
        MemorySegment l = arena.allocate(JAVA_LONG, Math.max(cbs.length, 1));
        for (int i = 0; i < cbs.length; i++) l.setAtIndex(JAVA_LONG, i, cbs[i].address());
        return l;
    }

    MemorySegment timespec(long sec, long nsec) {
        MemorySegment t = arena.allocate(FreeBsdTimespec.LAYOUT);
        FreeBsdTimespec.set(t, sec, nsec);
        return t;
    }

    MemorySegment pointer() {
        return arena.allocate(JAVA_LONG);
    }

    MemorySegment sigevent() {
        return arena.allocate(FreeBsdSigevent.LAYOUT);
    }

    MemorySegment kevents(int n) {
        return arena.allocate(FreeBsdKevent.LAYOUT, n);
    }

    /** An address nothing is mapped at (a page mapped, then unmapped). */
    static long unmapped() {
        long a = HostIo.mmap(0, 4096, HostConstants.PROT_NONE, HostConstants.MAP_PRIVATE | HostConstants.MAP_ANONYMOUS, -1, 0);
        assertTrue(a > 0);
        assertEquals(0, HostIo.munmap(a, 4096));
        return a;
    }

    /** {@code len} bytes of {@code text} at the very end of a mapping: the byte after it faults. */
    static MemorySegment atEndOfMapping(String text) {
        long a = HostIo.mmap(0, 8192, HostConstants.PROT_READ | HostConstants.PROT_WRITE,
                HostConstants.MAP_PRIVATE | HostConstants.MAP_ANONYMOUS, -1, 0);
        assertTrue(a > 0);
        assertEquals(0, HostIo.munmap(a + 4096, 4096));
        @SuppressWarnings("restricted")
        MemorySegment page = MemorySegment.ofAddress(a).reinterpret(4096);
        MemorySegment s = page.asSlice(4096 - text.length(), text.length());
        s.copyFrom(MemorySegment.ofArray(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        return s;
    }

    // ---- notifications -------------------------------------------------------------------------

    /** Sets the aiocb's sigevent to SIGEV_SIGNAL with SIGUSR1 and a handler that releases {@code sem}. */
    void signalOnCompletion(MemorySegment cb, Semaphore sem) {
        assertEquals(0, p.sigaction(SIGUSR1, info -> sem.release(), 0));
        MemorySegment sev = FreeBsdAiocb.sigevent(cb);
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_SIGNAL);
        FreeBsdSigevent.setSigno(sev, 0, SIGUSR1);
    }

    /** Sets the aiocb's sigevent to SIGEV_THREAD with a native callback that releases {@code sem}. */
    void threadOnCompletion(MemorySegment cb, Semaphore sem) {
        MemorySegment sev = FreeBsdAiocb.sigevent(cb);
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_THREAD);
        FreeBsdSigevent.setFunction(sev, 0, callback(v -> sem.release()));
    }

    private static final MethodHandle ACCEPT;

    static {
        try {
            ACCEPT = MethodHandles.lookup().findStatic(Fbsd.class, "accept",
                    MethodType.methodType(void.class, LongConsumer.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")   // the upcall target
    private static void accept(LongConsumer c, long sigval) {
        try {
            c.accept(sigval);
        } catch (Throwable t) {
            t.printStackTrace();   // an exception must not cross the upcall (it would end the JVM)
        }
    }

    /** A native {@code void (*)(union sigval)} that calls {@code c}, as a C program's SIGEV_THREAD function. */
    long callback(LongConsumer c) {
        return Linker.nativeLinker().upcallStub(MethodHandles.insertArguments(ACCEPT, 0, c),
                FunctionDescriptor.ofVoid(JAVA_LONG), arena).address();
    }

    /** Sets the aiocb's sigevent to SIGEV_KEVENT on {@code kq} with udata {@code udata}. */
    static void keventOnCompletion(MemorySegment cb, int kq, long udata, int evflags) {
        MemorySegment sev = FreeBsdAiocb.sigevent(cb);
        FreeBsdSigevent.setNotify(sev, 0, SIGEV_KEVENT);
        FreeBsdSigevent.setKqueue(sev, 0, kq);
        FreeBsdSigevent.setValue(sev, 0, udata);
        FreeBsdSigevent.setKeventFlags(sev, 0, evflags);
    }

    static boolean acquire(Semaphore sem) {
        try {
            return sem.tryAcquire(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    // ---- completion methods of aio_test.c ------------------------------------------------------

    /** aio_test.c poll(): aio_error until not EINPROGRESS (25 ms naps), then aio_return; a failure's errno comes back positive. */
    long poll(MemorySegment cb) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int error;
        while ((error = p.aio_error(cb.address())) == EINPROGRESS) {
            if (System.nanoTime() > end) fail("job never finished");
            sleep(25);
        }
        return error != 0 ? error : p.aio_return(cb.address());
    }

    /** aio_test.c suspend(): aio_suspend(NULL timeout) on the one aiocb, then aio_return. */
    long suspend(MemorySegment cb) {
        int rc = p.aio_suspend(list(cb).address(), 1, 0);
        return rc == 0 ? p.aio_return(cb.address()) : rc;
    }

    /** aio_test.c waitcomplete(): aio_waitcomplete(NULL timeout) must hand back this aiocb. */
    long waitcomplete(MemorySegment cb) {
        MemorySegment pp = pointer();
        long n = p.aio_waitcomplete(pp.address(), 0);
        assertEquals(cb.address(), pp.get(JAVA_LONG, 0));
        return n;
    }

    /** aio_test.c poll_kqueue(): one kevent for this aiocb, EV_EOF, no error, udata as set; then aio_return. */
    long pollKqueue(MemorySegment cb, int kq, long udata) {
        MemorySegment ev = kevents(1);
        assertEquals(1, p.kevent(kq, 0, 0, ev.address(), 1, 0));
        FreeBsdKevent.Value e = FreeBsdKevent.read(ev, 0);
        assertEquals(cb.address(), e.ident());
        assertEquals(EVFILT_AIO, e.filter());
        assertEquals(EV_EOF, e.flags());
        assertEquals(0, e.fflags());
        assertEquals(0, e.data());
        assertEquals(udata, e.udata());
        return p.aio_return(cb.address());
    }

    /** aio_test.c poll_signaled(): wait for the notification, then aio_error/aio_return. */
    long pollSignaled(MemorySegment cb, Semaphore sem) {
        assertTrue(acquire(sem), "no notification");
        int error = p.aio_error(cb.address());
        if (error == EINPROGRESS) return -EINTR;
        return error == 0 ? p.aio_return(cb.address()) : error;
    }

    // ---- host objects --------------------------------------------------------------------------

    int track(int fd) {
        assertTrue(fd >= 0, () -> "expected an fd, got " + HostErrno.name(fd));
        fds.add(fd);
        return fd;
    }

    int file(String name) {
        return track(HostIo.open(dir.resolve(name).toString(), HostConstants.O_RDWR | HostConstants.O_CREAT | HostConstants.O_CLOEXEC, 0600));
    }

    int open(String name, int flags) {
        return track(HostIo.open(dir.resolve(name).toString(), flags | HostConstants.O_CLOEXEC, 0600));
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    int[] socketpair(int type) {
        int[] s = new int[2];
        assertEquals(0, HostIo.socketpair(HostConstants.AF_UNIX, type | HostConstants.SOCK_CLOEXEC, 0, s));
        track(s[0]);
        track(s[1]);
        return s;
    }

    int[] pipe(int flags) {
        int[] s = new int[2];
        assertEquals(0, HostIo.pipe2(s, flags | HostConstants.O_CLOEXEC));
        track(s[0]);
        track(s[1]);
        return s;
    }

    /** A FIFO opened as aio_test.c does: read end O_NONBLOCK first, then the write end blocking. */
    int[] fifo(String name) {
        String path = dir.resolve(name).toString();
        try {
            Process mk = new ProcessBuilder("mkfifo", path).start();
            assertEquals(0, mk.waitFor());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        int r = track(HostIo.open(path, HostConstants.O_RDONLY | HostConstants.O_NONBLOCK | HostConstants.O_CLOEXEC, 0));
        int w = track(HostIo.open(path, HostConstants.O_WRONLY | HostConstants.O_CLOEXEC, 0));
        return new int[] {r, w};
    }

    /** openpty() with the slave in raw mode: [master (read), slave (write)]. */
    int[] pty() {
        int[] t = new int[2];
        assertEquals(0, HostIo.openpty(t));
        track(t[0]);
        track(t[1]);
        assertEquals(0, HostIo.makeRaw(t[1]));
        return t;
    }

    /** A descriptor number that is not open (the originals use 666). */
    static int closedFd() {
        for (int fd = 666; ; fd++) if (HostIo.fcntl(fd, HostConstants.F_GETFD, 0) < 0) return fd;
    }

    static long blksize(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(org.aioemu.core.host.Stat.LAYOUT);
            assertEquals(0, HostIo.fstat(fd, st));
            return org.aioemu.core.host.Stat.blksize(st);
        }
    }

    /** An AF_UNIX stream socket bound to {@code name} in the test directory (not listening). */
    int boundUnixSocket(String name) {
        int s = track(HostIo.socket(HostConstants.AF_UNIX, HostConstants.SOCK_STREAM | HostConstants.SOCK_CLOEXEC, 0));
        // struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }
        MemorySegment sun = arena.allocate(110);
        sun.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) HostConstants.AF_UNIX);
        byte[] path = dir.resolve(name).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MemorySegment.copy(MemorySegment.ofArray(path), 0, sun, 2, path.length);
        assertEquals(0, HostIo.bind(s, sun));
        return s;
    }

    static int sockopt(int fd, int opt) {
        int v = HostIo.getsockoptInt(fd, HostConstants.SOL_SOCKET, opt);
        assertTrue(v > 0);
        return v;
    }

    /**
     * Open POSIX aio_test.h setup_aio(): an AF_UNIX SOCK_DGRAM pair and {@code count} write aiocbs
     * on its first end, each of half SO_SNDBUF (the socket buffer holds two such messages, so the
     * later writes block), SIGEV_NONE, buffers filled with 0xaa. Returns [fd0, fd1].
     */
    int[] setupAio(MemorySegment[] reqs) {
        int[] pair = socketpair(HostConstants.SOCK_DGRAM);
        int size = sockopt(pair[0], HostConstants.SO_SNDBUF) / 2;
        for (int i = 0; i < reqs.length; i++) {
            MemorySegment buf = buffer(size);
            buf.fill((byte) 0xaa);
            reqs[i] = aiocb(pair[0], buf, 0);
        }
        return pair;
    }

    /**
     * A job that holds one worker (an aiod) until {@link Blocker#release}: a read on a pty master
     * nobody writes to yet. Ptys are "unsafe" files, so this turns vfs.aio.enable_unsafe on.
     */
    final class Blocker {
        final int master;
        final int slave;
        final MemorySegment cb;

        Blocker() {
            sysctl("vfs.aio.enable_unsafe", 1);
            int[] t = pty();
            master = t[0];
            slave = t[1];
            cb = aiocb(master, buffer(1), 0);
            assertEquals(0, p.aio_read(cb.address()));
        }

        /** Waits until an aiod has taken the read (call it while nothing else waits for an aiod). */
        Blocker awaitRunning() {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sys.core().workers().queued() > 0) {
                assertTrue(System.nanoTime() < end, "no aiod took the read");
                Thread.onSpinWait();
            }
            return this;
        }

        /** Lets the read finish (a byte arrives on the pty). */
        void unblock() {
            assertEquals(1, HostIo.write(slave, text("x"), 1));
        }

        /** Lets the read finish, waits for it and reaps it. */
        void release() {
            unblock();
            assertEquals(0, awaitDone(cb));
            assertEquals(1, p.aio_return(cb.address()));
        }
    }

    /** The program's own copy of the private fields: {status, error}. */
    static long[] privateFields(MemorySegment cb) {
        return new long[] {FreeBsdAiocb.status(cb), FreeBsdAiocb.error(cb)};
    }

    /** Waits until aio_error stops saying EINPROGRESS; returns the error. */
    int awaitDone(MemorySegment cb) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int error;
        while ((error = p.aio_error(cb.address())) == EINPROGRESS) {
            if (System.nanoTime() > end) fail("job never finished");
            sleep(1);
        }
        return error;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static int sigusr1() {
        return FreeBsdAioConstants.SIGUSR1;
    }
}
