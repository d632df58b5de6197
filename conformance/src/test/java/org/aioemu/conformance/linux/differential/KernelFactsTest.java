package org.aioemu.conformance.linux.differential;

import static org.aioemu.conformance.linux.KernelLinuxAioLayouts.*;
import static org.aioemu.linux.LinuxAioConstants.*;
import static org.aioemu.core.host.HostConstants.EFD_NONBLOCK;
import static org.aioemu.core.host.HostConstants.MAP_ANONYMOUS;
import static org.aioemu.core.host.HostConstants.MAP_PRIVATE;
import static org.aioemu.core.host.HostConstants.O_NONBLOCK;
import static org.aioemu.core.host.HostConstants.O_RDONLY;
import static org.aioemu.core.host.HostConstants.O_RDWR;
import static org.aioemu.core.host.HostConstants.O_WRONLY;
import static org.aioemu.core.host.HostConstants.POLLIN;
import static org.aioemu.core.host.HostConstants.POLLOUT;
import static org.aioemu.core.host.HostConstants.POLLRDNORM;
import static org.aioemu.core.host.HostConstants.PROT_NONE;
import static org.aioemu.core.host.HostConstants.PROT_READ;
import static org.aioemu.core.host.HostConstants.PROT_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.constants.platform.linux.Errno;
import org.aioemu.linux.LinuxAioSigset;
import org.aioemu.linux.LinuxTimespec;
import org.aioemu.linux.kernel.HostKernelAio;
import org.aioemu.core.host.HostIo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Facts about the host kernel's AIO that the emulation copies and the differential run relies
 * on, each asserted against this machine's kernel through raw system calls. If a kernel
 * changes one of them, this fails first and says which LNX-n of reference/linux-aio.md no
 * longer holds.
 */
@SuppressWarnings("restricted") // it reads the ring the kernel maps at the ctx address, as a C program would
class KernelFactsTest {
    private static final long EINVAL = -Errno.EINVAL.intValue();
    private static final long EFAULT = -Errno.EFAULT.intValue();
    private static final long EBADF = -Errno.EBADF.intValue();
    private static final long EAGAIN = -Errno.EAGAIN.intValue();
    private static final long EPIPE = -Errno.EPIPE.intValue();
    private static final long EOPNOTSUPP = -Errno.EOPNOTSUPP.intValue();
    private static final long EINPROGRESS = -Errno.EINPROGRESS.intValue();

    private final HostKernelAio aio = new HostKernelAio();
    private final Arena arena = Arena.ofConfined();
    private final List<Long> contexts = new ArrayList<>();
    private final List<Integer> fds = new ArrayList<>();
    private long unmapped;
    private long readOnly;
    @TempDir Path dir;

    @BeforeEach
    void pages() {
        unmapped = HostIo.mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        readOnly = HostIo.mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assertTrue(unmapped > 0 && readOnly > 0);
    }

    @AfterEach
    void cleanUp() {
        for (long c : contexts) aio.ioDestroy(c);
        for (int fd : fds) HostIo.close(fd);
        HostIo.munmap(unmapped, 4096);
        HostIo.munmap(readOnly, 4096);
        arena.close();
    }

    // --- helpers: the test plays a C program, so its structs live in its own memory ---

    private long setup(int nr) {
        MemorySegment ctxp = arena.allocate(8);
        assertEquals(0, aio.ioSetup(nr, ctxp.address()), "io_setup(" + nr + ")");
        long ctx = ctxp.get(ValueLayout.JAVA_LONG, 0);
        contexts.add(ctx);
        return ctx;
    }

    private long destroy(long ctx) {
        long rc = aio.ioDestroy(ctx);
        if (rc == 0) contexts.remove(ctx);
        return rc;
    }

    private MemorySegment iocb(int opcode, int fd, long buf, long nbytes, long offset) {
        MemorySegment cb = arena.allocate(IOCB);
        writeIocb(cb, 0, 0x1234, 0, 0, opcode, 0, fd, buf, nbytes, offset, 0, 0, 0);
        return cb;
    }

    private long submit(long ctx, MemorySegment... cbs) {
        MemorySegment list = arena.allocate(8L * Math.max(1, cbs.length));
        for (int i = 0; i < cbs.length; i++) list.setAtIndex(ValueLayout.JAVA_LONG, i, cbs[i].address());
        return aio.ioSubmit(ctx, cbs.length, list.address());
    }

    private MemorySegment timespec(long sec, long nsec) {
        MemorySegment ts = arena.allocate(TIMESPEC);
        LinuxTimespec.set(ts, sec, nsec);
        return ts;
    }

    /** io_getevents(ctx, min, max, events, {0, nsec}) returning the events. */
    private List<long[]> reap(long ctx, int min, int max, long nsec) {
        MemorySegment ev = arena.allocate(IO_EVENT, max);
        long n = aio.ioGetevents(ctx, min, max, ev.address(), timespec(0, nsec).address());
        assertTrue(n >= 0, "io_getevents: " + n);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long o = i * IO_EVENT.byteSize();
            out.add(new long[] {(long) EVENT_DATA.get(ev, o), (long) EVENT_OBJ.get(ev, o), (long) EVENT_RES.get(ev, o),
                    (long) EVENT_RES2.get(ev, o)});
        }
        return out;
    }

    private int fd(int fd) {
        assertTrue(fd >= 0, "fd: " + fd);
        fds.add(fd);
        return fd;
    }

    private int file(String content) throws IOException {
        Path p = dir.resolve("f");
        Files.writeString(p, content);
        return fd(HostIo.open(p.toString(), O_RDWR, 0));
    }

    private int[] pipe(int flags) {
        int[] p = new int[2];
        assertEquals(0, HostIo.pipe2(p, flags));
        fd(p[0]);
        fd(p[1]);
        return p;
    }

    private MemorySegment text(String s) {
        return arena.allocateFrom(s);
    }

    private static int possibleCpus() throws IOException {
        int n = 0;
        // readAllLines, not readString: the latter returned only "0" of "0-1" from sysfs here
        for (String part : Files.readAllLines(Path.of("/sys/devices/system/cpu/possible")).getFirst().trim().split(",")) {
            String[] r = part.split("-");
            n += r.length == 1 ? 1 : Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
        }
        return n;
    }

    // --- io_setup ---

    @Test
    @DisplayName("LNX-1: io_setup reads *ctxp first: an unreadable ctxp is EFAULT even when nr_events is 0")
    void setupReadsCtxpFirst() {
        assertEquals(EFAULT, aio.ioSetup(1, 0));
        assertEquals(EFAULT, aio.ioSetup(0, 0));
        assertEquals(EFAULT, aio.ioSetup(1, unmapped));
        assertEquals(EFAULT, aio.ioSetup(1, KERNEL_ADDRESS));
    }

    @Test
    @DisplayName("LNX-2/3/4: nonzero *ctxp and nr 0, -1, 0x400001 are EINVAL; nr above aio-max-nr and 0x80000000 are EAGAIN")
    void setupLimits() throws IOException {
        MemorySegment ctxp = arena.allocate(8);
        ctxp.set(ValueLayout.JAVA_LONG, 0, 0x0101010101010101L);
        assertEquals(EINVAL, aio.ioSetup(1, ctxp.address()));
        ctxp.set(ValueLayout.JAVA_LONG, 0, 0);
        assertEquals(EINVAL, aio.ioSetup(0, ctxp.address()));
        assertEquals(EINVAL, aio.ioSetup(-1, ctxp.address()));
        assertEquals(EINVAL, aio.ioSetup(0x400001, ctxp.address()));
        long max = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/aio-max-nr")).getFirst().trim());
        assertEquals(EAGAIN, aio.ioSetup((int) max + 1, ctxp.address()));
        assertEquals(EAGAIN, aio.ioSetup(0x80000000, ctxp.address()));
        assertEquals(0, ctxp.get(ValueLayout.JAVA_LONG, 0), "no ctx stored on failure");
    }

    @Test
    @DisplayName("LNX-6/7/8: the ctx is the page-aligned address of an aio_ring with magic, features and the geometry of n = max(nr, 4 cpus) * 2")
    void ringHeader() throws IOException {
        int cpus = possibleCpus();
        for (int nr : new int[] {1, 128}) {
            long ctx = setup(nr);
            assertEquals(0, ctx % 4096, "page aligned");
            MemorySegment ring = MemorySegment.ofAddress(ctx).reinterpret(AIO_RING.byteSize());
            long n = 2L * Math.max(nr, 4L * cpus);
            long pages = (32 + 32 * (n + 2) + 4095) / 4096;
            assertEquals((pages * 4096 - 32) / 32, (int) RING_NR.get(ring, 0L), "ring.nr for nr_events " + nr);
            assertEquals(AIO_RING_MAGIC, (int) RING_MAGIC.get(ring, 0L));
            assertEquals(1, (int) RING_COMPAT.get(ring, 0L));
            assertEquals(0, (int) RING_INCOMPAT.get(ring, 0L));
            assertEquals(32, (int) RING_HEADER_LENGTH.get(ring, 0L));
            assertEquals(0, (int) RING_HEAD.get(ring, 0L));
            assertEquals(0, (int) RING_TAIL.get(ring, 0L));
        }
    }

    // --- io_destroy ---

    @Test
    @DisplayName("LNX-15/19: io_destroy of 0, 12345, ~0 or an already destroyed ctx is EINVAL, and so is every call on a destroyed ctx")
    void destroy() {
        long ctx = setup(1);
        assertEquals(0, destroy(ctx));
        assertEquals(EINVAL, aio.ioDestroy(ctx));
        assertEquals(EINVAL, aio.ioDestroy(0));
        assertEquals(EINVAL, aio.ioDestroy(12345));
        assertEquals(EINVAL, aio.ioDestroy(-1));
        assertEquals(EINVAL, aio.ioSubmit(ctx, 0, 0));
        assertEquals(EINVAL, aio.ioGetevents(ctx, 0, 1, 0, timespec(0, 0).address()));
        assertEquals(EINVAL, aio.ioCancel(ctx, iocb(IOCB_CMD_POLL, 0, POLLIN, 0, 0).address(), 0));
    }

    @Test
    @DisplayName("LNX-17: io_destroy cancels a pending poll, and its RESFD eventfd is still signalled")
    void destroyCancelsPolls() {
        long ctx = setup(4);
        int[] p = pipe(0);
        int efd = fd(HostIo.eventfd(0, EFD_NONBLOCK));
        MemorySegment cb = iocb(IOCB_CMD_POLL, p[0], POLLIN, 0, 0);
        IOCB_FLAGS.set(cb, 0L, IOCB_FLAG_RESFD);
        IOCB_RESFD.set(cb, 0L, efd);
        assertEquals(1, submit(ctx, cb));
        assertEquals(0, destroy(ctx));
        assertEquals(1, HostIo.readEventfd(efd));
    }

    // --- io_submit ---

    @Test
    @DisplayName("LNX-21/22/23: nr < 0 is EINVAL before the ctx is looked at; a bad ctx is EINVAL even for nr 0; nr 0 returns 0 without reading iocbpp")
    void submitArguments() {
        long ctx = setup(1);
        assertEquals(EINVAL, aio.ioSubmit(0, -1, 0));
        assertEquals(EINVAL, aio.ioSubmit(ctx, -1, 0));
        assertEquals(EINVAL, aio.ioSubmit(0, 0, 0));
        assertEquals(0, aio.ioSubmit(ctx, 0, 0));
    }

    @Test
    @DisplayName("LNX-25: iocbs run in order; an error at index k > 0 is swallowed and the count so far returned; at index 0 it is the result")
    void partialSubmission() throws IOException {
        long ctx = setup(8);
        int f = file("hello world");
        MemorySegment buf = arena.allocate(16);
        MemorySegment good = iocb(IOCB_CMD_PREAD, f, buf.address(), 5, 0);
        MemorySegment bad = iocb(IOCB_CMD_PREAD, -1, buf.address(), 5, 0);
        assertEquals(1, submit(ctx, good, bad, good));
        assertEquals(EBADF, submit(ctx, bad, good));
        assertEquals(1, reap(ctx, 0, 8, 0).size());
    }

    @Test
    @DisplayName("LNX-26: iocbpp NULL, or iocbpp[0] NULL or unmapped, is EFAULT")
    void submitBadPointers() {
        long ctx = setup(1);
        assertEquals(EFAULT, aio.ioSubmit(ctx, 1, 0));
        assertEquals(EFAULT, aio.ioSubmit(ctx, 1, -1));
        MemorySegment list = arena.allocate(8);
        assertEquals(EFAULT, aio.ioSubmit(ctx, 1, list.address()));
        list.set(ValueLayout.JAVA_LONG, 0, unmapped);
        assertEquals(EFAULT, aio.ioSubmit(ctx, 1, list.address()));
    }

    @Test
    @DisplayName("LNX-27: per-iocb order: reserved2 (EINVAL) before the fd (EBADF) before the opcode; an iocb in a read-only page is EFAULT")
    void checkOrder() throws IOException {
        long ctx = setup(1);
        MemorySegment cb = iocb(IOCB_CMD_PREAD, -1, 0, 0, 0);
        IOCB_RESERVED2.set(cb, 0L, 1L);
        assertEquals(EINVAL, submit(ctx, cb), "reserved2 + bad fd");
        assertEquals(EBADF, submit(ctx, iocb(100, -1, 0, 0, 0)), "unknown opcode + bad fd");
        int f = file("x");
        MemorySegment ro = MemorySegment.ofAddress(readOnly).reinterpret(IOCB.byteSize());
        assertEquals(0, HostIo.mprotect(readOnly, 4096, PROT_READ | PROT_WRITE));
        writeIocb(ro, 0, 0, 0, 0, IOCB_CMD_PREAD, 0, f, arena.allocate(1).address(), 1, 0, 0, 0, 0);
        assertEquals(0, HostIo.mprotect(readOnly, 4096, PROT_READ));
        MemorySegment list = arena.allocate(8);
        list.set(ValueLayout.JAVA_LONG, 0, readOnly);
        assertEquals(EFAULT, aio.ioSubmit(ctx, 1, list.address()), "aio_key cannot be stored");
    }

    @Test
    @DisplayName("LNX-28: IOCB_CMD_NOOP and opcodes 4, 9 and 100 are EINVAL")
    void noopIsRejected() throws IOException {
        long ctx = setup(1);
        int f = file("x");
        for (int op : new int[] {IOCB_CMD_NOOP, 4, 9, 100}) {
            assertEquals(EINVAL, submit(ctx, iocb(op, f, arena.allocate(1).address(), 1, 0)), "opcode " + op);
        }
    }

    @Test
    @DisplayName("LNX-30: an aio_rw_flags bit the kernel does not know, or RWF_ATOMIC on buffered I/O, is EOPNOTSUPP at submit")
    void unknownRwFlags() throws IOException {
        long ctx = setup(1);
        int f = file("hello");
        for (int flag : new int[] {0x200, 0x80000000, RWF_ATOMIC}) {
            MemorySegment cb = iocb(IOCB_CMD_PREAD, f, arena.allocate(8).address(), 5, 0);
            IOCB_RW_FLAGS.set(cb, 0L, flag);
            assertEquals(EOPNOTSUPP, submit(ctx, cb), "flag 0x" + Integer.toHexString(flag));
        }
    }

    @Test
    @DisplayName("LNX-31: aio_key is set to 0 on every accepted iocb and left alone on a rejected one")
    void keyIsZeroed() throws IOException {
        long ctx = setup(2);
        int f = file("hello");
        MemorySegment cb = iocb(IOCB_CMD_PREAD, f, arena.allocate(8).address(), 5, 0);
        IOCB_KEY.set(cb, 0L, 0xdeadbeef);
        assertEquals(1, submit(ctx, cb));
        assertEquals(0, (int) IOCB_KEY.get(cb, 0L));
        MemorySegment bad = iocb(IOCB_CMD_PREAD, -1, 0, 0, 0);
        IOCB_KEY.set(bad, 0L, 0xdeadbeef);
        assertEquals(EBADF, submit(ctx, bad));
        assertEquals(0xdeadbeef, (int) IOCB_KEY.get(bad, 0L));
    }

    @Test
    @DisplayName("LNX-32/34: the wrong access mode is EBADF and a negative file offset EINVAL, both at submit")
    void accessModeAndOffset() throws IOException {
        long ctx = setup(1);
        file("hello");
        int ro = fd(HostIo.open(dir.resolve("f").toString(), O_RDONLY, 0));
        int wo = fd(HostIo.open(dir.resolve("f").toString(), O_WRONLY, 0));
        assertEquals(EBADF, submit(ctx, iocb(IOCB_CMD_PWRITE, ro, text("x").address(), 1, 0)));
        assertEquals(EBADF, submit(ctx, iocb(IOCB_CMD_PREAD, wo, arena.allocate(1).address(), 1, 0)));
        assertEquals(EINVAL, submit(ctx, iocb(IOCB_CMD_PREAD, ro, arena.allocate(1).address(), 1, -1)));
    }

    @Test
    @DisplayName("LNX-35: a kernel-address buffer is EFAULT at submit; a NULL user buffer is accepted and fails in the event")
    void bufferChecks() throws IOException {
        long ctx = setup(1);
        int f = file("hello");
        assertEquals(EFAULT, submit(ctx, iocb(IOCB_CMD_PREAD, f, KERNEL_ADDRESS, 5, 0)));
        assertEquals(1, submit(ctx, iocb(IOCB_CMD_PREAD, f, 0, 5, 0)));
        assertEquals(EFAULT, reap(ctx, 1, 1, 0).getFirst()[2]);
    }

    @Test
    @DisplayName("LNX-36: the same iocb twice in one io_submit is two requests, two events with the same obj")
    void sameIocbTwice() throws IOException {
        long ctx = setup(2);
        int f = file("hello");
        MemorySegment cb = iocb(IOCB_CMD_PREAD, f, arena.allocate(8).address(), 5, 0);
        assertEquals(2, submit(ctx, cb, cb));
        List<long[]> ev = reap(ctx, 2, 2, 0);
        assertEquals(2, ev.size());
        assertEquals(cb.address(), ev.get(0)[1]);
        assertEquals(cb.address(), ev.get(1)[1]);
    }

    @Test
    @DisplayName("LNX-38/39: a buffered read completes inside io_submit: its event (data, obj, res, res2 0) is there at once")
    void bufferedReadIsInline() throws IOException {
        long ctx = setup(1);
        int f = file("hello world");
        MemorySegment buf = arena.allocate(16);
        MemorySegment cb = iocb(IOCB_CMD_PREAD, f, buf.address(), 64, 6);
        assertEquals(1, submit(ctx, cb));
        List<long[]> ev = reap(ctx, 0, 1, 0);
        assertEquals(1, ev.size());
        assertEquals(0x1234, ev.getFirst()[0]);
        assertEquals(cb.address(), ev.getFirst()[1]);
        assertEquals(5, ev.getFirst()[2]);
        assertEquals(0, ev.getFirst()[3]);
        assertEquals("world", buf.getString(0));
    }

    @Test
    @DisplayName("LNX-47/48: errors of the I/O come back in res: EPIPE with no reader, EAGAIN on an empty O_NONBLOCK pipe or with RWF_NOWAIT")
    void ioErrorsInRes() {
        long ctx = setup(4);
        int[] broken = pipe(0);
        HostIo.close(broken[0]);
        fds.remove((Integer) broken[0]);
        int[] nonblocking = pipe(O_NONBLOCK);
        int[] blocking = pipe(0);
        MemorySegment buf = arena.allocate(8);
        MemorySegment nowait = iocb(IOCB_CMD_PREAD, blocking[0], buf.address(), 8, 0);
        IOCB_RW_FLAGS.set(nowait, 0L, RWF_NOWAIT);
        assertEquals(3, submit(ctx, iocb(IOCB_CMD_PWRITE, broken[1], text("x").address(), 1, 0),
                iocb(IOCB_CMD_PREAD, nonblocking[0], buf.address(), 8, 0), nowait));
        List<long[]> ev = reap(ctx, 3, 3, 0);
        assertEquals(List.of(EPIPE, EAGAIN, EAGAIN), ev.stream().map(e -> e[2]).toList());
    }

    @Test
    @DisplayName("LNX-51: FSYNC needs buf, nbytes, offset and rw_flags 0 and a file with fsync (not a pipe); on an O_RDONLY fd it works")
    void fsyncRules() throws IOException {
        long ctx = setup(2);
        file("data");
        int ro = fd(HostIo.open(dir.resolve("f").toString(), O_RDONLY, 0));
        int[] p = pipe(0);
        assertEquals(EINVAL, submit(ctx, iocb(IOCB_CMD_FSYNC, ro, 0, 0, 1)));
        assertEquals(EINVAL, submit(ctx, iocb(IOCB_CMD_FSYNC, ro, 0, 1, 0)));
        assertEquals(EINVAL, submit(ctx, iocb(IOCB_CMD_FDSYNC, p[1], 0, 0, 0)));
        assertEquals(1, submit(ctx, iocb(IOCB_CMD_FSYNC, ro, 0, 0, 0)));
        assertEquals(0, reap(ctx, 1, 1, 1_000_000_000L).getFirst()[2]);
    }

    // --- IOCB_CMD_POLL ---

    @Test
    @DisplayName("LNX-53/56: a poll mask above 16 bits is EINVAL, and so is events 0 on a regular file")
    void pollValidation() throws IOException {
        long ctx = setup(2);
        int[] p = pipe(0);
        int f = file("x");
        assertEquals(EINVAL, submit(ctx, iocb(IOCB_CMD_POLL, p[0], 1L << 16 | POLLIN, 0, 0)));
        assertEquals(EINVAL, submit(ctx, iocb(IOCB_CMD_POLL, f, 0, 0, 0)));
    }

    @Test
    @DisplayName("LNX-54/55: a ready poll completes at once with ready & requested; a waiting one with the wakeup's mask (0x41 for a pipe write)")
    void pollResults() {
        long ctx = setup(4);
        int[] ready = pipe(0);
        assertEquals(1, HostIo.write(ready[1], text("x"), 1));
        assertEquals(1, submit(ctx, iocb(IOCB_CMD_POLL, ready[0], POLLIN | POLLRDNORM | POLLOUT, 0, 0)));
        assertEquals(0x41, reap(ctx, 1, 1, 0).getFirst()[2]);
        int[] empty = pipe(0);
        assertEquals(1, submit(ctx, iocb(IOCB_CMD_POLL, empty[0], POLLIN, 0, 0)));
        assertEquals(0, reap(ctx, 0, 1, 0).size(), "still waiting");
        assertEquals(1, HostIo.write(empty[1], text("x"), 1));
        assertEquals(0x41, reap(ctx, 1, 1, 1_000_000_000L).getFirst()[2]);
    }

    // --- io_getevents / io_pgetevents ---

    @Test
    @DisplayName("LNX-58/59: the timeout is read first (EFAULT even with a bad ctx), then the ctx, then min_nr > nr is EINVAL; (0, 0) returns 0")
    void geteventsArguments() {
        long ctx = setup(1);
        assertEquals(EFAULT, aio.ioGetevents(0, 5, 1, 0, unmapped));
        assertEquals(EINVAL, aio.ioGetevents(0, 0, 1, 0, 0));
        assertEquals(EINVAL, aio.ioGetevents(ctx, 2, 1, 0, 0));
        assertEquals(EINVAL, aio.ioGetevents(ctx, -1, 1, 0, 0));
        assertEquals(0, aio.ioGetevents(ctx, 0, 0, 0, 0));
    }

    @Test
    @DisplayName("LNX-63: copying events out to a bad pointer is EFAULT and the events stay in the ring")
    void eventsFaultKeepsEvents() throws IOException {
        long ctx = setup(1);
        int f = file("hello");
        assertEquals(1, submit(ctx, iocb(IOCB_CMD_PREAD, f, arena.allocate(8).address(), 5, 0)));
        assertEquals(EFAULT, aio.ioGetevents(ctx, 1, 1, unmapped, timespec(0, 0).address()));
        assertEquals(1, reap(ctx, 1, 1, 0).size());
    }

    @Test
    @DisplayName("LNX-66: io_pgetevents: sigsetsize other than 8 is EINVAL, an unreadable usig or sigmask EFAULT")
    void pgeteventsSigset() {
        long ctx = setup(1);
        MemorySegment mask = arena.allocate(8);
        MemorySegment usig = arena.allocate(AIO_SIGSET);
        long ts = timespec(0, 0).address();
        LinuxAioSigset.set(usig, mask.address(), 16);
        assertEquals(EINVAL, aio.ioPgetevents(ctx, 0, 1, 0, ts, usig.address()));
        assertEquals(EFAULT, aio.ioPgetevents(ctx, 0, 1, 0, ts, unmapped));
        LinuxAioSigset.set(usig, unmapped, 8);
        assertEquals(EFAULT, aio.ioPgetevents(ctx, 0, 1, 0, ts, usig.address()));
        LinuxAioSigset.set(usig, mask.address(), 8);
        assertEquals(0, aio.ioPgetevents(ctx, 0, 1, arena.allocate(IO_EVENT).address(), ts, usig.address()));
    }

    // --- io_cancel ---

    @Test
    @DisplayName("LNX-69/70: io_cancel reads aio_key before anything: NULL is EFAULT even with ctx 0; a nonzero key is EINVAL")
    void cancelReadsKeyFirst() {
        long ctx = setup(1);
        assertEquals(EFAULT, aio.ioCancel(0, 0, 0));
        int[] p = pipe(0);
        MemorySegment cb = iocb(IOCB_CMD_POLL, p[0], POLLIN, 0, 0);
        assertEquals(1, submit(ctx, cb));
        IOCB_KEY.set(cb, 0L, 1);
        assertEquals(EINVAL, aio.ioCancel(ctx, cb.address(), 0));
        IOCB_KEY.set(cb, 0L, 0);
        assertEquals(EINPROGRESS, aio.ioCancel(ctx, cb.address(), 0));
    }

    @Test
    @DisplayName("LNX-71/72: only a pending poll can be cancelled: EINPROGRESS, result untouched, a res 0 event through the ring; a completed read is EINVAL")
    void cancel() throws IOException {
        long ctx = setup(4);
        int f = file("hello");
        MemorySegment read = iocb(IOCB_CMD_PREAD, f, arena.allocate(8).address(), 5, 0);
        assertEquals(1, submit(ctx, read));
        assertEquals(EINVAL, aio.ioCancel(ctx, read.address(), 0));
        int[] p = pipe(0);
        MemorySegment poll = iocb(IOCB_CMD_POLL, p[0], POLLIN, 0, 0);
        assertEquals(1, submit(ctx, poll));
        MemorySegment result = arena.allocate(IO_EVENT).fill((byte) 0xee);
        assertEquals(EINPROGRESS, aio.ioCancel(ctx, poll.address(), result.address()));
        assertEquals(EINVAL, aio.ioCancel(ctx, poll.address(), result.address()), "cancelled twice");
        assertEquals(-1, result.get(ValueLayout.JAVA_LONG, 0) | 0x1111111111111111L, "result untouched");
        List<long[]> ev = reap(ctx, 2, 2, 1_000_000_000L);
        assertEquals(2, ev.size());
        long[] cancelled = ev.stream().filter(e -> e[1] == poll.address()).findFirst().orElseThrow();
        assertEquals(0, cancelled[2]);
    }

    // --- eventfd notification and the user-visible ring ---

    @Test
    @DisplayName("LNX-74/75: RESFD must be an eventfd (a pipe is EINVAL, -1 EBADF); each completion adds 1 after its event is in the ring")
    void resfd() throws IOException {
        long ctx = setup(4);
        int f = file("hello");
        int[] p = pipe(0);
        int efd = fd(HostIo.eventfd(0, EFD_NONBLOCK));
        MemorySegment cb = iocb(IOCB_CMD_PREAD, f, arena.allocate(8).address(), 5, 0);
        IOCB_FLAGS.set(cb, 0L, IOCB_FLAG_RESFD);
        IOCB_RESFD.set(cb, 0L, p[0]);
        assertEquals(EINVAL, submit(ctx, cb));
        IOCB_RESFD.set(cb, 0L, -1);
        assertEquals(EBADF, submit(ctx, cb));
        IOCB_RESFD.set(cb, 0L, efd);
        assertEquals(2, submit(ctx, cb, cb));
        assertEquals(2, HostIo.readEventfd(efd));
        assertEquals(2, reap(ctx, 0, 4, 0).size());
    }

    @Test
    @DisplayName("LNX-13/14: head and tail are ring indices; user space may reap by copying from head and storing a new head")
    void userSpaceReaping() throws IOException {
        long ctx = setup(1);
        int f = file("hello");
        assertEquals(2, submit(ctx, iocb(IOCB_CMD_PREAD, f, arena.allocate(8).address(), 5, 0),
                iocb(IOCB_CMD_PREAD, f, arena.allocate(8).address(), 3, 0)));
        MemorySegment ring = MemorySegment.ofAddress(ctx).reinterpret(AIO_RING.byteSize() + 2 * IO_EVENT.byteSize());
        assertEquals(0, (int) RING_HEAD.get(ring, 0L));
        assertEquals(2, (int) RING_TAIL.get(ring, 0L));
        assertEquals(5, (long) EVENT_RES.get(ring, AIO_RING.byteSize()));
        RING_HEAD.set(ring, 0L, 1);
        List<long[]> rest = reap(ctx, 0, 4, 0);
        assertEquals(1, rest.size(), "the kernel starts from the head user space stored");
        assertEquals(3, rest.getFirst()[2]);
        assertEquals(2, (int) RING_HEAD.get(ring, 0L));
    }
}
