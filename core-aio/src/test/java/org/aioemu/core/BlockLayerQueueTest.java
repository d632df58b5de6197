package org.aioemu.core;

import static org.aioemu.core.host.HostConstants.O_CLOEXEC;
import static org.aioemu.core.host.HostConstants.O_CREAT;
import static org.aioemu.core.host.HostConstants.O_DIRECT;
import static org.aioemu.core.host.HostConstants.O_RDONLY;
import static org.aioemu.core.host.HostConstants.O_RDWR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.aioemu.core.Request.Option;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.IoVec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * O_DIRECT requests that an ABI hands to the host's block layer ({@link Option#BLOCK_LAYER}): on
 * real O_DIRECT files of the build's file system, against the worker path as the reference.
 */
@Timeout(30)
class BlockLayerQueueTest {
    private static final int BLOCK = 4096;

    @TempDir Path dir;
    private Harness h;
    private RecordingSink sink;
    private AioContext ctx;

    @BeforeEach
    void setUp() throws AioException {
        h = Harness.start();
        sink = new RecordingSink();
        ctx = h.process("direct").newContext(1024, sink);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    /** A file of {@code blocks} blocks, block i filled with 'A' + i, opened O_DIRECT. */
    private int directFile(int blocks, int flags) throws Exception {
        Path f = dir.resolve("direct-" + blocks);
        byte[] data = new byte[blocks * BLOCK];
        for (int i = 0; i < data.length; i++) data[i] = (byte) ('A' + i / BLOCK % 26);
        Files.write(f, data);
        int fd = HostIo.open(f.toString(), flags | O_DIRECT | O_CLOEXEC, 0);
        Assumptions.assumeTrue(fd >= 0, "O_DIRECT is not supported on the temp file system");
        return h.track(fd);
    }

    private Request run(Request r) throws Exception {
        int before = sink.total();
        ctx.submit(r);
        sink.awaitTotal(before + 1);
        assertEquals(1, sink.calls(r));
        return r;
    }

    private static byte[] block(char c) {
        byte[] b = new byte[BLOCK];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void aDirectReadIsRunByTheDeviceNotAWorker() throws Exception {
        int fd = directFile(2, O_RDONLY);
        long workers = h.sys.stats().workerRuns();
        MemorySegment buf = h.arena.allocate(BLOCK, BLOCK);
        Request r = run(Request.read(fd, buf, BLOCK).withOptions(Option.BLOCK_LAYER));
        assertNull(r.error(), r::toString);
        assertEquals(BLOCK, r.result());
        assertEquals(CompletionPath.DEVICE, r.path());
        assertFalse(sink.thread(r).getName().startsWith("aioemu-worker-"), sink.thread(r).getName());
        assertEquals(1, h.sys.stats().deviceRuns());
        assertEquals(workers, h.sys.stats().workerRuns());
        assertArrayEquals(block('B'), buf.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void withoutTheOptionTheWorkerPoolRunsIt() throws Exception {
        int fd = directFile(1, O_RDONLY);
        Request r = run(Request.read(fd, h.arena.allocate(BLOCK, BLOCK), 0));
        assertEquals(CompletionPath.WORKER, r.path());
        assertEquals(0, h.sys.stats().deviceRuns());
    }

    @Test
    void vectoredWriteThenReadRoundTripsThroughTheDevice() throws Exception {
        int fd = directFile(4, O_RDWR);
        MemorySegment out = IoVec.allocate(h.arena, h.filled(BLOCK, 'x'), h.filled(BLOCK, 'y'));
        Request w = run(Request.writev(fd, out, 2, BLOCK).withOptions(Option.BLOCK_LAYER));
        assertEquals(2L * BLOCK, w.result(), w::toString);
        assertEquals(CompletionPath.DEVICE, w.path());

        MemorySegment a = h.arena.allocate(BLOCK, BLOCK);
        MemorySegment b = h.arena.allocate(2 * BLOCK, BLOCK);
        Request r = run(Request.readv(fd, IoVec.allocate(h.arena, a, b), 2, 0).withOptions(Option.BLOCK_LAYER));
        assertEquals(3L * BLOCK, r.result(), r::toString);
        assertArrayEquals(block('A'), a.toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(block('x'), b.asSlice(0, BLOCK).toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(block('y'), b.asSlice(BLOCK, BLOCK).toArray(ValueLayout.JAVA_BYTE));
        byte[] onDisk = Files.readAllBytes(dir.resolve("direct-4"));
        assertEquals('y', onDisk[2 * BLOCK + 7]);
        assertEquals('D', onDisk[3 * BLOCK]);
    }

    @Test
    void aMisalignedBufferGetsTheSameAnswerAsOnAWorker() throws Exception {
        int fd = directFile(1, O_RDONLY);
        MemorySegment odd = h.arena.allocate(BLOCK + 1, BLOCK).asSlice(1, BLOCK);
        Request device = run(Request.read(fd, odd, 0).withOptions(Option.BLOCK_LAYER));
        Request worker = run(Request.read(fd, odd, 0));
        assertEquals(AioError.EINVAL, worker.error(), worker::toString);
        assertEquals(worker.error(), device.error(), device::toString);
        assertEquals(worker.result(), device.result());
    }

    @Test
    void closingTheFdAfterSubmitNeitherBreaksNorRedirectsIt() throws Exception {
        int fd = directFile(8, O_RDONLY);
        List<Request> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(Request.read(fd, h.arena.allocate(BLOCK, BLOCK), (long) i * BLOCK).withOptions(Option.BLOCK_LAYER));
        }
        ctx.submitAll(all);
        h.closeNow(fd);   // the host took its own reference at io_submit (the kernel's fget)
        int other = h.open(dir.resolve("other"), O_RDWR | O_CREAT);   // likely reuses the number
        sink.awaitTotal(8);
        for (Request r : all) {
            assertEquals(BLOCK, r.result(), r::toString);
            assertArrayEquals(block((char) ('A' + r.offset() / BLOCK)), r.buffer().toArray(ValueLayout.JAVA_BYTE));
        }
        assertEquals(0, Files.size(dir.resolve("other")), "fd " + other + " was not touched");
    }

    @Test
    void aRequestAtTheDeviceIsNeverCancelledAndCompletesOnce() throws Exception {
        int fd = directFile(32, O_RDONLY);
        List<Request> all = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Request r = Request.read(fd, h.arena.allocate(BLOCK, BLOCK), (long) i * BLOCK).withOptions(Option.BLOCK_LAYER);
            ctx.submit(r);
            assertNotEquals(CancelOutcome.CANCELED, ctx.cancel(r), r::toString);   // Linux: the bio is queued
            all.add(r);
        }
        sink.awaitTotal(32);
        sink.assertEachDeliveredOnce(all);
        for (Request r : all) {
            assertEquals(BLOCK, r.result(), r::toString);
            assertEquals(CompletionPath.DEVICE, r.path());
        }
    }

    @Test
    void moreRequestsThanTheHostContextHoldsAllComplete() throws Exception {
        int n = BlockLayerQueue.DEPTH + 88;   // the host's slots are reused, or the rest spill to workers
        int fd = directFile(8, O_RDONLY);
        List<Request> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(Request.read(fd, h.arena.allocate(BLOCK, BLOCK), (long) (i % 8) * BLOCK).withOptions(Option.BLOCK_LAYER));
        }
        ctx.submitAll(all);
        sink.awaitTotal(n);
        sink.assertEachDeliveredOnce(all);
        for (Request r : all) {
            assertEquals(BLOCK, r.result(), r::toString);
            byte[] expected = block((char) ('A' + r.offset() / BLOCK));
            assertArrayEquals(expected, r.buffer().toArray(ValueLayout.JAVA_BYTE), r::toString);
        }
        assertTrue(h.sys.stats().deviceRuns() > 0);
        assertEquals(0, h.sys.blockLayer.inFlight());
    }

    @Test
    void whatTheHostRefusesAtSubmitGoesToAWorkerThatGivesTheHostsAnswer() throws Exception {
        int fd = directFile(1, O_RDONLY);
        int unknownRwFlag = 1 << 30;   // no RWF_* bit: the host's io_submit refuses the iocb itself
        Request r = run(Request.read(fd, h.arena.allocate(BLOCK, BLOCK), 0).withRwFlags(unknownRwFlag).withOptions(Option.BLOCK_LAYER));
        assertEquals(CompletionPath.WORKER, r.path());
        assertEquals(AioError.EOPNOTSUPP, r.error(), r::toString);
        assertEquals(0, h.sys.stats().deviceRuns());
        Request ok = run(Request.read(fd, h.arena.allocate(BLOCK, BLOCK), 0).withOptions(Option.BLOCK_LAYER));
        assertEquals(CompletionPath.DEVICE, ok.path(), "the host context is still usable");
    }

    @Test
    void aThreadWaitingForDeviceOnlyWorkReapsItItself() throws Exception {
        int fd = directFile(8, O_RDONLY);
        int reapedHere = 0;
        for (int i = 0; i < 50; i++) {
            Request r = Request.read(fd, h.arena.allocate(BLOCK, BLOCK), (long) (i % 8) * BLOCK).withOptions(Option.BLOCK_LAYER);
            ctx.submit(r);
            long end = System.nanoTime() + Harness.WAIT.toNanos();
            while (!r.isFinished() && System.nanoTime() < end) {
                if (!ctx.awaitDevice(10_000_000L, () -> !r.isFinished())) Thread.onSpinWait();
            }
            sink.awaitTotal(i + 1);
            assertEquals(BLOCK, r.result(), r::toString);
            if (sink.thread(r) == Thread.currentThread()) reapedHere++;
        }
        // the reaper thread may win a race now and then, but a waiter at the device is woken by it
        assertTrue(reapedHere > 0, "no completion was reaped by the waiting thread");
    }

    @Test
    void aContextWithOtherWorkInFlightDoesNotWaitAtTheDevice() throws Exception {
        int fd = directFile(1, O_RDONLY);
        int[] pipe = h.pipe();
        Request parked = Request.read(pipe[0], h.arena.allocate(8), Request.NO_OFFSET);
        ctx.submit(parked);
        Harness.awaitState(parked, Request.State.WAITING);
        Request r = Request.read(fd, h.arena.allocate(BLOCK, BLOCK), 0).withOptions(Option.BLOCK_LAYER);
        ctx.submit(r);
        assertFalse(ctx.onlyAtDevice());
        assertFalse(ctx.awaitDevice(1_000_000_000L, () -> true), "its pipe read would be seen late");
        sink.awaitTotal(1);
        assertSame(CompletionPath.DEVICE, r.path());
        assertEquals(1, HostIo.write(pipe[1], h.text("!"), 1));
        sink.awaitTotal(2);
        assertEquals(1, parked.result());
    }

    @Test
    void aCompletionFromElsewhereEndsADeviceWaitAtOnce() throws Exception {
        int blocks = 16 * 1024;   // 64 MiB in one O_DIRECT read: long enough at the device to wait in
        int fd = directFile(blocks, O_RDONLY);
        for (int attempt = 0; attempt < 3; attempt++) {
            int before = sink.total();
            Request big = Request.read(fd, h.arena.allocate((long) blocks * BLOCK, BLOCK), 0).withOptions(Option.BLOCK_LAYER);
            ctx.submit(big);
            Request noop = Request.noop();
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(5);
                    ctx.submit(noop);   // completes at once on that thread, not at the device
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            boolean waited = ctx.awaitDevice(5_000_000_000L, () -> sink.total() == before);
            long returned = System.nanoTime();
            other.join();
            sink.awaitTotal(before + 2);
            assertEquals(CompletionPath.INLINE, noop.path());
            // conclusive only if the device still had the big read well after the other completion
            if (big.completeNanos - noop.completeNanos < 20_000_000L) continue;
            assertTrue(waited);
            assertTrue(returned < big.completeNanos, () -> "the device wait ended only with the device's completion, "
                    + (big.completeNanos - noop.completeNanos) / 1_000_000 + " ms after the other one");
            return;
        }
        Assumptions.abort("a 64 MiB O_DIRECT read finished within 25 ms three times: nothing to interrupt here");
    }

    @Test
    void closingTheSystemDeliversWhatIsAtTheDevice() throws Exception {
        int fd = directFile(16, O_RDONLY);
        List<Request> all = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            all.add(Request.read(fd, h.arena.allocate(BLOCK, BLOCK), (long) (i % 16) * BLOCK).withOptions(Option.BLOCK_LAYER));
        }
        ctx.submitAll(all);
        h.sys.close();   // the process drains: every request comes back before its context goes
        sink.awaitTotal(64);
        sink.assertEachDeliveredOnce(all);
        assertEquals(0, h.sys.blockLayer.inFlight());
    }
}
