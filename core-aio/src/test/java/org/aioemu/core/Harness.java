package org.aioemu.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostErrno;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.Linger;
import org.aioemu.core.host.SockaddrIn;

/**
 * One test's world: an {@link AioSystem}, a shared arena for buffers (workers and the poller
 * touch them), and the host fds the test opened. Closing it releases every {@link PtyBlocker},
 * lets each process still alive cancel and drain (bounded, so a failed test cannot hang the
 * suite), stops the system and only then closes the fds and frees the memory.
 */
final class Harness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);

    final AioSystem sys;
    final Arena arena = Arena.ofShared();
    private final List<Integer> fds = new ArrayList<>();
    private final List<PtyBlocker> blockers = new ArrayList<>();

    private Harness(AioConfig config) {
        this.sys = AioSystem.start(config);
    }

    static Harness start() {
        return new Harness(AioConfig.defaults());
    }

    static Harness start(AioConfig config) {
        return new Harness(config);
    }

    AioProcess process(String name) {
        return sys.newProcess(name, ExitPolicy.DRAIN);
    }

    synchronized int track(int fd) {
        assertTrue(fd >= 0, () -> "expected an fd, got " + HostErrno.name(-fd));
        fds.add(fd);
        return fd;
    }

    /** Closes now, so the final cleanup does not close a number that was reused meanwhile. */
    synchronized void closeNow(int fd) {
        assertTrue(fds.remove(Integer.valueOf(fd)), "not ours: " + fd);
        assertEquals(0, HostIo.close(fd));
    }

    int open(Path path, int flags) {
        return track(HostIo.open(path.toString(), flags | HostConstants.O_CLOEXEC, 0644));
    }

    /** [read end, write end] */
    int[] pipe() {
        int[] p = new int[2];
        assertEquals(0, HostIo.pipe2(p, HostConstants.O_CLOEXEC));
        track(p[0]);
        track(p[1]);
        return p;
    }

    int[] socketpair() {
        int[] s = new int[2];
        assertEquals(0, HostIo.socketpair(HostConstants.AF_UNIX, HostConstants.SOCK_STREAM | HostConstants.SOCK_CLOEXEC, 0, s));
        track(s[0]);
        track(s[1]);
        return s;
    }

    /** A connected loopback TCP pair: [client, accepted server side]. */
    int[] tcpPair() {
        int listener = HostIo.socket(HostConstants.AF_INET, HostConstants.SOCK_STREAM | HostConstants.SOCK_CLOEXEC, 0);
        assertTrue(listener >= 0, "socket");
        try {
            assertEquals(0, HostIo.bind(listener, SockaddrIn.loopback(arena, 0)));
            assertEquals(0, HostIo.listen(listener, 1));
            MemorySegment bound = arena.allocate(SockaddrIn.LAYOUT);
            assertEquals(0, HostIo.getsockname(listener, bound));
            int client = track(HostIo.socket(HostConstants.AF_INET, HostConstants.SOCK_STREAM | HostConstants.SOCK_CLOEXEC, 0));
            assertEquals(0, HostIo.connect(client, SockaddrIn.loopback(arena, SockaddrIn.port(bound))));
            int server = track(HostIo.accept4(listener, HostConstants.SOCK_CLOEXEC));
            return new int[] {client, server};
        } finally {
            HostIo.close(listener);
        }
    }

    /** Makes the next close() of a TCP socket send a reset instead of a FIN. */
    void lingerZero(int fd) {
        assertEquals(0, HostIo.setsockopt(fd, HostConstants.SOL_SOCKET, HostConstants.SO_LINGER, Linger.of(arena, true, 0)));
    }

    PtyBlocker blocker() {
        PtyBlocker b = new PtyBlocker(this);
        synchronized (this) {
            blockers.add(b);
        }
        return b;
    }

    MemorySegment text(String s) {
        return arena.allocateFrom(s).asSlice(0, s.length());
    }

    MemorySegment filled(long size, int value) {
        MemorySegment seg = arena.allocate(size, 4096);
        seg.fill((byte) value);
        return seg;
    }

    static String string(MemorySegment seg, long len) {
        return new String(seg.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
    }

    /** Writes directly on the host, bypassing the core. */
    void put(int fd, String s) {
        assertEquals(s.length(), HostIo.write(fd, text(s), s.length()));
    }

    /** Reads directly on the host, bypassing the core; blocks if the fd does. */
    String get(int fd, int max) {
        MemorySegment buf = arena.allocate(max);
        long n = HostIo.read(fd, buf, max);
        assertTrue(n >= 0, () -> "read: " + HostErrno.name((int) -n));
        return string(buf, n);
    }

    static void eventually(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out waiting until " + what);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting until " + what);
            }
        }
    }

    static void awaitState(Request r, Request.State state) {
        eventually(r + " is " + state, () -> r.state() == state);
    }

    /** Asserts the submit is refused with {@code error}; returns the exception for more checks. */
    static AioException refused(AioError error, ThrowingRunnable submit) {
        try {
            submit.run();
        } catch (AioException e) {
            assertEquals(error, e.error(), e::getMessage);
            return e;
        }
        return fail("expected a refusal with " + error);
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws AioException;
    }

    @Override
    public void close() {
        List<PtyBlocker> bs;
        synchronized (this) {
            bs = List.copyOf(blockers);
        }
        for (PtyBlocker b : bs) b.release();
        for (AioProcess p : sys.processes()) p.exit(ExitPolicy.CANCEL_THEN_DRAIN, WAIT);
        sys.close();
        synchronized (this) {
            for (int fd : fds) HostIo.close(fd);
            fds.clear();
        }
        arena.close();
    }
}
