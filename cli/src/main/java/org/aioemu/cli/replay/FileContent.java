package org.aioemu.cli.replay;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replayed regular file should hold, so reads can be checked: a base pattern the replay
 * laid down before starting (up to {@code baseLimit}; zeros beyond, as in a hole), overlaid by
 * the extents each completed write left. An extent remembers when it was applied: a read in
 * flight at that moment may or may not see it, so those bytes are not checked. Where two
 * overlapping writes were in flight together the order is the kernel's, so the overlap becomes
 * UNKNOWN.
 */
final class FileContent {
    enum Kind { PATTERN, ZERO, UNKNOWN }

    private record Extent(long start, long end, Kind kind, long seed, long appliedAt) {
        Extent slice(long s, long e) {
            return new Extent(s, e, kind, seed, appliedAt);
        }
    }

    /** The outcome of checking one read. */
    record Check(long verified, long mismatchAt, String expected) {
        boolean ok() {
            return mismatchAt < 0;
        }
    }

    private final long baseSeed;
    private long baseLimit;
    private final TreeMap<Long, Extent> extents = new TreeMap<>();
    private final List<PendingWrite> pending = new ArrayList<>();

    FileContent(long baseSeed, long baseLimit) {
        this.baseSeed = baseSeed;
        this.baseLimit = baseLimit;
    }

    /** A write in flight: the ranges it shares with other writes in flight. */
    final class PendingWrite {
        final long start;
        final long end;
        final List<long[]> conflicts = new ArrayList<>();
        private final List<PendingWrite> overlapping = new ArrayList<>();
        boolean done;

        private PendingWrite(long start, long end) {
            this.start = start;
            this.end = end;
        }
    }

    /** Registers a write about to be issued on [start, end). */
    PendingWrite begin(long start, long end) {
        PendingWrite w = new PendingWrite(start, end);
        for (PendingWrite p : pending) {
            long s = Math.max(p.start, start), e = Math.min(p.end, end);
            if (s < e) {
                w.conflicts.add(new long[] {s, e});
                p.conflicts.add(new long[] {s, e});
                w.overlapping.add(p);
                p.overlapping.add(w);
            }
        }
        pending.add(w);
        return w;
    }

    /**
     * The write finished having written {@code written} bytes of {@code seed}'s pattern from its
     * start. The later of two overlapping writes in flight together makes their overlap UNKNOWN.
     */
    void complete(PendingWrite w, long written, long seed, long now) {
        pending.remove(w);
        w.done = true;
        if (written > 0) apply(w.start, w.start + written, Kind.PATTERN, seed, now);
        for (int i = 0; i < w.conflicts.size(); i++) {
            if (w.overlapping.get(i).done) apply(w.conflicts.get(i)[0], w.conflicts.get(i)[1], Kind.UNKNOWN, 0, now);
        }
    }

    /** A write whose outcome is not known (its context was destroyed under it). */
    void abandon(PendingWrite w, long now) {
        pending.remove(w);
        w.done = true;
        apply(w.start, w.end, Kind.UNKNOWN, 0, now);
    }

    void zero(long start, long end, long now) {
        apply(start, end, Kind.ZERO, 0, now);
    }

    void unknown(long start, long end, long now) {
        apply(start, end, Kind.UNKNOWN, 0, now);
    }

    /** ftruncate/O_TRUNC: nothing survives past {@code size}; what grows back is a hole. */
    void truncate(long size, long now) {
        baseLimit = Math.min(baseLimit, size);
        apply(size, Long.MAX_VALUE, Kind.ZERO, 0, now);
    }

    /**
     * Checks {@code data}, read from file offset {@code offset} by a read issued at
     * {@code issuedAt}: bytes from writes applied since, or still in flight, are skipped.
     */
    Check check(MemorySegment data, long offset, long issuedAt) {
        long end = offset + data.byteSize();
        long verified = 0;
        long pos = offset;
        while (pos < end) {
            Map.Entry<Long, Extent> e = extents.floorEntry(pos);
            Extent x = e != null && e.getValue().end() > pos ? e.getValue() : null;
            long stop;
            Kind kind;
            long seed;
            boolean certain;
            if (x != null) {
                stop = Math.min(end, x.end());
                kind = x.kind();
                seed = x.seed();
                certain = x.appliedAt() < issuedAt;
            } else {
                Map.Entry<Long, Extent> next = extents.higherEntry(pos);
                stop = Math.min(end, next != null ? next.getKey() : Long.MAX_VALUE);
                if (pos < baseLimit) {
                    stop = Math.min(stop, baseLimit);
                    kind = Kind.PATTERN;
                    seed = baseSeed;
                } else {
                    kind = Kind.ZERO;
                    seed = 0;
                }
                certain = true;
            }
            for (PendingWrite p : pending) {
                if (p.start < stop && p.end > pos) certain = false;
            }
            if (certain && kind != Kind.UNKNOWN) {
                MemorySegment part = data.asSlice(pos - offset, stop - pos);
                long bad = kind == Kind.PATTERN ? DataPattern.mismatch(part, seed, pos) : DataPattern.nonZero(part);
                if (bad >= 0) {
                    String what = kind == Kind.PATTERN
                            ? (seed == baseSeed && x == null ? "the file's initial content" : "the data of the write that covered it")
                            : "zeros";
                    return new Check(verified + bad, pos + bad, what);
                }
                verified += stop - pos;
            }
            pos = stop;
        }
        return new Check(verified, -1, null);
    }

    private void apply(long start, long end, Kind kind, long seed, long now) {
        if (start >= end) return;
        // cut the extents overlapping [start, end) down to what lies outside it
        Map.Entry<Long, Extent> before = extents.lowerEntry(start);
        if (before != null && before.getValue().end() > start) {
            Extent b = before.getValue();
            extents.put(b.start(), b.slice(b.start(), start));
            if (b.end() > end) extents.put(end, b.slice(end, b.end()));
        }
        for (Extent x : new ArrayList<>(extents.subMap(start, true, end, false).values())) {
            extents.remove(x.start());
            if (x.end() > end) extents.put(end, x.slice(end, x.end()));
        }
        if (kind == Kind.ZERO && start >= baseLimit && end == Long.MAX_VALUE) return; // beyond the base: a hole already
        extents.put(start, new Extent(start, end, kind, seed, now));
    }
}
