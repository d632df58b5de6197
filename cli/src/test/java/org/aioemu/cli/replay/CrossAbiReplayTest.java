package org.aioemu.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Linux traces replayed through the emulated FreeBSD ABI: what must agree agrees, and each difference has its reason. */
class CrossAbiReplayTest {
    @TempDir Path dir;

    private ReplayReport replay(String trace) throws Exception {
        try (ReplayTarget bsd = ReplayTarget.freeBsd()) {
            return new ReplayEngine(bsd, ReplayOptions.defaults().withRoot(dir.resolve("root")).withWaitLimit(Duration.ofMillis(300)))
                    .run(trace, TestTraces.load(SharedTraces.trace(trace)), List.of(), ReplayEngine.Progress.NONE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fio-libaio.strace", "fio-libaio-batch.strace"})
    @DisplayName("fio's reads and writes mean the same on FreeBSD: no difference, every read's data checked; batches go through lio_listio")
    void fioAgrees(String trace) throws Exception {
        ReplayReport r = replay(trace);
        assertEquals(List.of(), r.differences());
        assertEquals(List.of(), r.translations(), "nothing fio does parts from FreeBSD semantics");
        assertEquals(r.replayed(), r.matched());
        assertTrue(r.bytesVerified() > 800_000, r::text);
        Map<String, Long> calls = r.translatedCalls();
        assertEquals(400, calls.getOrDefault("aio_read", 0L) + calls.getOrDefault("aio_write", 0L)
                + calls.getOrDefault("lio_listio entries", 0L), "each of fio's 400 iocbs submitted once: " + calls);
        assertTrue(calls.get("aio_waitcomplete") >= 400, r::text);
        if (trace.contains("batch")) assertTrue(calls.get("lio_listio") > 0, "io_submit of several iocbs is one lio_listio: " + calls);
        else assertEquals(null, calls.get("lio_listio"), "fio without batching submits one iocb at a time: " + calls);
    }

    @Test
    @DisplayName("aiotrace.c on FreeBSD: the POLL, its cancel and its event, and the eventfd notification differ, each with its reason; the rest agrees")
    void aiotraceDiffersWhereFreeBsdLacksTheFeature() throws Exception {
        ReplayReport r = replay("aiotrace-libaio.strace");
        Map<Integer, List<Difference>> byLine = r.differences().stream().collect(Collectors.groupingBy(Difference::line));
        assertEquals(List.of(14, 183, 185, 186), byLine.keySet().stream().sorted().toList(), r::text);

        Difference poll = byLine.get(14).getFirst();
        assertEquals("1", poll.recorded());
        assertTrue(poll.replayed().contains("EINVAL"), poll::toString);
        assertTrue(poll.detail().contains("IOCB_CMD_POLL has no FreeBSD equivalent"), poll::toString);

        Difference eventfd = byLine.get(183).getFirst();
        assertEquals("read", eventfd.call());
        assertTrue(eventfd.detail().contains("IOCB_FLAG_RESFD has no FreeBSD counterpart"), eventfd::toString);

        Difference cancel = byLine.get(185).getFirst();
        assertTrue(cancel.recorded().contains("EINPROGRESS") && cancel.replayed().contains("EINVAL"), cancel::toString);
        assertTrue(cancel.detail().contains("this POLL was refused at submit"), cancel::toString);

        for (Difference d : byLine.get(186)) assertTrue(d.detail().contains("is a POLL's"), d::toString);

        // io_cancel of a completed PREAD (line 187): AIO_ALLDONE is Linux's EINVAL, the same result
        assertTrue(r.translations().stream().anyMatch(w -> w.line() == 187 && w.toString().contains("AIO_ALLDONE")), r::text);
        assertTrue(r.translations().stream().filter(w -> w.toString().contains("IOCB_FLAG_RESFD")).count() >= 10, r::text);
        assertEquals(0, r.checksFailed, r::text);
        assertTrue(r.bytesVerified() > 500_000, r::text);
        Map<String, Long> calls = r.translatedCalls();
        for (String c : List.of("aio_read", "aio_write", "aio_readv", "aio_writev", "aio_fsync", "aio_waitcomplete", "aio_cancel")) {
            assertTrue(calls.getOrDefault(c, 0L) > 0, c + " was used: " + calls);
        }
    }

    @Test
    @DisplayName("FreeBSD errno numbers come back as Linux's for the same name")
    void errnoByName() {
        assertEquals(11, LinuxOnFreeBsd.linuxErrno(35), "EAGAIN");
        assertEquals(125, LinuxOnFreeBsd.linuxErrno(85), "ECANCELED");
        assertEquals(115, LinuxOnFreeBsd.linuxErrno(36), "EINPROGRESS");
        assertEquals(9, LinuxOnFreeBsd.linuxErrno(9), "EBADF");
    }
}
