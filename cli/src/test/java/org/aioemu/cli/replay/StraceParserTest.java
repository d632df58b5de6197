package org.aioemu.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aioemu.cli.replay.AioStructs.TraceIoEvent;
import org.aioemu.cli.replay.AioStructs.TraceIocb;
import org.aioemu.linux.LinuxAioConstants;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StraceParserTest {
    private static final Pattern CALL_NAME = Pattern.compile("^(?:\\[pid +\\d+\\] |\\d+ )?(?:[\\d:.]+ )?([a-z_0-9]+)\\(");

    /** Calls per syscall counted straight from the text, independently of the parser. */
    private static Map<String, Integer> countByName(List<String> lines) {
        Map<String, Integer> m = new TreeMap<>();
        for (String l : lines) {
            Matcher x = CALL_NAME.matcher(l);
            if (x.find()) m.merge(x.group(1), 1, Integer::sum);
        }
        return m;
    }

    private static Map<String, Integer> countByName(List<TraceCall> calls, boolean parsed) {
        Map<String, Integer> m = new TreeMap<>();
        for (TraceCall c : calls) m.merge(c.call(), 1, Integer::sum);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"aiotrace-libaio.strace", "fio-libaio.strace", "fio-libaio-batch.strace"})
    @DisplayName("every call of each shared trace parses, none lost or invented")
    void sharedTracesParseCompletely(String name) throws Exception {
        Path trace = SharedTraces.trace(name);
        List<TraceCall> calls = TestTraces.load(trace);
        List<String> lines = Files.readAllLines(trace, StandardCharsets.UTF_8);
        assertEquals(countByName(lines), countByName(calls, true));
        for (int i = 1; i < calls.size(); i++) assertTrue(calls.get(i - 1).line() < calls.get(i).line());
        for (TraceCall c : calls) {
            assertTrue(c.outcome().known(), "line " + c.line());
            assertTrue(c.timeMicros() != null && c.durationMicros() != null && c.thread() > 0, "line " + c.line());
        }
    }

    @Test
    @DisplayName("aiotrace: POLL, vectored, misaligned O_DIRECT and eventfd iocbs decode field by field")
    void aiotraceDetails() throws Exception {
        List<TraceCall> calls = TestTraces.load(SharedTraces.trace("aiotrace-libaio.strace"));
        TraceCall setup = call(calls, 13);
        assertEquals(new CallArgs.IoSetup(32, 0x7f932265e000L), setup.args());

        TraceIocb poll = ((CallArgs.IoSubmit) call(calls, 14).args()).iocbs().getFirst();
        assertEquals(new TraceIocb(0x1e61, 0, 0, LinuxAioConstants.IOCB_CMD_POLL, 0, new FdRef(6, "pipe:[484430]"), 1L, null, null,
                0, 0, 0, null, null), poll);

        CallArgs.IoSubmit batch = (CallArgs.IoSubmit) call(calls, 15).args();
        assertEquals(3, batch.nr());
        TraceIocb first = batch.iocbs().get(0);
        assertEquals(0x3e8, first.data());
        assertEquals(new FdRef(4, "/srv/aioemu-trace/small.dat"), first.fd());
        assertEquals(0x562ff9c13000L, first.buf());
        assertEquals(200704, first.offset());
        assertEquals(LinuxAioConstants.IOCB_FLAG_RESFD, first.flags());
        assertEquals(new FdRef(5, "anon_inode:[eventfd]"), first.resfd());
        TraceIocb writev = batch.iocbs().get(2);
        assertEquals(LinuxAioConstants.IOCB_CMD_PWRITEV, writev.opcode());
        assertEquals(2, writev.iov().size());
        assertEquals(2, writev.nbytes(), "a vectored iocb's aio_nbytes is its iovec count");
        assertTrue(writev.iov().getFirst().data().truncated());
        assertEquals(4096, writev.transferLength());

        TraceIocb misaligned = ((CallArgs.IoSubmit) call(calls, 53).args()).iocbs().get(4);
        assertEquals(0x562ff9c13001L, misaligned.buf());
        assertEquals(1, misaligned.offset());
        TraceIoEvent einval = ((CallArgs.IoGetevents) call(calls, 54).args()).events().get(4);
        assertEquals(new TraceIoEvent(0x22b8, 0x562fdb0fe520L, -22, 0), einval);

        TraceCall timedOut = call(calls, 184);
        CallArgs.IoGetevents g = (CallArgs.IoGetevents) timedOut.args();
        assertEquals(0, timedOut.outcome().value());
        assertTrue(g.events().isEmpty());
        assertEquals(5_000_000, g.timeout().toNanos());

        TraceCall read = call(calls, 183);
        assertEquals(new TraceBytes(new byte[] {'C', 0, 0, 0, 0, 0, 0, 0}, false), ((CallArgs.ReadWrite) read.args()).data());

        TraceCall cancel = call(calls, 185);
        assertEquals(-LinuxNames.errnoNumber("EINPROGRESS"), cancel.outcome().value());
        assertEquals("EINPROGRESS", cancel.outcome().errno());
        assertNull(((CallArgs.IoCancel) cancel.args()).result(), "strace printed an address: the kernel filled nothing");
    }

    @Test
    @DisplayName("fio: aio_data is 0 on every iocb and PWRITE buffers are shown as data")
    void fioDataIsZero() throws Exception {
        List<TraceCall> calls = TestTraces.load(SharedTraces.trace("fio-libaio-batch.strace"));
        long submits = calls.stream().filter(c -> c.args() instanceof CallArgs.IoSubmit).count();
        assertEquals(198, submits);
        for (TraceCall c : calls) {
            if (!(c.args() instanceof CallArgs.IoSubmit s)) continue;
            for (TraceIocb cb : s.iocbs()) {
                assertEquals(0, cb.data());
                if (cb.opcode() == LinuxAioConstants.IOCB_CMD_PWRITE) {
                    assertNull(cb.buf());
                    assertEquals(32, cb.bufData().length());
                    assertTrue(cb.bufData().truncated());
                }
            }
        }
    }

    @Test
    @DisplayName("the three -X styles (verbose, default names, raw numbers) decode to the same calls")
    void xStylesAgree() {
        List<TraceCall> verbose = TestTraces.strict(TestTraces.resource("mtaio-verbose.strace"));
        List<TraceCall> names = TestTraces.strict(TestTraces.resource("mtaio-abbrev.strace"));
        List<TraceCall> raw = TestTraces.strict(TestTraces.resource("mtaio-raw.strace"));
        assertEquals(verbose.size(), names.size());
        assertEquals(verbose.size(), raw.size());
        for (int i = 0; i < verbose.size(); i++) {
            CallArgs v = normalize(verbose.get(i).args()), n = normalize(names.get(i).args()), r = normalize(raw.get(i).args());
            assertEquals(v, n, "default style, call " + i);
            assertEquals(v, r, "raw style, call " + i);
        }
        TraceCall sp = verbose.stream().filter(c -> c.call().equals("socketpair")).findFirst().orElseThrow();
        assertEquals(new CallArgs.SocketPair(1, 1 | 02000000, 0, List.of(new FdRef(7, "socket:[348756]"), new FdRef(8, "socket:[348757]"))),
                sp.args(), "comments inside a flag expression (0x1 /* SOCK_STREAM */|0x80000 /* SOCK_CLOEXEC */)");
    }

    // The three traces are three runs: addresses, inodes and pids differ; what was asked must not.
    private static CallArgs normalize(CallArgs a) {
        return switch (a) {
            case CallArgs.IoSetup s -> new CallArgs.IoSetup(s.nrEvents(), 0);
            case CallArgs.IoDestroy d -> new CallArgs.IoDestroy(0);
            case CallArgs.IoSubmit s -> new CallArgs.IoSubmit(0, s.nr(), s.iocbs().stream().map(StraceParserTest::normalize).toList(), s.truncated());
            case CallArgs.IoGetevents g -> new CallArgs.IoGetevents(0, g.minNr(), g.nr(),
                    g.events().stream().map(e -> new TraceIoEvent(e.data(), 0, e.res(), e.res2())).toList(), g.truncated(), g.timeout(), g.sigmask());
            case CallArgs.IoCancel x -> new CallArgs.IoCancel(0, normalize(x.iocb()), x.result());
            case CallArgs.Pipe p -> new CallArgs.Pipe(p.fds().stream().map(f -> new FdRef(f.fd(), null)).toList(), p.flags());
            case CallArgs.SocketPair s -> new CallArgs.SocketPair(s.domain(), s.type(), s.protocol(),
                    s.fds().stream().map(f -> new FdRef(f.fd(), null)).toList());
            case CallArgs.ReadWrite rw -> new CallArgs.ReadWrite(fd(rw.fd()), rw.data(), rw.count(), rw.offset());
            default -> a;
        };
    }

    private static TraceIocb normalize(TraceIocb cb) {
        return new TraceIocb(cb.data(), cb.key(), cb.rwFlags(), cb.opcode(), cb.reqprio(), fd(cb.fd()),
                cb.buf() == null || cb.opcode() == LinuxAioConstants.IOCB_CMD_POLL ? cb.buf() : Long.valueOf(0), cb.bufData(), cb.iov(), cb.nbytes(),
                cb.offset(), cb.flags(), cb.resfd() == null ? null : fd(cb.resfd()), cb.address());
    }

    private static FdRef fd(FdRef f) {
        return f.path() != null && (f.path().startsWith("pipe:") || f.path().startsWith("socket:")) ? new FdRef(f.fd(), null) : f;
    }

    @Test
    @DisplayName("a call split by another thread (unfinished/resumed) is joined by pid, keeping both lines")
    void unfinishedAndResumedJoinByPid() {
        List<TraceCall> calls = TestTraces.strict(TestTraces.resource("mtaio-abbrev.strace"));
        TraceCall waiter = calls.stream().filter(c -> c.line() != c.endLine()).findFirst().orElseThrow();
        assertEquals("io_getevents", waiter.call());
        assertEquals(28958, waiter.thread());
        assertEquals(waiter.line() + 2, waiter.endLine(), "the other thread's write sits between the two halves");
        CallArgs.IoGetevents g = (CallArgs.IoGetevents) waiter.args();
        assertEquals(1, g.minNr());
        assertEquals(4, g.nr());
        assertNull(g.timeout());
        assertEquals(List.of(new TraceIoEvent(0x2a, 0x7ffc2ee0e2b0L, 65, 0)), g.events());
        assertEquals(50_172, waiter.durationMicros(), "-T of the resumed line is the whole call's");
    }

    @Test
    @DisplayName("two threads each leave a call unfinished: each resumed half finds its own")
    void interleavedUnfinished() {
        String t = """
                100 10:00:00.000001 read(3</p>,  <unfinished ...>
                101 10:00:00.000002 io_getevents(0x7f00, 1, 2,  <unfinished ...>
                102 10:00:00.000003 write(4</p>, "ab", 2) = 2 <0.000001>
                100 10:00:00.000004 <... read resumed>"ab", 10) = 2 <0.000003>
                101 10:00:00.000005 <... io_getevents resumed>[{data=0x1, obj=0x55, res=0, res2=0}], NULL) = 1 <0.000003>
                """;
        List<TraceCall> calls = TestTraces.strict(t);
        assertEquals(List.of("read", "io_getevents", "write"), calls.stream().map(TraceCall::call).toList());
        assertEquals(4, calls.get(0).endLine());
        assertEquals(new CallArgs.ReadWrite(new FdRef(3, "/p"), new TraceBytes("ab".getBytes(StandardCharsets.US_ASCII), false), 10, -1),
                calls.get(0).args());
        assertEquals(5, calls.get(1).endLine());
        assertEquals(1, ((CallArgs.IoGetevents) calls.get(1).args()).events().size());
    }

    @Test
    @DisplayName("without pid or timestamps, -ttt epochs, signals, exits and strace's own lines are handled")
    void prefixesAndSkippedLines() {
        String t = """
                strace: Process 7 attached
                close(3)                                = 0
                1700000000.250000 close(4) = -1 EBADF (Bad file descriptor)
                [pid   12] 10:00:01 fsync(5) = 0
                --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9} ---
                12 10:00:02.5 +++ exited with 0 +++
                +++ killed by SIGKILL +++
                """;
        List<TraceCall> calls = TestTraces.strict(t);
        assertEquals(3, calls.size());
        assertEquals(0, calls.get(0).thread());
        assertNull(calls.get(0).timeMicros());
        assertEquals(1_700_000_000_250_000L, calls.get(1).timeMicros());
        assertEquals(-9, calls.get(1).outcome().value());
        assertEquals(12, calls.get(2).thread());
        assertEquals(36_001_000_000L, calls.get(2).timeMicros());
    }

    @Test
    @DisplayName("strace's abbreviations: an events array cut with ... is flagged, a cut iocb array too")
    void abbreviatedArrays() {
        List<TraceCall> calls = TestTraces.strict("""
                io_getevents(0x7f00, 3, 3, [{data=0x1, obj=0x10, res=4096, res2=0}, ...], NULL) = 3
                io_submit(0x7f00, 40, [{aio_data=0, aio_lio_opcode=IOCB_CMD_FSYNC, aio_fildes=3}, ...]) = 40
                """);
        CallArgs.IoGetevents g = (CallArgs.IoGetevents) calls.get(0).args();
        assertTrue(g.truncated());
        assertEquals(1, g.events().size());
        assertTrue(((CallArgs.IoSubmit) calls.get(1).args()).truncated());
    }

    @Test
    @DisplayName("io_pgetevents, IOPRIO, aio_key, RWF flags and io_cancel's filled event decode")
    void lessCommonShapes() {
        List<TraceCall> calls = TestTraces.strict("""
                io_pgetevents(0x7f00, 1, 1, [{data=0x2, obj=0x20, res=1, res2=0}], {tv_sec=1, tv_nsec=5}, {sigmask=[USR1], sigsetsize=8}) = 1
                io_submit(0x7f00, 1, [{aio_data=0x5, aio_key=1, aio_rw_flags=RWF_NOWAIT|RWF_HIPRI, aio_lio_opcode=IOCB_CMD_PREAD, aio_reqprio=IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4), aio_fildes=3, aio_buf=0x1000, aio_nbytes=512, aio_offset=0, aio_flags=IOCB_FLAG_IOPRIO}]) = 1
                io_cancel(0x7f00, {aio_data=0x5, aio_lio_opcode=IOCB_CMD_PREAD, aio_fildes=3}, {data=0x5, obj=0x30, res=-125, res2=0}) = 0
                """);
        CallArgs.IoGetevents g = (CallArgs.IoGetevents) calls.get(0).args();
        assertTrue(g.sigmask());
        assertEquals(1_000_000_005L, g.timeout().toNanos());
        TraceIocb cb = ((CallArgs.IoSubmit) calls.get(1).args()).iocbs().getFirst();
        assertEquals(1, cb.key());
        assertEquals(0x9, cb.rwFlags());
        assertEquals(2 << 13 | 4, cb.reqprio());
        assertEquals(2, cb.flags());
        assertEquals(new TraceIoEvent(5, 0x30, -125, 0), ((CallArgs.IoCancel) calls.get(2).args()).result());
    }

    @Test
    @DisplayName("a truncated line is an error naming its line")
    void truncatedLine() {
        String t = TestTraces.resource("mtaio-verbose.strace");
        String cut = t.substring(0, t.indexOf("io_destroy(") + "io_destroy(0x7f".length()) + "\n";
        int line = (int) cut.lines().count();
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TestTraces.strict(cut));
        assertEquals(line, e.line());
        assertTrue(e.getMessage().startsWith("line " + line + ": truncated line"), e.getMessage());
    }

    @Test
    @DisplayName("an unknown syscall is an error with its line; lenient mode skips it with a warning")
    void unknownSyscall() {
        String t = """
                1 10:00:00.000001 openat(AT_FDCWD, "/d/f", O_RDONLY) = 3
                1 10:00:00.000002 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000
                1 10:00:00.000003 close(3) = 0
                """;
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> TestTraces.strict(t));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("unknown syscall 'mmap'"), e.getMessage());
        List<TraceWarning> w = new ArrayList<>();
        List<TraceCall> calls = TestTraces.lenient(t, w);
        assertEquals(List.of("openat", "close"), calls.stream().map(TraceCall::call).toList());
        assertEquals(1, w.size());
        assertEquals(2, w.getFirst().line());
        assertTrue(w.getFirst().message().contains("mmap"));
    }

    @Test
    @DisplayName("unparsable iocbs (an address instead of the struct, a missing opcode, an unknown opcode name) are errors")
    void unparsableIocbs() {
        String address = "io_submit(0x7f00, 1, [0x55d0c0e0]) = 1\n";
        String noOpcode = "close(9) = 0\nio_submit(0x7f00, 1, [{aio_data=0, aio_fildes=3, aio_buf=0x1000, aio_nbytes=1, aio_offset=0}]) = 1\n";
        String badName = "io_submit(0x7f00, 1, [{aio_data=0, aio_lio_opcode=IOCB_CMD_BOGUS, aio_fildes=3}]) = 1\n";
        TraceFormatException a = assertThrows(TraceFormatException.class, () -> TestTraces.strict(address));
        assertEquals(1, a.line());
        assertTrue(a.getMessage().contains("unparsable iocb"), a.getMessage());
        TraceFormatException b = assertThrows(TraceFormatException.class, () -> TestTraces.strict(noOpcode));
        assertEquals(2, b.line());
        assertTrue(b.getMessage().contains("no aio_lio_opcode"), b.getMessage());
        TraceFormatException c = assertThrows(TraceFormatException.class, () -> TestTraces.strict(badName));
        assertTrue(c.getMessage().contains("IOCB_CMD_BOGUS"), c.getMessage());
    }

    @Test
    @DisplayName("a resumed line with nothing unfinished, and an unfinished call never resumed, are errors")
    void danglingHalves() {
        TraceFormatException r = assertThrows(TraceFormatException.class,
                () -> TestTraces.strict("close(3) = 0\n5 <... read resumed>\"x\", 1) = 1\n"));
        assertEquals(2, r.line());
        TraceFormatException u = assertThrows(TraceFormatException.class,
                () -> TestTraces.strict("5 read(3,  <unfinished ...>\n6 close(4) = 0\n"));
        assertEquals(1, u.line());
        assertTrue(u.getMessage().contains("never completed"));
        List<TraceWarning> w = new ArrayList<>();
        assertEquals(1, TestTraces.lenient("5 read(3,  <unfinished ...>\n6 close(4) = 0\n", w).size());
        assertEquals(1, w.getFirst().line());
    }

    @Test
    @DisplayName("string escapes: octal, hex, C escapes and the ... marker")
    void stringEscapes() {
        TraceCall c = TestTraces.strict("write(1, \"a\\n\\t\\\"\\\\\\0\\177\\x41\\33z\"..., 40) = 40\n").getFirst();
        TraceBytes b = ((CallArgs.ReadWrite) c.args()).data();
        assertEquals(new TraceBytes(new byte[] {'a', '\n', '\t', '"', '\\', 0, 0x7f, 'A', 27, 'z'}, true), b);
        assertFalse(new TraceBytes(new byte[] {1}, false).equals(new TraceBytes(new byte[] {1}, true)));
    }

    @Test
    @DisplayName("damaged lines (cut, with a byte changed) give a TraceFormatException or parse; never another exception")
    void damagedLinesNeverCrash() {
        List<String> lines = TestTraces.resource("mtaio-verbose.strace").lines().toList();
        java.util.Random rnd = new java.util.Random(20261122);
        String junk = "()[]{},=<>\"\\x.0123456789/*|~ ?";
        for (int k = 0; k < 3000; k++) {
            StringBuilder line = new StringBuilder(lines.get(rnd.nextInt(lines.size())));
            if (rnd.nextBoolean()) line.setLength(rnd.nextInt(line.length() + 1));
            if (!line.isEmpty()) line.setCharAt(rnd.nextInt(line.length()), junk.charAt(rnd.nextInt(junk.length())));
            try {
                TestTraces.strict(line + "\n");
            } catch (TraceFormatException expected) {
                assertEquals(1, expected.line());
            } catch (RuntimeException e) {
                throw new AssertionError("crashed on: " + line, e);
            }
        }
    }

    private static TraceCall call(List<TraceCall> calls, int line) {
        return calls.stream().filter(c -> c.line() == line).findFirst().orElseThrow(() -> new AssertionError("no call at line " + line));
    }
}
