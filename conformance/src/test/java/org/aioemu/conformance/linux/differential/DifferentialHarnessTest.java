package org.aioemu.conformance.linux.differential;

import static org.aioemu.conformance.linux.KernelLinuxAioLayouts.EVENT_RES;
import static org.aioemu.conformance.linux.KernelLinuxAioLayouts.IO_EVENT;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_FDSYNC;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_FSYNC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jnr.constants.platform.linux.Errno;
import org.aioemu.linux.kernel.HostKernelAio;
import org.aioemu.conformance.linux.differential.DifferentialRunner.World;
import org.aioemu.linux.LinuxAioSyscalls;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential harness itself: its sequences are reproducible, they keep the promises the
 * comparison depends on, and the comparison does fail when a world answers differently (shown
 * with "mutants": the host kernel with one answer deliberately changed).
 */
class DifferentialHarnessTest {
    private static final long SEED = 42;
    private static final World KERNEL = new World("host kernel", HostKernelAio::new);

    @TempDir Path dir;

    private DifferentialReport run(World candidate, Profile profile, int sequences) {
        return new DifferentialRunner(KERNEL, candidate, profile, dir, List.of(), 5000, Duration.ofSeconds(60), 16)
                .run(SEED, 0, sequences);
    }

    @Test
    @DisplayName("differential harness: a sequence is a pure function of (seed, index, profile)")
    void sequencesAreReproducible() {
        for (Profile p : Profile.values()) {
            SequenceGenerator a = new SequenceGenerator(p);
            SequenceGenerator b = new SequenceGenerator(p);
            for (int i = 0; i < 200; i++) assertEquals(a.generate(SEED, i), b.generate(SEED, i));
        }
        SequenceGenerator g = new SequenceGenerator(Profile.IN_ORDER_BATCHES);
        assertNotEquals(g.generate(SEED, 0), g.generate(SEED, 1));
        assertNotEquals(g.generate(SEED, 0), g.generate(SEED + 1, 0));
    }

    @Test
    @DisplayName("differential harness: batches hold at most 8 iocbs and an FSYNC/FDSYNC only as the last one (LNX-51: it completes on a workqueue)")
    void batchesKeepTheirPromises() {
        SequenceGenerator g = new SequenceGenerator(Profile.IN_ORDER_BATCHES);
        int batches = 0;
        int syncs = 0;
        for (int i = 0; i < 1000; i++) {
            Sequence s = g.generate(SEED, i);
            assertTrue(s.steps().size() >= 1 && s.steps().size() <= SequenceGenerator.MAX_STEPS);
            for (Step step : s.steps()) {
                if (!(step instanceof Step.Submit sub)) continue;
                batches++;
                assertTrue(sub.elements().size() <= 8);
                for (int k = 0; k < sub.elements().size(); k++) {
                    Ptr p = sub.elements().get(k);
                    if (p.kind() != Ptr.Kind.IOCB) continue;
                    int op = s.iocb((int) p.offset()).opcode();
                    if (op == IOCB_CMD_FSYNC || op == IOCB_CMD_FDSYNC) {
                        syncs++;
                        assertEquals(sub.elements().size() - 1, k, "sequence " + i + ": " + sub);
                    }
                }
            }
        }
        assertTrue(batches > 5000 && syncs > 100, batches + " batches, " + syncs + " syncs");
    }

    @Test
    @DisplayName("differential harness: the kernel agrees with itself under the unordered-batches profile the async mode uses")
    void unorderedProfileIsDeterministic() {
        DifferentialReport r = run(KERNEL, Profile.UNORDERED_BATCHES, 150);
        System.out.println(r.summary());
        assertTrue(r.clean(), r::summary);
        assertEquals(150, r.sequences());
    }

    /** The kernel, except that io_submit reports EINVAL as EBADF. */
    private static final class ErrnoMutant implements LinuxAioSyscalls {
        private final HostKernelAio k = new HostKernelAio();

        @Override public long ioSetup(int nr, long ctxp) { return k.ioSetup(nr, ctxp); }
        @Override public long ioDestroy(long ctx) { return k.ioDestroy(ctx); }
        @Override public long ioCancel(long ctx, long iocb, long result) { return k.ioCancel(ctx, iocb, result); }
        @Override public long ioGetevents(long ctx, long min, long nr, long ev, long ts) { return k.ioGetevents(ctx, min, nr, ev, ts); }
        @Override public long ioPgetevents(long ctx, long min, long nr, long ev, long ts, long usig) { return k.ioPgetevents(ctx, min, nr, ev, ts, usig); }

        @Override
        public long ioSubmit(long ctx, long nr, long iocbpp) {
            long rc = k.ioSubmit(ctx, nr, iocbpp);
            return rc == -Errno.EINVAL.intValue() ? -Errno.EBADF.intValue() : rc;
        }
    }

    /** The kernel, except that io_getevents adds 1 to the res of the first event it returns. */
    private static final class EventMutant implements LinuxAioSyscalls {
        private final HostKernelAio k = new HostKernelAio();

        @Override public long ioSetup(int nr, long ctxp) { return k.ioSetup(nr, ctxp); }
        @Override public long ioDestroy(long ctx) { return k.ioDestroy(ctx); }
        @Override public long ioSubmit(long ctx, long nr, long iocbpp) { return k.ioSubmit(ctx, nr, iocbpp); }
        @Override public long ioCancel(long ctx, long iocb, long result) { return k.ioCancel(ctx, iocb, result); }
        @Override public long ioPgetevents(long ctx, long min, long nr, long ev, long ts, long usig) { return k.ioPgetevents(ctx, min, nr, ev, ts, usig); }

        @Override
        @SuppressWarnings("restricted")
        public long ioGetevents(long ctx, long min, long nr, long ev, long ts) {
            long n = k.ioGetevents(ctx, min, nr, ev, ts);
            if (n > 0) {
                MemorySegment first = MemorySegment.ofAddress(ev).reinterpret(IO_EVENT.byteSize());
                EVENT_RES.set(first, 0L, (long) EVENT_RES.get(first, 0L) + 1);
            }
            return n;
        }
    }

    @Test
    @DisplayName("differential harness: a world that answers one errno differently is caught, with seed, sequence and step")
    void errnoDifferenceIsCaught() {
        DifferentialReport r = run(new World("errno mutant", ErrnoMutant::new), Profile.IN_ORDER_BATCHES, 40);
        assertFalse(r.clean());
        Difference d = r.unexplained().getFirst();
        assertTrue(d.step() >= 0 && d.what().startsWith("io_submit"), d::toString);
        assertEquals("-22 (EINVAL)", d.oracle());
        assertEquals("-9 (EBADF)", d.candidate());
        assertTrue(r.summary().contains("-Ddifferential.seed=" + SEED + " -Ddifferential.first=" + d.sequence()), r::summary);
    }

    @Test
    @DisplayName("differential harness: a world that reports one event's res differently is caught")
    void eventDifferenceIsCaught() {
        DifferentialReport r = run(new World("event mutant", EventMutant::new), Profile.IN_ORDER_BATCHES, 40);
        assertFalse(r.clean());
        assertTrue(r.unexplained().stream().anyMatch(d -> d.what().startsWith("all events of the sequence")), r::summary);
        assertTrue(r.unexplained().stream().anyMatch(d -> d.what().startsWith("events reaped by io_getevents")), r::summary);
    }
}
