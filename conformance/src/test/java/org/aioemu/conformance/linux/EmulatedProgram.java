package org.aioemu.conformance.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.LinuxAioProcess;
import org.aioemu.linux.LinuxAioSystem;
import org.aioemu.linux.LinuxSubmitMode;

/**
 * One emulated Linux program of a ported case: its emulated process, the native memory it hands
 * to the ABI by raw address (iocbs, buffers, pointer arrays, timespecs, as a C program does), and
 * every fd and mapping it made. {@link #close()} exits the process first (which, like Linux,
 * waits for in-flight I/O, LNX-20), so no request can still touch the memory when it is freed.
 */
final class EmulatedProgram implements AutoCloseable {
    /** An address above x86_64 user space: what the suites call a kernel pointer (access_ok fails). */
    static final long KERNEL_ADDRESS = 0xffff_ffff_8100_0000L;
    static final long PAGE = 4096;

    final LinuxAioProcess os;
    final LinuxSubmitMode mode;
    private final Arena memory = Arena.ofShared();
    private final Set<Integer> fds = new LinkedHashSet<>();
    private final List<long[]> mappings = new ArrayList<>();
    private boolean exited;

    EmulatedProgram(LinuxAioSystem system, String name, LinuxSubmitMode mode) {
        this(system.newProcess(name, mode), mode);
    }

    private EmulatedProgram(LinuxAioProcess os, LinuxSubmitMode mode) {
        this.os = os;
        this.mode = mode;
    }

    /** fork(): a child with no AIO state of its own (LNX-10), sharing nothing else we track. */
    EmulatedProgram fork(String name) {
        return new EmulatedProgram(os.fork(name), mode);
    }

    // ---- memory ---------------------------------------------------------------------------------

    /** Zeroed bytes, page aligned (O_DIRECT asks for it; harmless elsewhere). */
    MemorySegment bytes(long n) {
        return memory.allocate(Math.max(1, n), PAGE).asSlice(0, n);
    }

    /** The bytes of {@code s} (US-ASCII), with a NUL after them as a C string literal has. */
    MemorySegment text(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        MemorySegment seg = memory.allocate(b.length + 1L);
        MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, 0, b.length);
        return seg.asSlice(0, b.length);
    }

    MemorySegment iocb() {
        return memory.allocate(Iocb.LAYOUT);
    }

    MemorySegment events(int n) {
        return memory.allocate(IoEvent.LAYOUT, n);
    }

    /** struct iocb *list[] holding the given iocbs' addresses. */
    long list(MemorySegment... iocbs) {
        long[] addrs = new long[iocbs.length];
        for (int i = 0; i < iocbs.length; i++) addrs[i] = iocbs[i].address();
        return pointers(addrs);
    }

    /** An array of raw pointers (which may be NULL, kernel or otherwise bad). */
    long pointers(long... addrs) {
        MemorySegment a = memory.allocate(ValueLayout.JAVA_LONG, Math.max(1, addrs.length));
        for (int i = 0; i < addrs.length; i++) a.setAtIndex(ValueLayout.JAVA_LONG, i, addrs[i]);
        return a.address();
    }

    /** struct iovec[] over the given buffers. */
    long iovecs(MemorySegment... bufs) {
        MemorySegment a = memory.allocate(16L * Math.max(1, bufs.length), 8);
        for (int i = 0; i < bufs.length; i++) {
            a.set(ValueLayout.JAVA_LONG, 16L * i, bufs[i].address());
            a.set(ValueLayout.JAVA_LONG, 16L * i + 8, bufs[i].byteSize());
        }
        return a.address();
    }

    /** One iovec with a raw base (a bad pointer, say). */
    long iovec(long base, long len) {
        MemorySegment a = memory.allocate(16, 8);
        a.set(ValueLayout.JAVA_LONG, 0, base);
        a.set(ValueLayout.JAVA_LONG, 8, len);
        return a.address();
    }

    /** struct timespec {sec, nsec}. */
    long timespec(long sec, long nsec) {
        MemorySegment ts = memory.allocate(16, 8);
        ts.set(ValueLayout.JAVA_LONG, 0, sec);
        ts.set(ValueLayout.JAVA_LONG, 8, nsec);
        return ts.address();
    }

    /** An aio_context_t variable holding {@code value}. */
    MemorySegment ctxVariable(long value) {
        MemorySegment cell = memory.allocate(ValueLayout.JAVA_LONG);
        cell.set(ValueLayout.JAVA_LONG, 0, value);
        return cell;
    }

    /** An anonymous private mapping with the given protection; unmapped at close. */
    long map(long len, int prot) {
        return map(len, prot, HostConstants.MAP_PRIVATE | HostConstants.MAP_ANONYMOUS, -1);
    }

    long map(long len, int prot, int flags, int fd) {
        long a = HostIo.mmap(0, len, prot, flags, fd, 0);
        assertTrue(a > 0, "mmap: " + a);
        mappings.add(new long[] {a, len});
        return a;
    }

    void unmap(long addr) {
        for (int i = 0; i < mappings.size(); i++) {
            if (mappings.get(i)[0] == addr) {
                assertEquals(0, HostIo.munmap(addr, mappings.remove(i)[1]));
                return;
            }
        }
        throw new IllegalArgumentException("not mapped here: " + Long.toHexString(addr));
    }

    /** A page that cannot be read or written (PROT_NONE): what the suites' bad addresses are. */
    long badPage() {
        return map(PAGE, HostConstants.PROT_NONE);
    }

    // ---- fds ------------------------------------------------------------------------------------

    int open(Path p, int flags) {
        int fd = HostIo.open(p.toString(), flags, 0600);
        assertTrue(fd >= 0, "open " + p + ": " + fd);
        fds.add(fd);
        return fd;
    }

    int[] pipe() {
        int[] p = new int[2];
        assertEquals(0, HostIo.pipe2(p, HostConstants.O_CLOEXEC));
        fds.add(p[0]);
        fds.add(p[1]);
        return p;
    }

    int eventfd(int flags) {
        int fd = HostIo.eventfd(0, flags | HostConstants.EFD_CLOEXEC);
        assertTrue(fd >= 0, "eventfd: " + fd);
        fds.add(fd);
        return fd;
    }

    void close(int fd) {
        assertTrue(fds.remove(fd), "not ours: " + fd);
        assertEquals(0, HostIo.close(fd));
    }

    // ---- the calls, with what the suites' fixtures do around them -------------------------------

    /** io_setup(nr, &ctx) that must succeed; returns ctx. */
    long setup(int nr) {
        MemorySegment cell = ctxVariable(0);
        assertEquals(0, os.ioSetup(nr, cell.address()), "io_setup(" + nr + ")");
        long ctx = cell.get(ValueLayout.JAVA_LONG, 0);
        assertTrue(ctx != 0);
        return ctx;
    }

    /** io_submit(ctx, n, {iocbs...}). */
    long submit(long ctx, MemorySegment... iocbs) {
        return os.ioSubmit(ctx, iocbs.length, list(iocbs));
    }

    /** io_getevents with a timeout in whole seconds (negative: NULL, wait for ever). */
    long getevents(long ctx, long min, long nr, MemorySegment events, long timeoutSeconds) {
        long ts = timeoutSeconds < 0 ? 0 : timespec(timeoutSeconds, 0);
        return os.ioGetevents(ctx, min, nr, events.address(), ts);
    }

    /**
     * The libaio harness's sync_submit: io_submit one iocb, wait up to 30 s for its event, and
     * return the event's res, or io_submit's or io_getevents' negative return.
     */
    long syncSubmit(long ctx, MemorySegment iocb) {
        long rc = submit(ctx, iocb);
        if (rc != 1) return rc;
        MemorySegment ev = events(1);
        rc = getevents(ctx, 1, 1, ev, 30);
        if (rc != 1) return rc;
        assertEquals(iocb.address(), IoEvent.obj(ev, 0), "obj is the iocb's address (LNX-38)");
        assertEquals(0, IoEvent.res2(ev, 0), "res2 is always 0 (LNX-38)");
        return IoEvent.res(ev, 0);
    }

    /** Process exit (LNX-20), then the program's fds, mappings and memory go. */
    void exit() {
        if (exited) return;
        exited = true;
        os.exit();
    }

    @Override
    public void close() {
        exit();
        for (int fd : fds) HostIo.close(fd);
        fds.clear();
        for (long[] m : mappings) HostIo.munmap(m[0], m[1]);
        mappings.clear();
        memory.close();
    }
}
