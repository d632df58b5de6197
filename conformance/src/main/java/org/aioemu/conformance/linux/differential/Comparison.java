package org.aioemu.conformance.linux.differential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Compares the oracle's trace of one sequence with the candidate's: every return value, every
 * note, every ring header after every step, the events of each reaping call, all events of the
 * sequence as a multiset, and the final contents of files, pipes, eventfds and program memory.
 *
 * <p>Events are compared per call, but a per-call difference whose events are all accounted for
 * over the whole sequence is an <em>order variance</em>, not a disagreement: which of several
 * completed events a reap returns first depends on completion order, which Linux does not define
 * across requests (LNX-42). Where Linux does define it, on one direction of a pipe or eventfd
 * (FIFO), the order of those events in each context's ring must be the same.
 */
final class Comparison {
    private final Sequence seq;
    final List<Difference> differences = new ArrayList<>();
    int calls;
    int events;
    int checks;
    int orderVariances;

    private Comparison(Sequence seq) {
        this.seq = seq;
    }

    static Comparison of(Sequence seq, Trace oracle, Trace candidate) {
        Comparison c = new Comparison(seq);
        c.compare(oracle, candidate);
        return c;
    }

    private void compare(Trace a, Trace b) {
        check(-1, "world aborted", a.aborted(), b.aborted());
        if (a.state() == null || b.state() == null) return;
        List<Difference> perCallEvents = new ArrayList<>();
        int n = Math.max(a.observations().size(), b.observations().size());
        for (int i = 0; i < n; i++) {
            Observation oa = i < a.observations().size() ? a.observations().get(i) : null;
            Observation ob = i < b.observations().size() ? b.observations().get(i) : null;
            if (oa == null || ob == null) {
                check(i, "step", oa == null ? "absent" : oa.call(), ob == null ? "absent" : ob.call());
                continue;
            }
            if (oa.call().startsWith("io_") || oa.call().startsWith("final") || oa.call().startsWith("user")) calls++;
            check(i, oa.call() + " returned", Outcome.describe(oa.ret()), Outcome.describe(ob.ret()));
            check(i, oa.call() + " note", oa.note(), ob.note());
            check(i, "ring headers after " + oa.call(), oa.rings(), ob.rings());
            if (oa.settle() != Observation.Settle.BLIND && ob.settle() != Observation.Settle.BLIND) {
                check(i, "completions due after " + oa.call(), oa.settle(), ob.settle());
            }
            if (oa.events() != null && ob.events() != null) {
                checks++;
                if (!sorted(oa.events()).equals(sorted(ob.events()))) {
                    perCallEvents.add(new Difference(seq.seed(), seq.index(), i, "events reaped by " + oa.call(),
                            oa.events().toString(), ob.events().toString()));
                }
            }
        }
        checks++;
        List<Event> all = sorted(a.allEvents());
        List<Event> allB = sorted(b.allEvents());
        events = all.size();
        if (all.equals(allB)) {
            orderVariances += perCallEvents.size();
        } else {
            differences.add(new Difference(seq.seed(), seq.index(), -1, "all events of the sequence (only in one world)",
                    minus(all, allB).toString(), minus(allB, all).toString()));
            differences.addAll(perCallEvents);
        }
        for (FdRef stream : STREAMS) {
            check(-1, "order of the reads and writes completed on " + stream, onStream(a, stream), onStream(b, stream));
        }
        Trace.FinalState sa = a.state();
        Trace.FinalState sb = b.state();
        bytes("file contents", sa.file(), sb.file());
        bytes("bytes left in the blocking pipe", sa.pipe(), sb.pipe());
        bytes("bytes left in the O_NONBLOCK pipe", sa.npipe(), sb.npipe());
        check(-1, "I/O eventfd counter", Outcome.describe(sa.eventfdIo()), Outcome.describe(sb.eventfdIo()));
        check(-1, "RESFD eventfd counter", Outcome.describe(sa.eventfdSignal()), Outcome.describe(sb.eventfdSignal()));
        bytes("I/O buffers", sa.data(), sb.data());
        check(-1, "aio_key of every iocb", Arrays.toString(sa.keys()), Arrays.toString(sb.keys()));
        bytes("io_cancel result area", sa.cancelResult(), sb.cancelResult());
    }

    private static final FdRef[] STREAMS = {FdRef.PIPE_R, FdRef.PIPE_W, FdRef.NPIPE_R, FdRef.NPIPE_W, FdRef.EFD_IO};

    /**
     * The reads and writes on one stream fd, in the order they were reaped, context by context.
     * Within a context that is the ring's order, which is completion order; across contexts it is
     * only the order in which the harness happened to reap them, so it is not compared.
     */
    private Map<Integer, List<Event>> onStream(Trace t, FdRef fd) {
        Map<String, IocbSpec> byObj = new HashMap<>();
        for (IocbSpec s : seq.iocbs()) byObj.put("iocb" + s.slot(), s);
        Map<Integer, List<Event>> out = new TreeMap<>();
        for (int k = 0; k < t.allEvents().size(); k++) {
            Event e = t.allEvents().get(k);
            IocbSpec s = byObj.get(e.obj());
            if (s != null && s.fd() == fd && (s.isRead() || s.isWrite())) {
                out.computeIfAbsent(t.contextOf().get(k), h -> new ArrayList<>()).add(e);
            }
        }
        return out;
    }

    private void check(int step, String what, Object oracle, Object candidate) {
        checks++;
        if (!Objects.equals(oracle, candidate)) {
            differences.add(new Difference(seq.seed(), seq.index(), step, what, String.valueOf(oracle), String.valueOf(candidate)));
        }
    }

    private void bytes(String what, byte[] a, byte[] b) {
        checks++;
        long at = Arrays.mismatch(a, b);
        if (at < 0) return;
        String where = "first difference at byte " + at + " of " + a.length + " / " + b.length;
        if (what.equals("I/O buffers")) {
            where += at < (long) ProgramMemory.MAX_SLOTS * ProgramMemory.DATA_SLOT
                    ? " (data slot " + at / ProgramMemory.DATA_SLOT + " + " + at % ProgramMemory.DATA_SLOT + ")" : "";
        }
        differences.add(new Difference(seq.seed(), seq.index(), -1, what + ": " + where, excerpt(a, at), excerpt(b, at)));
    }

    private static String excerpt(byte[] a, long at) {
        if (at >= a.length) return "(ends)";
        int from = (int) Math.max(0, at - 8);
        int to = (int) Math.min(a.length, at + 24);
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            int c = a[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", c));
        }
        return "\"" + sb + "\"";
    }

    private static List<Event> sorted(List<Event> e) {
        List<Event> s = new ArrayList<>(e);
        s.sort(Event.ORDER);
        return s;
    }

    /** Events of {@code a} not matched one-for-one in {@code b}. */
    private static List<Event> minus(List<Event> a, List<Event> b) {
        Map<Event, Integer> count = new HashMap<>();
        for (Event e : b) count.merge(e, 1, Integer::sum);
        List<Event> out = new ArrayList<>();
        for (Event e : a) {
            Integer c = count.get(e);
            if (c == null || c == 0) out.add(e);
            else count.put(e, c - 1);
        }
        return out;
    }
}
