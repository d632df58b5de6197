package org.aioemu.conformance.linux;

import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PREAD;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PWRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.SigAction;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.LinuxAioSyscalls;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxSubmitMode;
import org.aioemu.linux.kernel.HostKernelAio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real host signal, sent with tgkill to a thread blocked inside io_submit on a pipe or socket
 * with nothing to read (or no room to write), in the faithful {@code linux} mode: Linux ends the
 * wait and reports -EINTR in the event, io_submit still counts the iocb, and every later iocb of
 * the same call that would wait gets -EINTR too, since the signal stays pending until the call
 * returns; an iocb that need not wait still runs. SA_RESTART changes nothing (aio turns
 * ERESTARTSYS into EINTR). Each case runs on the host kernel and on the emulation, which must
 * agree; the kernel's answers are asserted too (probed first with a C program: two empty-pipe
 * reads, one tgkill, io_submit = 2, both events res = -4, with and without SA_RESTART).
 */
class SignalInterruptsSubmitTest extends EmulatedLinuxCases {
    /** A real-time signal neither glibc nor the JVM uses. */
    private static final int SIGNAL = 40;

    private final Arena arena = Arena.ofShared();
    private final List<Integer> fds = new ArrayList<>();
    private MemorySegment previous;

    @BeforeEach
    void saveHandler() {
        previous = arena.allocate(SigAction.LAYOUT);
        assertEquals(0, HostIo.sigaction(SIGNAL, MemorySegment.NULL, previous));
    }

    @AfterEach
    void restore() {
        HostIo.sigaction(SIGNAL, previous, MemorySegment.NULL);
        for (int fd : fds) HostIo.close(fd);
        arena.close();
    }

    /**
     * The program's handler: libc's getpid stands in for a handler that does nothing (it ignores
     * its argument and returns); what matters is that there is one, so a blocked call is ended.
     */
    private void installHandler(boolean restart) {
        long noop = Linker.nativeLinker().defaultLookup().find("getpid").orElseThrow().address();
        MemorySegment act = arena.allocate(SigAction.LAYOUT);
        SigAction.set(act, noop, restart ? HostConstants.SA_RESTART : 0);
        assertEquals(0, HostIo.sigaction(SIGNAL, act, MemorySegment.NULL));
    }

    static List<Arguments> worlds() {
        List<Arguments> out = new ArrayList<>();
        for (boolean restart : new boolean[] {false, true}) {
            out.add(Arguments.of("host kernel", restart));
            out.add(Arguments.of("emulation (linux mode)", restart));
        }
        return out;
    }

    private LinuxAioSyscalls world(String name) {
        return name.startsWith("host") ? new HostKernelAio() : program(LinuxSubmitMode.LINUX).os;
    }

    private int[] pipe() {
        int[] p = new int[2];
        assertEquals(0, HostIo.pipe2(p, HostConstants.O_CLOEXEC));
        fds.add(p[0]);
        fds.add(p[1]);
        return p;
    }

    private int[] socketpair() {
        int[] s = new int[2];
        assertEquals(0, HostIo.socketpair(HostConstants.AF_UNIX, HostConstants.SOCK_STREAM | HostConstants.SOCK_CLOEXEC, 0, s));
        fds.add(s[0]);
        fds.add(s[1]);
        return s;
    }

    private MemorySegment iocb(int op, int fd, long n, long data) {
        MemorySegment cb = arena.allocate(Iocb.LAYOUT);
        IocbPrep.rw(cb, op, fd, arena.allocate(Math.max(1, n)).address(), n, 0);
        Iocb.aio_data(cb, data);
        return cb;
    }

    /**
     * Submits the iocbs on a thread of its own, signals that thread with {@link #SIGNAL} every 20 ms
     * until io_submit returns (the first signal may land before the thread blocks), then reaps.
     * Returns io_submit's result, then res of the events in order of aio_data.
     */
    private long[] submitUnderSignal(LinuxAioSyscalls aio, MemorySegment... iocbs) throws Exception {
        MemorySegment ctxp = arena.allocate(ValueLayout.JAVA_LONG);
        assertEquals(0, aio.ioSetup(16, ctxp.address()));
        long ctx = ctxp.get(ValueLayout.JAVA_LONG, 0);
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, iocbs.length);
        for (int i = 0; i < iocbs.length; i++) array.setAtIndex(ValueLayout.ADDRESS, i, iocbs[i]);
        AtomicInteger tid = new AtomicInteger();
        CompletableFuture<Long> submitted = new CompletableFuture<>();
        Thread submitter = Thread.ofPlatform().daemon().start(() -> {
            tid.set(HostIo.gettid());
            submitted.complete(aio.ioSubmit(ctx, iocbs.length, array.address()));
        });
        int signals = 0;
        while (!submitted.isDone() && signals < 250) {
            LockSupport.parkNanos(20_000_000);
            if (tid.get() != 0 && !submitted.isDone()) {
                assertEquals(0, HostIo.tgkill(HostIo.getpid(), tid.get(), SIGNAL));
                signals++;
            }
        }
        long rc = submitted.get(5, TimeUnit.SECONDS);
        submitter.join();
        assertTrue(signals > 0, "the thread was signalled while inside io_submit");
        MemorySegment events = arena.allocate(IoEvent.LAYOUT, iocbs.length);
        MemorySegment timeout = arena.allocate(16);
        timeout.set(ValueLayout.JAVA_LONG, 0, 1);
        long n = aio.ioGetevents(ctx, rc, iocbs.length, events.address(), timeout.address());
        assertEquals(rc, n, "every accepted iocb has completed when io_submit returns");
        long[] out = new long[1 + iocbs.length];
        out[0] = rc;
        for (int i = 0; i < n; i++) out[1 + (int) IoEvent.data(events, i)] = IoEvent.res(events, i);
        assertEquals(0, aio.ioDestroy(ctx));
        return out;
    }

    @ParameterizedTest(name = "{0}, SA_RESTART {1}")
    @MethodSource("worlds")
    @DisplayName("aioemu LNX-41 (probed): a signal ends two blocking empty-pipe reads of one io_submit with -EINTR in both events; io_submit counts both")
    void emptyPipeReads(String world, boolean restart) throws Exception {
        installHandler(restart);
        LinuxAioSyscalls aio = world(world);
        int[] p = pipe();
        long[] r = submitUnderSignal(aio, iocb(IOCB_CMD_PREAD, p[0], 64, 0), iocb(IOCB_CMD_PREAD, p[0], 64, 1));
        assertEquals(2, r[0], world);
        assertEquals(-LinuxErrno.EINTR, r[1], world + ": the read the signal interrupted");
        assertEquals(-LinuxErrno.EINTR, r[2], world + ": the next one, with the signal still pending");
    }

    @ParameterizedTest(name = "{0}, SA_RESTART {1}")
    @MethodSource("worlds")
    @DisplayName("aioemu LNX-41 (probed): a signal ends a blocking socket read with -EINTR; a later pipe read of the same io_submit that has data still runs")
    void socketReadThenReadyPipe(String world, boolean restart) throws Exception {
        installHandler(restart);
        LinuxAioSyscalls aio = world(world);
        int[] s = socketpair();
        int[] p = pipe();
        assertEquals(3, HostIo.write(p[1], arena.allocateFrom("abc"), 3));
        long[] r = submitUnderSignal(aio, iocb(IOCB_CMD_PREAD, s[0], 64, 0), iocb(IOCB_CMD_PREAD, p[0], 64, 1),
                iocb(IOCB_CMD_PREAD, s[0], 8, 2));
        assertEquals(3, r[0], world);
        assertEquals(-LinuxErrno.EINTR, r[1], world);
        assertEquals(3, r[2], world + ": a read that need not wait is not interrupted");
        assertEquals(-LinuxErrno.EINTR, r[3], world + ": a later wait is");
    }

    @ParameterizedTest(name = "{0}, SA_RESTART {1}")
    @MethodSource("worlds")
    @DisplayName("aioemu LNX-41 (probed): a signal ends a blocking write to a full pipe with -EINTR in the event")
    void fullPipeWrite(String world, boolean restart) throws Exception {
        installHandler(restart);
        LinuxAioSyscalls aio = world(world);
        int[] p = pipe();
        HostIo.setNonBlocking(p[1], true);
        MemorySegment chunk = arena.allocate(4096);
        while (HostIo.write(p[1], chunk, chunk.byteSize()) > 0) { }
        HostIo.setNonBlocking(p[1], false);
        long[] r = submitUnderSignal(aio, iocb(IOCB_CMD_PWRITE, p[1], 64, 0));
        assertEquals(1, r[0], world);
        assertEquals(-LinuxErrno.EINTR, r[1], world);
    }
}
