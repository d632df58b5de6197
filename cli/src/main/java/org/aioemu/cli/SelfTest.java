package org.aioemu.cli;

import static org.aioemu.core.host.HostConstants.AF_UNIX;
import static org.aioemu.core.host.HostConstants.O_CLOEXEC;
import static org.aioemu.core.host.HostConstants.O_CREAT;
import static org.aioemu.core.host.HostConstants.O_EXCL;
import static org.aioemu.core.host.HostConstants.O_RDWR;
import static org.aioemu.core.host.HostConstants.POLLIN;
import static org.aioemu.core.host.HostConstants.SOCK_CLOEXEC;
import static org.aioemu.core.host.HostConstants.SOCK_STREAM;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.aioemu.core.AioContext;
import org.aioemu.core.AioError;
import org.aioemu.core.AioException;
import org.aioemu.core.AioProcess;
import org.aioemu.core.AioSystem;
import org.aioemu.core.CancelOutcome;
import org.aioemu.core.CompletionPath;
import org.aioemu.core.CompletionQueue;
import org.aioemu.core.ExitPolicy;
import org.aioemu.core.Request;
import org.aioemu.core.host.HostException;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.IoVec;

/**
 * A short end-to-end run of the core on real host objects: a file in a temporary directory, a
 * pipe, a socketpair and a 127.0.0.1 TCP connection, each driven through one emulated process,
 * context and {@link CompletionQueue}, with the data checked byte for byte. It also cancels a
 * waiting read and exits a second process with CANCEL_THEN_DRAIN. Each check prints one line
 * with how its request completed and how long it took; the first failure stops the run.
 */
final class SelfTest implements AutoCloseable {
    /** A check that did not hold; its message says which and why. */
    static final class CheckFailed extends Exception {
        CheckFailed(String message) {
            super(message, null, false, false);
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final int FILE_BYTES = 64 * 1024;
    private static final int TCP_BYTES = 256 * 1024;

    private final PrintWriter out;
    private final Path dir;
    private final Arena arena = Arena.ofShared();   // workers and the poller touch these buffers too
    private final AioSystem system = AioSystem.start();
    private final AioProcess process = system.newProcess("selftest", ExitPolicy.CANCEL_THEN_DRAIN);
    private final CompletionQueue queue = new CompletionQueue();
    private final AioContext context;
    private final List<Integer> fds = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(42);
    private String current = "setup";
    private int passed;

    SelfTest(PrintWriter out) throws IOException, AioException {
        this.out = out;
        this.dir = Files.createTempDirectory("aioemu-selftest");
        this.context = process.newContext(64, queue);
    }

    /** Runs every check; returns how many passed (all of them, or it throws). */
    int run() throws Exception {
        out.printf("selftest: the AIO core on %s %s, Java %s; files in %s%n",
                System.getProperty("os.name"), System.getProperty("os.version"), Runtime.version(), dir);
        files();
        pipe();
        socketpair();
        tcp();
        cancelWaitingRead();
        refusals();
        exitCancelThenDrain();
        out.println("core stats: " + system.stats() + " workers=" + system.workers().threads()
                + " waiting=" + system.waitingForReadiness());
        return passed;
    }

    String currentCheck() {
        return current;
    }

    // ---- the checks -------------------------------------------------------------------------

    private void files() throws Exception {
        begin("file write");
        Path path = dir.resolve("data");
        int fd = track(HostIo.open(path.toString(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600), "open " + path);
        MemorySegment data = randomBytes(FILE_BYTES);
        Request w = submitAndAwait(Request.write(fd, data, 0));
        expectResult(w, FILE_BYTES);
        expect(Files.size(path) == FILE_BYTES, "file size is " + Files.size(path) + " after the write");
        pass("file: write 64 KiB at offset 0", w);

        begin("file readv");
        MemorySegment a = arena.allocate(16 * 1024), b = arena.allocate(48 * 1024);
        Request rv = submitAndAwait(Request.readv(fd, IoVec.allocate(arena, a, b), 2, 0));
        expectResult(rv, FILE_BYTES);
        expectSame(data.asSlice(0, a.byteSize()), a, "first iovec");
        expectSame(data.asSlice(a.byteSize()), b, "second iovec");
        pass("file: readv 16 KiB + 48 KiB back, bytes match", rv);

        begin("file read at EOF");
        Request eof = submitAndAwait(Request.read(fd, arena.allocate(4096), FILE_BYTES));
        expectResult(eof, 0);
        pass("file: read at end of file returns 0 bytes", eof);

        begin("file fsync");
        Request sync = submitAndAwait(Request.fsync(fd));
        expectResult(sync, 0);
        pass("file: fsync", sync);
    }

    private void pipe() throws Exception {
        begin("pipe read waits");
        int[] p = pairOf("pipe2", two -> HostIo.pipe2(two, O_CLOEXEC));
        MemorySegment in = arena.allocate(64);
        Request read = submit(Request.read(p[0], in, Request.NO_OFFSET));
        expect(read.state() == Request.State.WAITING, "read on an empty pipe is " + read.state() + ", not WAITING");
        expect(system.waitingForReadiness() == 1, system.waitingForReadiness() + " requests wait for readiness, not 1");
        pass("pipe: read on an empty pipe waits, no thread held", "WAITING", -1);

        begin("pipe write wakes read");
        MemorySegment msg = randomBytes(3);
        Request write = submit(Request.write(p[1], msg, Request.NO_OFFSET));
        awaitAll(write, read);
        expectResult(write, 3);
        expectResult(read, 3);
        expectSame(msg, in.asSlice(0, 3), "pipe data");
        pass("pipe: write 3 bytes", write);
        pass("pipe: the waiting read gets them, bytes match", read);
    }

    private void socketpair() throws Exception {
        begin("socketpair write/read");
        int[] s = pairOf("socketpair(AF_UNIX)", two -> HostIo.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, two));
        MemorySegment msg = randomBytes(4096), in = arena.allocate(4096);
        Request write = submitAndAwait(Request.write(s[0], msg, Request.NO_OFFSET));
        expectResult(write, 4096);
        Request read = submitAndAwait(Request.read(s[1], in, Request.NO_OFFSET));
        expectResult(read, 4096);
        expectSame(msg, in, "socketpair data");
        pass("socketpair: write 4 KiB", write);
        pass("socketpair: read 4 KiB back, bytes match", read);

        begin("socketpair poll");
        Request poll = submit(Request.poll(s[1], POLLIN));
        expect(poll.state() == Request.State.WAITING, "poll(POLLIN) on an empty socket is " + poll.state());
        Request wake = submit(Request.write(s[0], randomBytes(1), Request.NO_OFFSET));
        awaitAll(wake, poll);
        expect(poll.error() == null && (poll.result() & POLLIN) != 0, "poll completed with " + describe(poll));
        pass("socketpair: poll(POLLIN) waits, a peer write wakes it", poll);
    }

    private void tcp() throws Exception {
        begin("tcp connect");
        int[] c;
        int port;
        try (TcpLoopback lo = TcpLoopback.listen(4)) {
            c = lo.connectPair();
            port = lo.port();
        }
        fds.add(c[0]);
        fds.add(c[1]);
        pass("tcp: connect to 127.0.0.1:" + port + " and accept (host calls)", "-", -1);

        begin("tcp transfer");
        MemorySegment msg = randomBytes(TCP_BYTES), got = arena.allocate(TCP_BYTES);
        Request read = submit(Request.read(c[1], got.asSlice(0, 64 * 1024), Request.NO_OFFSET));
        expect(read.state() == Request.State.WAITING, "read on an idle connection is " + read.state());
        Request firstRead = read;
        Request write = submit(Request.write(c[0], msg, Request.NO_OFFSET).withOptions(Request.Option.WRITE_ALL));
        long received = 0;
        int reads = 0;
        boolean written = false;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!written || received < TCP_BYTES) {
            for (Request r : take(deadline)) {
                if (r == write) {
                    expectResult(write, TCP_BYTES);
                    written = true;
                } else if (r == read) {
                    expect(r.error() == null && r.result() > 0, "tcp read completed with " + describe(r));
                    received += r.result();
                    reads++;
                    if (received < TCP_BYTES) {
                        long room = Math.min(64 * 1024, TCP_BYTES - received);
                        read = submit(Request.read(c[1], got.asSlice(received, room), Request.NO_OFFSET));
                    }
                } else {
                    throw new CheckFailed("unexpected completion " + r);
                }
            }
        }
        expectSame(msg, got, "tcp data");
        pass("tcp: 256 KiB write, all of it (WRITE_ALL)", write);
        pass("tcp: first read waited for the peer", firstRead);
        pass("tcp: 256 KiB received in " + reads + " reads, bytes match", read);
    }

    private void cancelWaitingRead() throws Exception {
        begin("cancel");
        int[] p = pairOf("pipe2", two -> HostIo.pipe2(two, O_CLOEXEC));
        Request read = submit(Request.read(p[0], arena.allocate(8), Request.NO_OFFSET));
        expect(read.state() == Request.State.WAITING, "read on an empty pipe is " + read.state());
        CancelOutcome outcome = context.cancel(read);
        expect(outcome == CancelOutcome.CANCELED, "cancel answered " + outcome);
        awaitAll(read);
        expect(read.error() == AioError.ECANCELED && read.path() == CompletionPath.CANCELLED,
                "cancelled read completed with " + describe(read));
        expect(system.waitingForReadiness() == 0, system.waitingForReadiness() + " requests still wait");
        MemorySegment one = randomBytes(1), back = arena.allocate(1);
        expect(HostIo.write(p[1], one, 1) == 1 && HostIo.read(p[0], back, 1) == 1
                && one.get(ValueLayout.JAVA_BYTE, 0) == back.get(ValueLayout.JAVA_BYTE, 0),
                "the pipe lost or changed a byte after the cancel");
        pass("cancel: a waiting pipe read ends ECANCELED, the pipe is untouched", read);
    }

    private void refusals() throws Exception {
        begin("refusal");
        int closed = HostIo.dup(fds.get(0));   // a number that was just an fd and no longer is
        HostIo.close(closed);
        int before = context.inUse();
        try {
            context.submit(Request.read(closed, arena.allocate(8), 0));
            throw new CheckFailed("a read on a closed fd was accepted");
        } catch (AioException e) {
            expect(e.error() == AioError.EBADF, "refused with " + e.error() + ", not EBADF");
        }
        expect(context.inUse() == before, "a refused submit took a slot");
        pass("refusal: submit on a closed fd is refused with EBADF, nothing admitted", "-", -1);
    }

    private void exitCancelThenDrain() throws Exception {
        begin("exit");
        int[] s = pairOf("socketpair(AF_UNIX)", two -> HostIo.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, two));
        AioProcess child = system.newProcess("selftest-exit", ExitPolicy.CANCEL_THEN_DRAIN);
        CompletionQueue childQueue = new CompletionQueue();
        AioContext childContext = child.newContext(8, childQueue);
        Request r1 = Request.read(s[0], arena.allocate(8), Request.NO_OFFSET);
        Request r2 = Request.read(s[0], arena.allocate(8), Request.NO_OFFSET);
        childContext.submitAll(List.of(r1, r2));
        expect(child.outstanding() == 2, child.outstanding() + " requests outstanding, not 2");
        long t0 = System.nanoTime();
        boolean drained = child.exit(ExitPolicy.CANCEL_THEN_DRAIN, WAIT);
        long took = System.nanoTime() - t0;
        expect(drained, "exit did not drain within " + WAIT.toMillis() + " ms");
        expect(child.outstanding() == 0, child.outstanding() + " requests outstanding after exit");
        List<Request> got = new ArrayList<>();
        childQueue.take(got, 2, 2, Duration.ZERO);
        expect(got.size() == 2 && got.contains(r1) && got.contains(r2), "exit delivered " + got);
        for (Request r : got) expect(r.error() == AioError.ECANCELED, "after exit: " + describe(r));
        try {
            childContext.submit(Request.noop());
            throw new CheckFailed("a submit after exit was accepted");
        } catch (AioException e) {
            expect(e.error() == AioError.EINVAL, "submit after exit refused with " + e.error() + ", not EINVAL");
        }
        pass("exit CANCEL_THEN_DRAIN: 2 waiting reads cancelled, later submits EINVAL", "CANCELLED", took);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private void begin(String check) {
        current = check;
    }

    private void pass(String what, Request r) {
        pass(what, String.valueOf(r.path()), r.latencyNanos());
    }

    private void pass(String what, String how, long nanos) {
        passed++;
        String latency = nanos < 0 ? "" : Units.micros(nanos);
        out.printf("ok  %-72s %-12s %10s%n", what, how, latency);
        out.flush();
    }

    private Request submit(Request r) throws AioException {
        context.submit(r);
        return r;
    }

    private Request submitAndAwait(Request r) throws Exception {
        submit(r);
        awaitAll(r);
        return r;
    }

    /** Takes completions until every one of {@code rs} arrived; anything else is a failure. */
    private void awaitAll(Request... rs) throws Exception {
        Map<Request, Boolean> pending = new IdentityHashMap<>();
        for (Request r : rs) pending.put(r, true);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!pending.isEmpty()) {
            for (Request r : take(deadline)) {
                if (pending.remove(r) == null) throw new CheckFailed("unexpected completion " + r);
            }
        }
    }

    private List<Request> take(long deadline) throws Exception {
        List<Request> got = new ArrayList<>();
        long left = deadline - System.nanoTime();
        if (left <= 0 || queue.take(got, 1, 64, Duration.ofNanos(left)) == 0) {
            throw new CheckFailed("no completion within " + WAIT.toMillis() + " ms (" + process.outstanding() + " outstanding)");
        }
        return got;
    }

    private void expectResult(Request r, long bytes) throws CheckFailed {
        expect(r.error() == null && r.result() == bytes, "expected " + bytes + ", got " + describe(r));
    }

    private void expectSame(MemorySegment want, MemorySegment got, String what) throws CheckFailed {
        long at = want.mismatch(got);
        expect(at < 0, what + " differs at byte " + at);
    }

    private static void expect(boolean ok, String why) throws CheckFailed {
        if (!ok) throw new CheckFailed(why);
    }

    private static String describe(Request r) {
        return (r.error() != null ? r.error().name() : "result " + r.result()) + " via " + r.path();
    }

    private MemorySegment randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return arena.allocate(n).copyFrom(MemorySegment.ofArray(b));
    }

    private int track(int fd, String what) throws HostException {
        HostException.check(what, fd);
        fds.add(fd);
        return fd;
    }

    private interface PairCall {
        int call(int[] fds);
    }

    private int[] pairOf(String what, PairCall call) throws HostException {
        int[] p = new int[2];
        HostException.check(what, call.call(p));
        fds.add(p[0]);
        fds.add(p[1]);
        return p;
    }

    @Override
    public void close() throws IOException {
        process.exit(ExitPolicy.CANCEL_THEN_DRAIN, WAIT);
        system.close();
        for (int fd : fds) HostIo.close(fd);
        arena.close();
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
    }
}
