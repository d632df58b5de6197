package org.aioemu.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aioemu.cli.replay.ReplayReport.Matching;
import org.aioemu.core.CompletionPath;
import org.aioemu.linux.LinuxAioConstants;
import org.aioemu.linux.LinuxAioSyscalls;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.aioemu.linux.kernel.HostKernelAio;

/** Replays on the host kernel's own AIO: a trace of the kernel replayed on the kernel must show no difference. */
class ReplayEngineTest {
    @TempDir Path dir;

    private ReplayReport replay(String name, List<TraceCall> calls, ReplayOptions options) throws Exception {
        return new ReplayEngine(ReplayTarget.hostKernel(), options.withRoot(dir.resolve("root"))).run(name, calls, List.of(),
                ReplayEngine.Progress.NONE);
    }

    private ReplayReport replay(String name, List<TraceCall> calls) throws Exception {
        return replay(name, calls, ReplayOptions.defaults());
    }

    private static int eventsShown(List<TraceCall> calls) {
        return calls.stream().filter(c -> c.args() instanceof CallArgs.IoGetevents).mapToInt(c -> ((CallArgs.IoGetevents) c.args()).events().size()).sum();
    }

    @Test
    @DisplayName("aiotrace (fio-free tagged workload) replays on the host kernel with no difference, events matched by aio_data")
    void aiotrace() throws Exception {
        List<TraceCall> calls = TestTraces.load(SharedTraces.trace("aiotrace-libaio.strace"));
        ReplayReport r = replay("aiotrace", calls);
        assertEquals(List.of(), r.differences(), r.text());
        assertEquals(calls.size(), r.replayed());
        assertEquals(calls.size(), r.matched());
        assertEquals(Map.of(Matching.DATA, (long) eventsShown(calls)), r.matching());
        assertTrue(r.bytesVerified() > 100_000, "reads were checked: " + r.bytesVerified());
        assertTrue(r.notes().stream().anyMatch(n -> n.line() == 183 && n.message().contains("8 of the 24")), r.notes().toString());
        assertEquals(0, r.checksFailed);
        // all AIO requests went through and were reaped: the opcodes' latency counts add up to the iocbs the trace submitted
        long iocbs = calls.stream().filter(c -> c.args() instanceof CallArgs.IoSubmit).mapToLong(c -> c.outcome().value()).sum();
        long reaped = r.latency().entrySet().stream().filter(e -> e.getKey().startsWith("aio ")).mapToLong(e -> e.getValue().getTotalCount()).sum();
        assertEquals(iocbs, reaped);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fio-libaio.strace", "fio-libaio-batch.strace"})
    @DisplayName("fio 3.33 libaio traces replay with no difference; aio_data is 0 so events match by operation and result")
    void fio(String name) throws Exception {
        List<TraceCall> calls = TestTraces.load(SharedTraces.trace(name));
        ReplayReport r = replay(name, calls);
        assertEquals(List.of(), r.differences(), r.text());
        assertEquals(Map.of(Matching.OPERATION_AND_RESULT, (long) eventsShown(calls)), r.matching());
        assertTrue(r.bytesVerified() > 100_000);
        assertEquals(400, r.latency().get("aio PREAD").getTotalCount() + r.latency().get("aio PWRITE").getTotalCount());
        assertTrue(r.notes().stream().anyMatch(n -> n.message().contains("timerfd")), "untraced fds are recreated: " + r.notes());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mtaio-verbose.strace", "mtaio-abbrev.strace", "mtaio-raw.strace", "mtaio-noy.strace"})
    @DisplayName("two threads: a POLL completed by a pipe write another thread waits for, a timed-out wait, EOF reads, eventfd counts")
    void multithreadedTraces(String name) throws Exception {
        List<TraceCall> calls = TestTraces.strict(TestTraces.resource(name));
        ReplayReport r = replay(name, calls);
        assertEquals(List.of(), r.differences(), r.text());
        assertEquals(calls.size(), r.matched());
        assertTrue(r.notes().stream().anyMatch(n -> n.message().contains("1 of the 1 such iocbs")),
                "the FSYNC's hidden IOCB_FLAG_RESFD is inferred from the eventfd read: " + r.notes());
        assertEquals(1, r.latency().get("aio POLL").getTotalCount());
    }

    @Test
    @DisplayName("a recorded result the kernel does not give is a difference, with line, recorded and replayed values")
    void differencesAreReported() throws Exception {
        String t = TestTraces.resource("mtaio-verbose.strace")
                // the timed wait returned 0; claim it returned the POLL's event
                .replace("[], {tv_sec=0, tv_nsec=3000000}) = 0", "[{data=0x2a, obj=0x1, res=65, res2=0}], {tv_sec=0, tv_nsec=3000000}) = 1")
                // the cancel of a finished iocb failed with EINVAL; claim it succeeded
                .replace("0x7fff3932e340) = -1 EINVAL (Invalid argument)", "0x7fff3932e340) = 0");
        List<TraceCall> calls = TestTraces.strict(t);
        ReplayReport r = replay("altered", calls, ReplayOptions.defaults().withWaitLimit(Duration.ofMillis(200)));
        List<Integer> lines = r.differences().stream().map(Difference::line).distinct().toList();
        TraceCall wait = calls.stream().filter(c -> c.call().equals("io_getevents")).findFirst().orElseThrow();
        TraceCall cancel = calls.stream().filter(c -> c.call().equals("io_cancel")).findFirst().orElseThrow();
        assertTrue(lines.contains(wait.line()), r.text());
        assertTrue(lines.contains(cancel.line()), r.text());
        Difference d = r.differences().stream().filter(x -> x.line() == cancel.line()).findFirst().orElseThrow();
        assertEquals("0", d.recorded());
        assertTrue(d.replayed().startsWith("-1 EINVAL"), d.toString());
    }

    @Test
    @DisplayName("an executor that corrupts read data is caught by the data check")
    void corruptedReadsAreCaught() throws Exception {
        LinuxAioSyscalls kernel = new HostKernelAio();
        ReplayTarget corrupting = new ReplayTarget("corrupting", new CorruptingAio(kernel), CompletionPaths.UNKNOWN, true);
        List<TraceCall> calls = TestTraces.load(SharedTraces.trace("fio-libaio-batch.strace"));
        ReplayReport r = new ReplayEngine(corrupting, ReplayOptions.defaults().withRoot(dir.resolve("c")))
                .run("fio", calls, List.of(), ReplayEngine.Progress.NONE);
        // every PREAD came back with its first byte flipped; only bytes a write in flight made ambiguous escape the check
        assertTrue(r.checksFailed >= 209 && r.checksFailed <= 220, "caught " + r.checksFailed + " of 220");
        assertEquals(r.checksFailed, r.differences().size());
        assertTrue(r.differences().stream().allMatch(d -> d.detail().startsWith("PREAD of iocb")), r.differences().toString());
    }

    /** Flips the first byte each completed PREAD brought in: a broken executor for the data check to find. */
    private record CorruptingAio(LinuxAioSyscalls k) implements LinuxAioSyscalls {
        public long ioSetup(int n, long p) { return k.ioSetup(n, p); }
        public long ioDestroy(long c) { return k.ioDestroy(c); }
        public long ioSubmit(long c, long n, long p) { return k.ioSubmit(c, n, p); }
        public long ioCancel(long c, long i, long r) { return k.ioCancel(c, i, r); }
        public long ioPgetevents(long c, long min, long nr, long ev, long ts, long sig) { return k.ioPgetevents(c, min, nr, ev, ts, sig); }

        @Override
        @SuppressWarnings("restricted")
        public long ioGetevents(long c, long min, long nr, long ev, long ts) {
            long n = k.ioGetevents(c, min, nr, ev, ts);
            MemorySegment events = MemorySegment.ofAddress(ev).reinterpret(Math.max(0, n) * 32);
            for (long i = 0; i < n; i++) {
                MemorySegment iocb = MemorySegment.ofAddress(events.get(ValueLayout.JAVA_LONG, i * 32 + 8)).reinterpret(64);
                long res = events.get(ValueLayout.JAVA_LONG, i * 32 + 16);
                if (iocb.get(ValueLayout.JAVA_SHORT, 16) == LinuxAioConstants.IOCB_CMD_PREAD && res > 0) {
                    MemorySegment buf = MemorySegment.ofAddress(iocb.get(ValueLayout.JAVA_LONG, 24)).reinterpret(res);
                    buf.set(ValueLayout.JAVA_BYTE, 0, (byte) ~buf.get(ValueLayout.JAVA_BYTE, 0));
                }
            }
            return n;
        }
    }

    @Test
    @DisplayName("the executor's completion paths are counted per request")
    void completionPathsHook() throws Exception {
        ReplayTarget t = new ReplayTarget("kernel that says WORKER", new HostKernelAio(), addr -> Optional.of(CompletionPath.WORKER), true);
        List<TraceCall> calls = TestTraces.strict(TestTraces.resource("mtaio-verbose.strace"));
        ReplayReport r = new ReplayEngine(t, ReplayOptions.defaults().withRoot(dir.resolve("p"))).run("mt", calls, List.of(),
                ReplayEngine.Progress.NONE);
        assertEquals(Map.of("WORKER", 4L), r.completionPaths(), "the POLL, PWRITE, PREAD and FSYNC");
    }

    @Test
    @DisplayName("an fd used but never opened (no -y path) is an error with its line before anything runs; lenient skips the call")
    void fdNeverOpened() throws Exception {
        String t = """
                10:00:00.000001 io_setup(4, [0x7f00]) = 0
                10:00:00.000002 io_submit(0x7f00, 1, [{aio_data=0x1, aio_lio_opcode=IOCB_CMD_FSYNC, aio_fildes=7}]) = 1
                10:00:00.000003 io_getevents(0x7f00, 1, 1, [{data=0x1, obj=0x10, res=0, res2=0}], NULL) = 1
                10:00:00.000004 io_destroy(0x7f00) = 0
                """;
        List<TraceCall> calls = TestTraces.strict(t);
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> replay("bad", calls));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("fd 7 is used but never opened"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("root")), "nothing ran");
        ReplayReport r = replay("bad", calls, ReplayOptions.defaults().withLenient(true).withWaitLimit(Duration.ofMillis(100)));
        assertEquals(1, r.skipped());
        assertTrue(r.notes().stream().anyMatch(n -> n.line() == 2 && n.message().contains("never opened")));
        assertTrue(!r.differences().isEmpty(), "the skipped submit's event cannot arrive");
        assertEquals(List.of(3), r.differences().stream().map(Difference::line).distinct().toList(), r.differences().toString());
    }

    @Test
    @DisplayName("--record output replays again with no difference (JSON-lines path end to end)")
    void recordAndReplayAgain() throws Exception {
        List<TraceCall> calls = TestTraces.load(SharedTraces.trace("aiotrace-libaio.strace"));
        ReplayReport first = replay("aiotrace", calls, ReplayOptions.defaults().withRecord(true));
        assertEquals(calls.size(), first.replayedCalls().size());
        StringWriter w = new StringWriter();
        JsonTrace.write(w, "aiotrace", first.replayedCalls());
        List<TraceCall> again = JsonTrace.read(new StringReader(w.toString()), false, x -> { });
        ReplayReport second = new ReplayEngine(ReplayTarget.hostKernel(), ReplayOptions.defaults().withRoot(dir.resolve("again")))
                .run("aiotrace.jsonl", again, List.of(), ReplayEngine.Progress.NONE);
        assertEquals(List.of(), second.differences(), second.text());
    }

    @Test
    @DisplayName("--timing original keeps the trace's gaps; asap does not wait")
    void timing() throws Exception {
        String t = """
                10:00:00.000000 eventfd2(0, EFD_CLOEXEC) = 3<anon_inode:[eventfd]>
                10:00:00.300000 close(3<anon_inode:[eventfd]>) = 0
                """;
        List<TraceCall> calls = TestTraces.strict(t);
        ReplayReport asap = replay("t", calls);
        ReplayReport original = replay("t", calls, ReplayOptions.defaults().withTiming(ReplayOptions.Timing.ORIGINAL));
        assertTrue(original.elapsedSeconds() >= 0.3, "original: " + original.elapsedSeconds());
        assertTrue(asap.elapsedSeconds() < 0.3, "asap: " + asap.elapsedSeconds());
        assertEquals(List.of(), original.differences());
    }

    @Test
    @DisplayName("files are laid out with the size the trace's reads need: a short read at EOF replays short")
    void fileSizesFromReads() throws Exception {
        String t = """
                openat(AT_FDCWD</w>, "data/f", O_RDONLY) = 3</w/data/f>
                pread64(3</w/data/f>, "..."..., 4096, 8192) = 4096
                pread64(3</w/data/f>, ""..., 4096, 12000) = 288
                read(3</w/data/f>, ""..., 100) = 100
                close(3</w/data/f>) = 0
                openat(AT_FDCWD</w>, "missing", O_RDONLY) = -1 ENOENT (No such file or directory)
                """;
        List<TraceCall> calls = TestTraces.strict(t);
        ReplayReport r = replay("sizes", calls);
        assertEquals(List.of(), r.differences(), r.text());
        assertEquals(12288, Files.size(dir.resolve("root/w/data/f")));
        assertTrue(Files.notExists(dir.resolve("root/w/missing")));
        assertEquals(4096 + 288 + 100, r.bytesVerified());
    }

    @Test
    @DisplayName("a file the trace creates is not laid out beforehand, but its directory is; O_EXCL, unlink and a second open replay")
    void createdFilesAreNotPrecreated() throws Exception {
        String t = """
                openat(AT_FDCWD, "/new/dir/f", O_RDWR|O_CREAT|O_EXCL, 0600) = 3
                pwrite64(3, "abc", 3, 10) = 3
                close(3) = 0
                openat(AT_FDCWD, "/new/dir/f", O_RDWR|O_CREAT|O_EXCL, 0600) = -1 EEXIST (File exists)
                openat(AT_FDCWD, "/new/dir/f", O_RDONLY) = 3
                pread64(3, "\0\0\0\0\0\0\0\0\0\0abc", 100, 0) = 13
                close(3) = 0
                unlink("/new/dir/f") = 0
                unlink("/new/dir/f") = -1 ENOENT (No such file or directory)
                """;
        ReplayReport r = replay("create", TestTraces.strict(t));
        assertEquals(List.of(), r.differences(), r.text());
        assertEquals(13, r.bytesVerified(), "the hole reads back as zeros, then the write's bytes");
        assertTrue(Files.isDirectory(dir.resolve("root/new/dir")));
        assertTrue(Files.notExists(dir.resolve("root/new/dir/f")));
    }

    @Test
    @DisplayName("bad buffers replay as bad: a NULL aio_buf faults, a shown-data O_DIRECT write the trace saw refused gets a misaligned buffer")
    void badBuffersReplayAsBad() throws Exception {
        String t = """
                openat(AT_FDCWD, "/d/f", O_RDWR|O_CREAT|O_DIRECT, 0600) = 3
                ftruncate(3, 8192) = 0
                io_setup(4, [0x7f00]) = 0
                io_submit(0x7f00, 3, [{aio_data=0x1, aio_lio_opcode=IOCB_CMD_PWRITE, aio_fildes=3, aio_buf="abc"..., aio_nbytes=4096, aio_offset=0}, {aio_data=0x2, aio_lio_opcode=IOCB_CMD_PREAD, aio_fildes=3, aio_buf=0, aio_nbytes=4096, aio_offset=0}, {aio_data=0x3, aio_lio_opcode=IOCB_CMD_PWRITE, aio_fildes=3, aio_buf="x"..., aio_nbytes=4096, aio_offset=4096}]) = 3
                io_getevents(0x7f00, 3, 3, [{data=0x1, obj=0x10, res=-22, res2=0}, {data=0x2, obj=0x50, res=-14, res2=0}, {data=0x3, obj=0x90, res=4096, res2=0}], NULL) = 3
                pread64(3, "..."..., 4096, 4096) = 4096
                io_destroy(0x7f00) = 0
                """;
        ReplayReport r = replay("bad buffers", TestTraces.strict(t));
        assertEquals(List.of(), r.differences(), r.text());
        assertEquals(4096, r.bytesVerified(), "the O_DIRECT write that went through is read back");
    }

    @Test
    @DisplayName("a trace that knows where each iocb was (as an in-process recorder can) is matched by obj, even with aio_data 0")
    void matchingByIocbAddress() throws Exception {
        List<TraceCall> calls = TestTraces.strict(TestTraces.resource("mtaio-verbose.strace"));
        Map<Long, Long> objByData = new java.util.HashMap<>();
        for (TraceCall c : calls) {
            if (c.args() instanceof CallArgs.IoGetevents g) g.events().forEach(e -> objByData.put(e.data(), e.obj()));
        }
        List<TraceCall> anonymous = new ArrayList<>();
        for (TraceCall c : calls) {
            CallArgs a = switch (c.args()) {
                case CallArgs.IoSubmit s -> new CallArgs.IoSubmit(s.ctx(), s.nr(), s.iocbs().stream().map(cb -> new AioStructs.TraceIocb(0,
                        cb.key(), cb.rwFlags(), cb.opcode(), cb.reqprio(), cb.fd(), cb.buf(), cb.bufData(), cb.iov(), cb.nbytes(), cb.offset(),
                        cb.flags(), cb.resfd(), objByData.get(cb.data()))).toList(), s.truncated());
                case CallArgs.IoGetevents g -> new CallArgs.IoGetevents(g.ctx(), g.minNr(), g.nr(), g.events().stream()
                        .map(e -> new AioStructs.TraceIoEvent(0, e.obj(), e.res(), e.res2())).toList(), g.truncated(), g.timeout(), g.sigmask());
                default -> c.args();
            };
            anonymous.add(c.withOutcome(c.outcome(), a));
        }
        ReplayReport r = replay("by obj", anonymous);
        assertEquals(List.of(), r.differences(), r.text());
        assertEquals(Map.of(Matching.OBJ, 4L), r.matching());
    }
}
