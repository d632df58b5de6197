package org.aioemu.conformance.linux.differential;

import static org.aioemu.conformance.linux.KernelLinuxAioLayouts.*;
import static org.aioemu.linux.LinuxAioConstants.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.aioemu.conformance.linux.differential.Observation.Settle;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostErrno;
import org.aioemu.core.host.HostIo;
import org.aioemu.linux.LinuxAioSyscalls;

/**
 * Runs one sequence in one world (one {@link LinuxAioSyscalls}, its own fixtures and program
 * memory) and records a {@link Trace}.
 *
 * <p>After every step the world <em>settles</em>: it waits until every completion that is due
 * is visible in its context's ring, so that the next step sees the same state in every world
 * however fast each completes. Due means: every accepted request except a poll, a poll that
 * was cancelled, and a poll whose fd is ready now. That makes the kernel itself deterministic
 * too (its fsync and poll cancellation complete on a workqueue, LNX-51/72). The check reads the
 * ring without consuming (head is not moved), and the RESFD eventfd's counter through
 * /proc/self/fdinfo without reading it.
 */
final class WorldRun {
    private static final long EINPROGRESS = -HostErrno.number("EINPROGRESS");
    private static final long AFTER_TIMEOUT_NANOS = 20_000_000L;

    private final Sequence seq;
    private final LinuxAioSyscalls aio;
    private final String world;
    private final Path dir;
    private long settleNanos;

    /** The step being run, for a watchdog's report. */
    volatile int currentStep = -1;

    private ProgramMemory mem;
    private Fixtures fx;
    private final RingView ring = new RingView();
    private final long[] ctx = new long[ProgramMemory.MAX_HANDLES];
    private final boolean[] live = new boolean[ProgramMemory.MAX_HANDLES];
    private final List<Pending> pending = new ArrayList<>();
    private final List<Event> allEvents = new ArrayList<>();
    private final List<Integer> contextOf = new ArrayList<>();
    private long signalsDue;
    private long signalsRead;

    /** An accepted request not yet reaped. */
    private static final class Pending {
        final int handle;
        final int slot;
        final IocbSpec spec;
        boolean cancelled;
        /** its event is in the ring (as of the last settle): completed, so no longer cancellable */
        boolean seen;
        boolean signalCounted;

        Pending(int handle, int slot, IocbSpec spec) {
            this.handle = handle;
            this.slot = slot;
            this.spec = spec;
        }

        boolean signals() {
            return (spec.flags() & IOCB_FLAG_RESFD) != 0 && spec.resfd() == FdRef.EFD_SIGNAL;
        }
    }

    WorldRun(Sequence seq, LinuxAioSyscalls aio, String world, Path dir, long settleMillis) {
        this.seq = seq;
        this.aio = aio;
        this.world = world;
        this.dir = dir;
        this.settleNanos = settleMillis * 1_000_000L;
    }

    String world() {
        return world;
    }

    Trace run() {
        List<Observation> obs = new ArrayList<>();
        mem = new ProgramMemory();
        try {
            fx = new Fixtures(dir, seq.fixture());
            try {
                materialize();
                for (int i = 0; i < seq.steps().size(); i++) {
                    currentStep = i;
                    Observation o = step(i, seq.steps().get(i));
                    obs.add(o.settled(settle(), rings()));
                }
                currentStep = seq.steps().size();
                settle();
                for (int h = 0; h < live.length; h++) {
                    if (!live[h]) continue;
                    List<Event> ringEvents = ringEvents(h);
                    long c = ctx[h];
                    long rc = call(() -> aio.ioDestroy(c));
                    if (rc == 0) {
                        collected(h, ringEvents);
                        forget(h);
                    }
                    obs.add(observe(obs.size(), "final io_destroy(ctx" + h + ")", rc, null, "")
                            .settled(Settle.SETTLED, List.of()));
                }
                String closed = closeWorld();
                return new Trace(world, obs, allEvents, contextOf, finalState(), closed);
            } catch (RuntimeException | Error e) {
                closeWorld(); // the emulated process must not outlive a sequence the harness gave up on
                throw e;
            } finally {
                fx.close();
            }
        } finally {
            mem.close();
        }
    }

    private String closeWorld() {
        if (aio instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                return "close threw " + e;
            }
        }
        return null;
    }

    private void materialize() {
        int slots = 0;
        mem.unsealReadOnly();
        mem.writeReadOnlyFixtures();
        for (IocbSpec s : seq.iocbs()) {
            mem.writeIocb(s, fx);
            if (s.slot() < ProgramMemory.READ_ONLY_SLOT0) slots = Math.max(slots, s.slot() + 1);
        }
        mem.sealReadOnly();
        mem.fillData(slots, seq.fixture().patternSalt());
        mem.fillCancelResult();
    }

    private Observation step(int i, Step step) {
        return switch (step) {
            case Step.Setup s -> setup(i, s);
            case Step.Destroy d -> destroy(i, d);
            case Step.Submit s -> submit(i, s);
            case Step.GetEvents g -> getEvents(i, g);
            case Step.Cancel c -> cancel(i, c);
            case Step.UserReap u -> userReap(i, u);
            case Step.PipeWrite w -> plain(i, step, () -> pipeWrite(w));
            case Step.PipeRead r -> pipeRead(i, r);
            case Step.EventfdWrite w -> plain(i, step, () -> HostIo.writeEventfd(fx.fd(FdRef.EFD_IO), w.value()));
            case Step.EventfdRead r -> eventfdRead(i, r);
            case Step.CloseWriter c -> plain(i, step, () -> fx.closeWriter());
        };
    }

    private Observation plain(int i, Step step, Call c) {
        return observe(i, step.toString(), call(c), null, "");
    }

    private Observation setup(int i, Step.Setup s) {
        long before = mem.storedCtx(s.ctxp(), s.handle());
        long rc = call(() -> aio.ioSetup(s.nrEvents(), mem.ctxpAddress(s.ctxp(), s.handle())));
        ctx[s.handle()] = mem.storedCtx(s.ctxp(), s.handle());
        live[s.handle()] = rc == 0 && ctx[s.handle()] != 0;
        String note = rc == 0 ? (ctx[s.handle()] != 0 ? "ctx stored" : "no ctx stored")
                : (ctx[s.handle()] == before ? "*ctxp unchanged" : "*ctxp changed");
        return observe(i, s.toString(), rc, null, note);
    }

    private Observation destroy(int i, Step.Destroy d) {
        boolean ours = d.ctx().kind() == Step.CtxRef.Kind.HANDLE && live[d.ctx().handle()];
        List<Event> ringEvents = ours ? ringEvents(d.ctx().handle()) : List.of();
        long rc = call(() -> aio.ioDestroy(ctxValue(d.ctx())));
        if (rc == 0 && ours) {
            collected(d.ctx().handle(), ringEvents);
            forget(d.ctx().handle());
        }
        return observe(i, d.toString(), rc, null, "");
    }

    private Observation submit(int i, Step.Submit s) {
        long[] ptrs = new long[s.elements().size()];
        for (int k = 0; k < ptrs.length; k++) ptrs[k] = mem.address(s.elements().get(k));
        long iocbpp = mem.writeArray(i, s.array(), ptrs);
        long rc = call(() -> aio.ioSubmit(ctxValue(s.ctx()), s.nr(), iocbpp));
        int handle = handleOf(s.ctx());
        String note = seq.profile() == Profile.IN_ORDER_BATCHES ? notDoneAtReturn(handle, s, rc) : "";
        for (int k = 0; k < rc; k++) {
            Ptr p = k < s.elements().size() ? s.elements().get(k) : null;
            if (p == null || p.kind() != Ptr.Kind.IOCB) {
                note = "accepted element " + k + " which is not an iocb";
                break;
            }
            pending.add(new Pending(handle, (int) p.offset(), seq.iocb((int) p.offset())));
        }
        return observe(i, s.toString(), rc, null, note);
    }

    /**
     * Linux runs buffered file, pipe and eventfd reads and writes inside io_submit (LNX-39), so
     * their events are in the ring when it returns: the accepted ones that are not, if any.
     * (Polls woken by a write and FSYNCs may complete later, in Linux too.)
     */
    private String notDoneAtReturn(int handle, Step.Submit s, long accepted) {
        if (accepted <= 0 || handle < 0 || !live[handle]) return "";
        RingView.Header hd = ring.header(ctx[handle]);
        List<long[]> raw = hd != null && hd.live() ? ring.events(ctx[handle], hd, hd.available()) : null;
        if (raw == null) return "";
        Map<Integer, Integer> inRing = new HashMap<>();
        for (long[] e : raw) inRing.merge(mem.slotOf(e[1]), 1, Integer::sum);
        for (Pending p : pending) if (p.handle == handle) inRing.computeIfPresent(p.slot, (k, n) -> n - 1);
        StringBuilder late = new StringBuilder();
        for (int k = 0; k < accepted && k < s.elements().size(); k++) {
            Ptr p = s.elements().get(k);
            if (p.kind() != Ptr.Kind.IOCB) continue;
            IocbSpec spec = seq.iocb((int) p.offset());
            int n = inRing.getOrDefault(spec.slot(), 0);
            inRing.put(spec.slot(), n - 1);
            if ((spec.isRead() || spec.isWrite()) && n <= 0) late.append(late.isEmpty() ? "" : ",").append("iocb").append(spec.slot());
        }
        return late.isEmpty() ? "" : "not complete when io_submit returned: " + late;
    }

    private Observation getEvents(int i, Step.GetEvents g) {
        long c = ctxValue(g.ctx());
        long events = mem.eventsAddress(g.events());
        long timeout = mem.timeoutAddress(g.timeout());
        long rc = g.usig() == null
                ? call(() -> aio.ioGetevents(c, g.minNr(), g.nr(), events, timeout))
                : call(() -> aio.ioPgetevents(c, g.minNr(), g.nr(), events, timeout, mem.usigAddress(g.usig())));
        List<Event> got = null;
        String note = "";
        if (rc > 0) {
            if (g.events() != Step.EventsArg.ARRAY || rc > ProgramMemory.MAX_EVENTS) {
                note = "returned " + rc + " events into " + g.events();
            } else {
                got = parse(mem.events((int) rc));
                reaped(handleOf(g.ctx()), got);
            }
        }
        return observe(i, g.toString(), rc, got, note);
    }

    private Observation cancel(int i, Step.Cancel c) {
        long rc = call(() -> aio.ioCancel(ctxValue(c.ctx()), mem.address(c.iocb()), mem.resultAddress(c.result())));
        if (rc == EINPROGRESS && c.iocb().kind() == Ptr.Kind.IOCB) {
            int handle = handleOf(c.ctx());
            for (Pending p : pending) {
                // Linux cancels the oldest request of that address still waiting (LNX-73)
                if (p.handle == handle && p.slot == c.iocb().offset() && p.spec.isPoll() && !p.cancelled && !p.seen) {
                    p.cancelled = true;
                    break;
                }
            }
        }
        return observe(i, c.toString(), rc, null, "");
    }

    private Observation userReap(int i, Step.UserReap u) {
        int h = u.handle();
        if (!live[h]) return observe(i, u.toString(), -1, null, "context not live");
        RingView.Header hd = ring.header(ctx[h]);
        if (hd == null || !hd.live()) return observe(i, u.toString(), -1, null, "no live aio_ring: " + hd);
        List<long[]> raw = ring.events(ctx[h], hd, u.max());
        if (raw == null) return observe(i, u.toString(), -1, null, "ring events unreadable");
        if (!ring.storeHead(ctx[h], (hd.head() + raw.size()) % hd.nr())) {
            return observe(i, u.toString(), -1, null, "ring head not writable");
        }
        List<Event> got = named(raw);
        reaped(h, got);
        return observe(i, u.toString(), got.size(), got, "");
    }

    private long pipeWrite(Step.PipeWrite w) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(w.n());
            Fixtures.pattern(buf, 0, w.n(), 0, w.n());
            return HostIo.write(fx.fd(w.pipe()), buf, w.n());
        }
    }

    private Observation pipeRead(int i, Step.PipeRead r) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(r.n());
            long rc = call(() -> HostIo.read(fx.fd(r.pipe()), buf, r.n()));
            String note = rc > 0 ? new String(buf.asSlice(0, rc).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.ISO_8859_1) : "";
            return observe(i, r.toString(), rc, null, note);
        }
    }

    private Observation eventfdRead(int i, Step.EventfdRead r) {
        long rc = call(() -> HostIo.readEventfd(fx.fd(r.efd())));
        if (r.efd() == FdRef.EFD_SIGNAL && rc > 0) signalsRead += rc;
        return observe(i, r.toString(), rc, null, "");
    }

    // --- settling ---

    private Settle settle() {
        long deadline = System.nanoTime() + settleNanos;
        while (true) {
            Settle s = settledNow();
            if (s != Settle.TIMED_OUT) return s;
            if (System.nanoTime() - deadline > 0) {
                settleNanos = AFTER_TIMEOUT_NANOS; // one stuck request must not make every later step wait as long
                return Settle.TIMED_OUT;
            }
            LockSupport.parkNanos(50_000);
        }
    }

    /** SETTLED, BLIND, or TIMED_OUT meaning "not yet". */
    private Settle settledNow() {
        boolean blind = false;
        boolean due = false;
        for (int h = 0; h < live.length; h++) {
            if (!live[h]) continue;
            RingView.Header hd = ring.header(ctx[h]);
            List<long[]> raw = hd != null && hd.live() ? ring.events(ctx[h], hd, hd.available()) : null;
            if (raw == null) {
                blind = true;
                continue;
            }
            Map<Integer, Integer> inRing = new HashMap<>();
            for (long[] e : raw) inRing.merge(mem.slotOf(e[1]), 1, Integer::sum);
            for (Pending p : pending) {
                if (p.handle != h) continue;
                Integer n = inRing.get(p.slot);
                p.seen = n != null && n > 0;
                if (p.seen) {
                    inRing.put(p.slot, n - 1);
                    countSignal(p);
                } else if (isDue(p)) {
                    due = true;
                }
            }
        }
        if (due) return Settle.TIMED_OUT;
        long owed = signalsDue - signalsRead;
        if (owed > 0 && eventfdCount(fx.fd(FdRef.EFD_SIGNAL)) < owed) return Settle.TIMED_OUT;
        return blind ? Settle.BLIND : Settle.SETTLED;
    }

    private boolean isDue(Pending p) {
        if (!p.spec.isPoll() || p.cancelled) return true;
        if (fx.isClosed(p.spec.fd())) return false;
        int mask = (int) (((IocbSpec.Raw) p.spec.buf()).value() & 0xffff) | HostConstants.POLLERR | HostConstants.POLLHUP;
        int revents = HostIo.pollOne(fx.fd(p.spec.fd()), (short) mask, 0);
        return revents > 0 && (revents & mask) != 0;
    }

    private void countSignal(Pending p) {
        if (p.signals() && !p.signalCounted) {
            p.signalCounted = true;
            signalsDue++;
        }
    }

    /** An eventfd's counter without reading it (which would reset it). */
    private static long eventfdCount(int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("eventfd-count:")) return Long.parseUnsignedLong(line.substring(14).trim(), 16);
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private List<String> rings() {
        List<String> out = new ArrayList<>();
        for (int h = 0; h < live.length; h++) {
            if (!live[h]) continue;
            RingView.Header hd = ring.header(ctx[h]);
            out.add("ctx" + h + ": " + (hd == null ? "unreadable" : hd.toString()));
        }
        return out;
    }

    // --- bookkeeping ---

    private void reaped(int handle, List<Event> got) {
        collected(handle, got);
        for (Event e : got) {
            for (int k = 0; k < pending.size(); k++) {
                Pending p = pending.get(k);
                if (p.handle == handle && e.obj().equals("iocb" + p.slot)) {
                    countSignal(p);
                    pending.remove(k);
                    break;
                }
            }
        }
    }

    private void collected(int handle, List<Event> events) {
        allEvents.addAll(events);
        for (int k = 0; k < events.size(); k++) contextOf.add(handle);
    }

    /** The ring's unreaped events, which io_destroy is about to drop: kept so no completion goes uncounted. */
    private List<Event> ringEvents(int h) {
        RingView.Header hd = ring.header(ctx[h]);
        List<long[]> raw = hd != null && hd.live() ? ring.events(ctx[h], hd, hd.available()) : null;
        return raw == null ? List.of() : named(raw);
    }

    /** After a successful destroy every request of the context has completed (LNX-16/17), signals included. */
    private void forget(int h) {
        live[h] = false;
        pending.removeIf(p -> {
            if (p.handle != h) return false;
            countSignal(p);
            return true;
        });
    }

    private List<Event> parse(MemorySegment events) {
        List<long[]> raw = new ArrayList<>();
        for (long off = 0; off < events.byteSize(); off += IO_EVENT.byteSize()) {
            raw.add(new long[] {(long) EVENT_DATA.get(events, off), (long) EVENT_OBJ.get(events, off),
                    (long) EVENT_RES.get(events, off), (long) EVENT_RES2.get(events, off)});
        }
        return named(raw);
    }

    private List<Event> named(List<long[]> raw) {
        List<Event> out = new ArrayList<>(raw.size());
        for (long[] e : raw) out.add(new Event(e[0], mem.objName(e[1]), e[2], e[3]));
        return out;
    }

    private long ctxValue(Step.CtxRef r) {
        return switch (r.kind()) {
            case HANDLE -> ctx[r.handle()];
            case HANDLE_PLUS_4 -> ctx[r.handle()] + 4;
            case ZERO -> 0;
            case JUNK -> 12345;
            case MINUS1 -> -1;
        };
    }

    private static int handleOf(Step.CtxRef r) {
        return r.kind() == Step.CtxRef.Kind.HANDLE ? r.handle() : -1;
    }

    private Trace.FinalState finalState() {
        int slots = 0;
        List<Integer> keySlots = new ArrayList<>();
        for (IocbSpec s : seq.iocbs()) {
            keySlots.add(s.slot());
            if (s.slot() < ProgramMemory.READ_ONLY_SLOT0) slots = Math.max(slots, s.slot() + 1);
        }
        int[] keys = keySlots.stream().mapToInt(mem::key).toArray();
        return new Trace.FinalState(fx.fileContents(), fx.drain(FdRef.PIPE_R), fx.drain(FdRef.NPIPE_R),
                HostIo.readEventfd(fx.fd(FdRef.EFD_IO)), HostIo.readEventfd(fx.fd(FdRef.EFD_SIGNAL)),
                mem.dataSnapshot(slots), keys, mem.cancelResult());
    }

    @FunctionalInterface
    private interface Call {
        long run();
    }

    private RuntimeException thrown;

    /** A call's result; an exception (from an emulation, say) is recorded, not propagated. */
    private long call(Call c) {
        try {
            return c.run();
        } catch (RuntimeException e) {
            thrown = e;
            return Outcome.THREW;
        }
    }

    private Observation observe(int i, String what, long rc, List<Event> events, String note) {
        if (rc == Outcome.THREW && thrown != null) {
            note = (note.isEmpty() ? "" : note + "; ") + thrown;
            thrown = null;
        }
        return new Observation(i, what, rc, events, null, null, note);
    }
}
