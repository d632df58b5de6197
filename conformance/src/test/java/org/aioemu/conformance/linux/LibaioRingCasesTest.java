package org.aioemu.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.LinuxAioConstants;
import org.aioemu.linux.LinuxAioSystem;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxSubmitMode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * libaio harness/cases 12.t and 17.t to 23.t: contexts across fork, the completion ring (full
 * rings, user-space reaping, moving it), io_destroy with I/O in flight, the aio-max-nr budget,
 * RWF_NOWAIT on O_DIRECT, signals in io_pgetevents and missed poll wakeups.
 */
class LibaioRingCasesTest extends EmulatedLinuxCases {
    private static final long GIVE_UP_NANOS = 10_000_000_000L;

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 12.t: after fork the child's io_submit(parent ctx, 0, NULL) is -EINVAL while the parent's is 0")
    void contextAcrossFork(LinuxSubmitMode mode) {
        EmulatedProgram parent = program(mode);
        long ctx = parent.setup(1024);
        assertEquals(0, parent.os.ioSubmit(ctx, 0, 0));
        EmulatedProgram child = fork(parent);
        // The child still sees the ring's memory (one JVM heap here, a copied mapping on Linux)...
        assertEquals(LinuxAioConstants.AIO_RING_MAGIC, new UserRing(ctx).magic());
        assertEquals(-LinuxErrno.EINVAL, child.os.ioSubmit(ctx, 0, 0));                         // LNX-10, LNX-22
        assertEquals(-LinuxErrno.EINVAL, child.os.ioDestroy(ctx));
        child.exit();
        assertEquals(0, parent.os.ioSubmit(ctx, 0, 0), "the parent's context is untouched by the child's exit");
    }

    // ---- 17.t -----------------------------------------------------------------------------------

    /** 17.t's run_test: submit max_ios O_DIRECT preadv, pruning on -EAGAIN, and make sure every one completes. */
    private void ringOverflow(LinuxSubmitMode mode, int maxIos, boolean userGetevents) throws Exception {
        EmulatedProgram p = program(mode);
        long ctx = p.setup(32);
        int ioSize = 0x1000;
        Path file = dir.resolve("testfile");
        Files.deleteIfExists(file);
        int fd = p.open(file, HostConstants.O_CREAT | HostConstants.O_RDWR | HostConstants.O_DIRECT);
        assertEquals(0, HostIo.ftruncate(fd, (long) maxIos * ioSize));
        MemorySegment data = p.bytes((long) ioSize * maxIos);
        MemorySegment[] io = new MemorySegment[maxIos];
        for (int i = 0; i < maxIos; i++) {
            io[i] = IocbPrep.preadv(p.iocb(), fd, p.iovecs(data.asSlice((long) ioSize * i, ioSize)), 1, 0);
            Iocb.aio_data(io[i], io[0].address());
        }
        long iops = p.list(io);
        MemorySegment events = p.events(maxIos);
        UserRing ring = new UserRing(ctx);
        long submitted = 0, completed = 0, pending = 0;
        long deadline = System.nanoTime() + GIVE_UP_NANOS;
        while (submitted < maxIos) {
            assertTrue(System.nanoTime() < deadline, "hung at " + submitted + " of " + maxIos);
            long ret = p.os.ioSubmit(ctx, maxIos - submitted, iops + 8 * submitted);
            if (ret >= 0) {
                submitted += ret;
                pending += ret;
            } else {
                assertEquals(-LinuxErrno.EAGAIN, ret, "the only refusal a full ring gives (LNX-9)");
                long n = userGetevents ? ring.reap(maxIos, events) : p.os.ioGetevents(ctx, pending, maxIos, events.address(), 0);
                assertTrue(n >= 0);
                completed += n;
                pending -= n;
            }
        }
        // The final prune. Linux finished these O_DIRECT reads of a hole inside io_submit; the
        // emulation runs O_DIRECT on workers (LNX-40), so user reaping waits for them to land.
        while (pending > 0) {
            assertTrue(System.nanoTime() < deadline, "events lost: " + pending + " never came");
            long n = userGetevents ? ring.reap(maxIos, events) : p.os.ioGetevents(ctx, pending, maxIos, events.address(), 0);
            completed += n;
            pending -= n;
        }
        assertEquals(0, p.os.ioDestroy(ctx));
        assertEquals(submitted, completed);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 17.t: io_setup(32) has a 127-event ring; submitting ring.nr-1 ... 4*ring.nr O_DIRECT preadv, pruning with io_getevents on -EAGAIN, never hangs and completes all")
    void moreEventsThanTheRingWithIoGetevents(LinuxSubmitMode mode) throws Exception {
        int ringSize = ringSizeOf(32);
        assertEquals(127, ringSize, "LNX-7 on 2 CPUs");
        for (int maxIos : new int[] {ringSize - 1, ringSize, ringSize + 1, ringSize * 2, ringSize * 4}) {
            ringOverflow(mode, maxIos, false);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 17.t: the same with events reaped from the user-space ring (USER_GETEVENTS): head moved by the program gives slots back")
    void moreEventsThanTheRingWithUserReaping(LinuxSubmitMode mode) throws Exception {
        int ringSize = ringSizeOf(32);
        for (int maxIos : new int[] {ringSize - 1, ringSize, ringSize + 1, ringSize * 2, ringSize * 4}) {
            ringOverflow(mode, maxIos, true);                                                     // LNX-13, LNX-14
        }
    }

    /** 17.t's get_ring_size: io_setup, read ring->nr, io_destroy. */
    private int ringSizeOf(int nrEvents) {
        EmulatedProgram p = program(LinuxSubmitMode.LINUX);
        long ctx = p.setup(nrEvents);
        int nr = new UserRing(ctx).nr();
        assertEquals(0, p.os.ioDestroy(ctx));
        return nr;
    }

    // ---- 18.t -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 18.t: threads each io_setup(1), submit an O_DIRECT read and io_destroy without reaping; when io_destroy returns the read is done and the buffer never changes again (8 threads x 50 rounds here; the original 100 x 1000)")
    void destroyWaitsForInFlightIo(LinuxSubmitMode mode) throws Exception {
        EmulatedProgram p = program(mode);
        int page = (int) EmulatedProgram.PAGE;
        byte[] pattern = new byte[page];
        java.util.Arrays.fill(pattern, (byte) '1');
        Path file = Files.write(dir.resolve("tempfile"), pattern);
        int threads = 8, rounds = 50;
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    int fd = HostIo.open(file.toString(), HostConstants.O_DIRECT | HostConstants.O_RDONLY, 0);
                    assertTrue(fd >= 0);
                    MemorySegment buffer = p.bytes(page);
                    MemorySegment cb = p.iocb();
                    for (int i = 0; i < rounds; i++) {
                        long ctx = p.setup(1);
                        IocbPrep.pread(cb, fd, buffer, 0);
                        buffer.fill((byte) '0');
                        assertEquals(1, p.submit(ctx, cb));
                        assertEquals(0, p.os.ioDestroy(ctx));
                        // LNX-16: destroy returned only after the read finished with the buffer.
                        assertEquals(-1, buffer.mismatch(MemorySegment.ofArray(pattern)), "read done when io_destroy returned");
                        buffer.fill((byte) '2');
                        Thread.onSpinWait();
                        for (int j = 0; j < page; j++) assertEquals('2', buffer.get(ValueLayout.JAVA_BYTE, j));
                    }
                    HostIo.close(fd);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread w : workers) w.join();
        if (!failures.isEmpty()) throw new AssertionError(failures.peek());
    }

    // ---- 19.t -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @Tag("known-difference")
    @DisplayName("libaio 19.t: known difference — with the ring moved by mremap, Linux submits on the new ctx (the emulation: -EINVAL, LNX-12 not followed); a completion reaped from the moved ring in user space is right (obj == &iocb) as on Linux")
    void remappedRing(LinuxSubmitMode mode) throws Exception {
        // Known difference: Linux re-keys the context to the ring's new address; the emulation
        // keeps it at the address io_setup returned. Completions still land in the moved ring,
        // because the emulation writes them through a mapping of its own of the same pages.
        EmulatedProgram p = program(mode);
        int fd = p.open(dir.resolve("19.file"), HostConstants.O_CREAT | HostConstants.O_RDWR | HostConstants.O_DIRECT);
        long ctx = p.setup(1);
        long size = new UserRing(ctx).mappedBytes();
        MemorySegment iocb = p.iocb();
        MemorySegment buf = p.bytes(4096);
        int moveFlags = HostConstants.MREMAP_MAYMOVE | HostConstants.MREMAP_FIXED;

        // Between io_setup and io_submit.
        long moved = remap(ctx, size);
        try {
            assertEquals(-LinuxErrno.EINVAL, p.submit(moved, IocbPrep.pwrite(iocb, fd, buf, 0)), "Linux: 1");
        } finally {
            assertEquals(ctx, HostIo.mremap(moved, size, size, moveFlags, ctx));
        }

        // Between io_submit and reaping, which is done from the moved ring in user space.
        assertEquals(1, p.submit(ctx, IocbPrep.pwrite(iocb, fd, buf, 0)));
        moved = remap(ctx, size);
        try {
            MemorySegment ev = p.events(1);
            UserRing ring = new UserRing(moved);
            long deadline = System.nanoTime() + GIVE_UP_NANOS;
            int got = 0;
            while (got == 0 && System.nanoTime() < deadline) {
                got = ring.reap(1, ev);
                if (got == 0) Thread.yield();
            }
            assertEquals(1, got, "user_getevents timed out");
            assertEquals(iocb.address(), IoEvent.obj(ev, 0));
            assertEquals(4096, IoEvent.res(ev, 0));
        } finally {
            assertEquals(ctx, HostIo.mremap(moved, size, size, moveFlags, ctx));
        }
        assertEquals(0, p.os.ioDestroy(ctx));
    }

    /** 19.t's remap_ring: find an unused range (a PROT_NONE mapping) and move the ring onto it. */
    private static long remap(long ring, long size) {
        long va = HostIo.mmap(0, size, HostConstants.PROT_NONE, HostConstants.MAP_PRIVATE | HostConstants.MAP_ANONYMOUS, -1, 0);
        assertTrue(va > 0);
        long moved = HostIo.mremap(ring, size, size, HostConstants.MREMAP_MAYMOVE | HostConstants.MREMAP_FIXED, va);
        assertEquals(va, moved, "mremap");
        return moved;
    }

    // ---- 20.t -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 20.t: for nr_events 1, 2, 4 ... aio-max-nr a fresh child creates (aio-max-nr - aio-nr) / nr contexts without -EAGAIN, and one more is -EAGAIN (aio-max-nr 256 on an emulated kernel of its own)")
    void aioMaxNrCanBeUsedUp(LinuxSubmitMode mode) {
        // The original needs the host's system-wide aio-max-nr to itself; an emulated kernel has
        // its own budget, so the case runs here with a small one.
        try (LinuxAioSystem kernel = LinuxAioSystem.start()) {
            kernel.setAioMaxNr(256);
            long aioMaxNr = kernel.aioMaxNr();
            for (long nrEvents = 1; ; nrEvents = Math.min(nrEvents * 2, aioMaxNr)) {
                try (EmulatedProgram child = new EmulatedProgram(kernel, "20.t-" + nrEvents, mode)) {
                    long nrCtxs = (aioMaxNr - kernel.aioNr()) / nrEvents;
                    for (long i = 0; i < nrCtxs; i++) {
                        long rc = child.os.ioSetup((int) nrEvents, child.ctxVariable(0).address());
                        assertTrue(rc != -LinuxErrno.EAGAIN, "io_setup(" + nrEvents + ") -EAGAIN on iteration " + i + ", aio-nr " + kernel.aioNr());
                        assertEquals(0, rc);
                    }
                    assertEquals(nrCtxs * nrEvents, kernel.aioNr(), "aio-nr counts nr_events asked for (LNX-5)");
                    assertEquals(-LinuxErrno.EAGAIN, child.os.ioSetup((int) nrEvents, child.ctxVariable(0).address()), "past aio-max-nr");
                }
                assertEquals(0, kernel.aioNr(), "exit gave every context back (LNX-20)");
                if (nrEvents == aioMaxNr) break;
            }
        }
    }

    // ---- 21.t -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 21.t: an O_DIRECT preadv2 with RWF_NOWAIT over a page-cached block gives res -EAGAIN; after an O_DIRECT pwrite drops the page the same request reads 4096")
    void nowaitDirectRead(LinuxSubmitMode mode) throws Exception {
        EmulatedProgram p = program(mode);
        int fd = p.open(dir.resolve("21.file"), HostConstants.O_CREAT | HostConstants.O_RDWR);
        long ctx = p.setup(1);
        MemorySegment buf = p.bytes(4096);
        buf.fill((byte) 0xa);
        assertEquals(4096, HostIo.write(fd, buf, 4096), "a buffered write puts the block in the page cache");
        int flags = HostIo.fcntl(fd, HostConstants.F_GETFL, 0);
        assertEquals(0, HostIo.fcntl(fd, HostConstants.F_SETFL, flags | HostConstants.O_DIRECT));
        buf.fill((byte) 0);
        MemorySegment iocb = IocbPrep.preadv(p.iocb(), fd, p.iovecs(buf), 1, 0);
        Iocb.aio_rw_flags(iocb, LinuxAioConstants.RWF_NOWAIT);
        MemorySegment ev = p.events(1);
        assertEquals(1, p.submit(ctx, iocb));
        assertEquals(1, p.getevents(ctx, 1, 1, ev, -1));
        assertEquals(-LinuxErrno.EAGAIN, IoEvent.res(ev, 0));                                  // LNX-48
        assertEquals(4096, HostIo.pwrite(fd, buf, 4096, 0), "an O_DIRECT write drops the cached page");
        assertEquals(1, p.submit(ctx, iocb));
        assertEquals(1, p.getevents(ctx, 1, 1, ev, -1));
        assertEquals(4096, IoEvent.res(ev, 0));
    }

    // ---- 22.t -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @Tag("known-difference")
    @DisplayName("libaio 22.t: known difference — a signal (here Thread.interrupt) ends a child's io_pgetevents poll wait with -EINTR, the child then writes a pipe and the parent's poll event arrives with obj == &iocb and POLLIN; the emulation does not apply the sigmask")
    void pgeteventsInterruptedBySignal(LinuxSubmitMode mode) throws Exception {
        // Known difference: emulated signals are Thread.interrupt(). io_pgetevents reads and checks
        // its sigmask (LNX-66) but does not install it, so every interrupt ends the wait; on Linux
        // only a signal the mask leaves unblocked does (LNX-67). 22.t's own scenario, SIGUSR1
        // blocked by the process and unblocked by the mask, behaves the same either way.
        EmulatedProgram parent = program(mode);
        int[] pipe1 = parent.pipe(), pipe2 = parent.pipe();
        MemorySegment sigmask = parent.bytes(8);
        sigmask.set(ValueLayout.JAVA_LONG, 0, ~(1L << (10 - 1)));   // everything blocked but SIGUSR1 (10)
        MemorySegment usig = parent.bytes(16);                       // libaio's {sigmask, _NSIG / 8}
        usig.set(ValueLayout.JAVA_LONG, 0, sigmask.address());
        usig.set(ValueLayout.JAVA_LONG, 8, 8);

        EmulatedProgram child = fork(parent);
        CountDownLatch childPolling = new CountDownLatch(1);
        AtomicLong childResult = new AtomicLong(Long.MIN_VALUE);
        Thread childThread = Thread.ofPlatform().start(() -> {
            long cctx = child.setup(1);
            MemorySegment cb = IocbPrep.poll(child.iocb(), pipe1[0], HostConstants.POLLIN);
            if (child.submit(cctx, cb) != 1) return;
            childPolling.countDown();
            MemorySegment ev = child.events(1);
            long to = child.timespec(0, 500_000_000);
            long ret;
            do {
                ret = child.os.ioPgetevents(cctx, 1, 1, ev.address(), to, usig.address());
            } while (ret == 0);
            childResult.set(ret);
            MemorySegment foo = child.text("foo");
            HostIo.write(pipe2[1], foo, 3);
            child.exit();
        });

        long ctx = parent.setup(1);
        MemorySegment iocb = IocbPrep.poll(parent.iocb(), pipe2[0], HostConstants.POLLIN);
        assertEquals(1, parent.submit(ctx, iocb));
        assertTrue(childPolling.await(10, TimeUnit.SECONDS), "child: io_submit of the poll failed");
        childThread.interrupt();                                                               // kill(p, SIGUSR1)
        MemorySegment ev = parent.events(1);
        assertEquals(1, parent.os.ioPgetevents(ctx, 1, 1, ev.address(), 0, usig.address()));
        assertEquals(iocb.address(), IoEvent.obj(ev, 0));
        assertEquals(HostConstants.POLLIN, IoEvent.res(ev, 0) & HostConstants.POLLIN);          // LNX-55
        childThread.join(10_000);
        assertEquals(-LinuxErrno.EINTR, childResult.get(), "child: io_pgetevents ended by the signal (LNX-64, LNX-67)");
    }

    // ---- 23.t -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(LinuxSubmitMode.class)
    @DisplayName("libaio 23.t: an aio poll of a pipe raced by a writer and by a reader that writes again never misses its wakeup (2 processes x 500 rounds, write(2) for splice(2); the original runs ncpus x 5000)")
    void pollMissesNoWakeup(LinuxSubmitMode mode) throws Exception {
        int processes = 2, rounds = 500;
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> children = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            EmulatedProgram p = program(mode);
            children.add(Thread.ofPlatform().start(() -> {
                try {
                    pollRace(p, rounds);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread c : children) c.join();
        if (!failures.isEmpty()) throw new AssertionError(failures.peek());
    }

    /** 23.t's child_process: thread 1 polls, thread 2 adds a byte, thread 3 takes one and adds another. */
    private static void pollRace(EmulatedProgram p, int rounds) throws Exception {
        long ctx = p.setup(1);
        int[] pipe = p.pipe();
        CyclicBarrier barrier = new CyclicBarrier(3);
        AtomicBoolean exiting = new AtomicBoolean();
        MemorySegment one = p.bytes(1), b2 = p.bytes(1), b3 = p.bytes(1);
        Thread t2 = Thread.ofPlatform().start(() -> helper(barrier, exiting, () -> assertEquals(1, HostIo.write(pipe[1], b2, 1))));
        Thread t3 = Thread.ofPlatform().start(() -> helper(barrier, exiting, () -> {
            assertEquals(1, HostIo.read(pipe[0], b3, 1));
            assertEquals(1, HostIo.write(pipe[1], b3, 1));
        }));
        MemorySegment iocb = p.iocb();
        MemorySegment ev = p.events(1);
        long timeout = p.timespec(5, 0);
        boolean done = false;
        try {
            for (int i = 0; i < rounds; i++) {
                IocbPrep.poll(iocb, pipe[0], HostConstants.POLLIN);
                assertEquals(1, p.submit(ctx, iocb));
                barrier.await(5, TimeUnit.SECONDS);
                long ret = p.os.ioGetevents(ctx, 1, 1, ev.address(), timeout);
                assertEquals(1, ret, "FAIL: poll missed an event! (round " + i + ")");          // LNX-55
                barrier.await(5, TimeUnit.SECONDS);
                assertEquals(1, HostIo.read(pipe[0], one, 1), "the pipe holds 1 byte; back to empty");
            }
            exiting.set(true);
            barrier.await(5, TimeUnit.SECONDS);   // the helpers see exiting and stop
            done = true;
        } finally {
            if (!done) {
                barrier.reset();                  // breaks the helpers' waits
                HostIo.write(pipe[1], one, 1);    // and frees thread 3 if it is blocked in read(2)
            }
            t2.join(5_000);
            t3.join(5_000);
        }
    }

    private static void helper(CyclicBarrier barrier, AtomicBoolean exiting, Runnable work) {
        try {
            for (;;) {
                barrier.await(10, TimeUnit.SECONDS);
                if (exiting.get()) return;
                work.run();
                barrier.await(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // the barrier broke or timed out because thread 1 failed: the helper stops
        }
    }
}
