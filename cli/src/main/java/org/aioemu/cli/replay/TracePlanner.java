package org.aioemu.cli.replay;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.aioemu.cli.replay.AioStructs.TraceIocb;
import org.aioemu.cli.replay.AioStructs.TraceIoEvent;
import org.aioemu.cli.replay.TracePlan.IocbId;
import org.aioemu.cli.replay.TracePlan.PathPlan;
import org.aioemu.linux.LinuxAioConstants;

/**
 * Reads a whole trace once, without executing anything, to build its {@link TracePlan}: it
 * follows fds by their trace numbers, so a call on an fd the trace never opened (and -y names
 * nothing for) is reported with its line before the replay starts.
 */
final class TracePlanner {
    private static final int O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000, O_DIRECTORY = 0200000;
    private static final long EBADF = -LinuxNames.errnoNumber("EBADF");
    private static final long ENOENT = -LinuxNames.errnoNumber("ENOENT");
    private static final long EISDIR = -LinuxNames.errnoNumber("EISDIR");

    private enum Kind { FILE, DIR, STREAM, EVENTFD, OTHER }

    /** An open file description, shared by dups: kind, trace path, position. */
    private static final class Desc {
        final Kind kind;
        final String path;
        long pos;
        // eventfd bookkeeping for the hidden-RESFD inference
        int resfdSeen = -1;
        long shownSignals;
        long writtenValue;

        Desc(Kind kind, String path) {
            this.kind = kind;
            this.path = path;
        }
    }

    /** Size constraints on a file's initial length, from the reads the trace made. */
    private static final class PathState {
        final String path;
        boolean dir;
        // what the first call naming the path says of its existence before the trace: true,
        // false, or null (an O_CREAT open: it may have existed; the reads decide)
        Boolean existsAtStart;
        boolean seen;
        boolean initialMatters = true;
        long extent;
        long lower;
        long upper = Long.MAX_VALUE;

        PathState(String path) {
            this.path = path;
        }

        void read(long off, long count, long got) {
            if (!initialMatters || got < 0) return;
            if (got >= count) {
                if (extent < off + count) lower = Math.max(lower, off + count);
            } else {
                long size = off + got; // a short read: the file ended right there
                if (extent < size) lower = Math.max(lower, size);
                upper = Math.min(upper, size);
            }
        }

        void firstSeen(Boolean exists) {
            if (seen) return;
            seen = true;
            existsAtStart = exists;
        }

        void write(long off, long n) {
            if (n > 0) extent = Math.max(extent, off + n);
        }

        void truncate(long len) {
            initialMatters = false;
            extent = len;
        }
    }

    private final boolean lenient;
    private final Consumer<TraceWarning> warnings;
    private final Map<String, PathState> paths = new LinkedHashMap<>();
    private final Map<Integer, Desc> fds = new HashMap<>();
    private final Set<Integer> skip = new HashSet<>();
    private final Map<IocbId, Long> forecast = new HashMap<>();
    private final Map<IocbId, Integer> hiddenResfd = new HashMap<>();
    private final List<TraceWarning> notes = new ArrayList<>();
    private final Set<String> dirBases = new HashSet<>();
    // iocbs whose aio_flags strace did not print, since the last eventfd read
    private final List<IocbId> flaglessIocbs = new ArrayList<>();
    private final Set<Desc> resfdTargets = new HashSet<>();

    private TracePlanner(boolean lenient, Consumer<TraceWarning> warnings) {
        this.lenient = lenient;
        this.warnings = warnings;
    }

    static TracePlan plan(List<TraceCall> calls, boolean lenient, Consumer<TraceWarning> warnings) {
        TracePlanner p = new TracePlanner(lenient, warnings);
        List<TraceCall> order = ReplaySchedule.order(calls);
        p.linkCompletions(order);
        for (TraceCall c : order) {
            try {
                p.call(c);
            } catch (TraceFormatException e) {
                if (!lenient) throw e;
                p.skip.add(c.line());
                warnings.accept(new TraceWarning(c.line(), "skipped: " + e.getMessage().substring(("line " + c.line() + ": ").length())));
            }
        }
        return new TracePlan(p.finish(), Set.copyOf(p.skip), Map.copyOf(p.forecast), Map.copyOf(p.hiddenResfd), List.copyOf(p.notes));
    }

    // Pass 1: the result each iocb got, where its address (obj) or aio_data links an event to it.
    private void linkCompletions(List<TraceCall> order) {
        Map<Long, Map<Long, ArrayDeque<IocbId>>> inflight = new HashMap<>();
        Map<Long, Map<Long, IocbId>> byAddress = new HashMap<>();
        for (TraceCall c : order) {
            if (c.args() instanceof CallArgs.IoSubmit s && c.outcome().succeeded()) {
                Map<Long, ArrayDeque<IocbId>> byData = inflight.computeIfAbsent(s.ctx(), k -> new HashMap<>());
                for (int i = 0; i < Math.min(c.outcome().value(), s.iocbs().size()); i++) {
                    TraceIocb cb = s.iocbs().get(i);
                    IocbId id = new IocbId(c.line(), i);
                    if (cb.address() != null) byAddress.computeIfAbsent(s.ctx(), k -> new HashMap<>()).put(cb.address(), id);
                    else byData.computeIfAbsent(cb.data(), k -> new ArrayDeque<>()).add(id);
                }
            } else if (c.args() instanceof CallArgs.IoGetevents g) {
                Map<Long, ArrayDeque<IocbId>> byData = inflight.getOrDefault(g.ctx(), Map.of());
                Map<Long, IocbId> addresses = byAddress.getOrDefault(g.ctx(), new HashMap<>());
                for (TraceIoEvent e : g.events()) {
                    IocbId at = addresses.remove(e.obj());
                    if (at != null) {
                        forecast.put(at, e.res());
                        continue;
                    }
                    ArrayDeque<IocbId> q = byData.get(e.data());
                    if (q == null || q.isEmpty()) continue;
                    // where several iocbs in flight share aio_data (fio leaves it 0) the event is not theirs to tell
                    boolean unique = q.size() == 1;
                    IocbId id = q.poll();
                    if (unique) forecast.put(id, e.res());
                }
            } else if (c.args() instanceof CallArgs.IoDestroy d) {
                inflight.remove(d.ctx());
                byAddress.remove(d.ctx());
            }
        }
    }

    private void call(TraceCall c) {
        Outcome out = c.outcome();
        switch (c.args()) {
            case CallArgs.Open o -> open(c, o);
            case CallArgs.Close cl -> {
                use(c, cl.fd(), out.value() != null && out.value() == EBADF);
                if (out.succeeded()) fds.remove(cl.fd().fd());
            }
            case CallArgs.Dup d -> {
                Desc desc = use(c, d.oldFd(), out.failed());
                if (out.succeeded() && desc != null) fds.put(out.value().intValue(), desc);
            }
            case CallArgs.Pipe p -> p.fds().forEach(f -> fds.put(f.fd(), new Desc(Kind.STREAM, f.path())));
            case CallArgs.SocketPair s -> s.fds().forEach(f -> fds.put(f.fd(), new Desc(Kind.STREAM, f.path())));
            case CallArgs.EventFd e -> {
                if (out.succeeded()) fds.put(out.value().intValue(), new Desc(Kind.EVENTFD, out.path()));
            }
            case CallArgs.Truncate t -> {
                Desc d = use(c, t.fd(), out.failed());
                if (out.succeeded() && d != null && d.kind == Kind.FILE) path(d.path).truncate(t.length());
            }
            case CallArgs.Fallocate f -> {
                Desc d = use(c, f.fd(), out.failed());
                if (out.succeeded() && d != null && d.kind == Kind.FILE && (f.mode() & 1) == 0) path(d.path).write(f.offset(), f.length());
            }
            case CallArgs.Unlink u -> {
                PathState ps = path(TracePaths.resolve(base(c, u.dirfd()), u.path()));
                ps.firstSeen(out.succeeded() || (out.failed() && out.value() != ENOENT));
                if (out.succeeded()) ps.truncate(0);
            }
            case CallArgs.ReadWrite rw -> readWrite(c, rw);
            case CallArgs.Sync s -> use(c, s.fd(), out.failed());
            case CallArgs.IoSubmit s -> submit(c, s);
            case CallArgs.IoSetup s -> { }
            case CallArgs.IoDestroy d -> { }
            case CallArgs.IoGetevents g -> { }
            case CallArgs.IoCancel x -> { }
        }
    }

    private void open(TraceCall c, CallArgs.Open o) {
        String p = TracePaths.resolve(base(c, o.dirfd()), o.path());
        PathState ps = path(p);
        Outcome out = c.outcome();
        boolean dotPath = o.path().equals(".") || o.path().equals("..") || o.path().endsWith("/");
        if (out.succeeded()) {
            ps.firstSeen((o.flags() & O_CREAT) == 0 ? Boolean.TRUE : (o.flags() & O_EXCL) != 0 ? Boolean.FALSE : null);
            if ((o.flags() & O_DIRECTORY) != 0 || dotPath) ps.dir = true;
            if ((o.flags() & O_TRUNC) != 0 || (o.flags() & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) ps.truncate(0);
            fds.put(out.value().intValue(), new Desc(ps.dir ? Kind.DIR : Kind.FILE, p));
        } else if (out.failed()) {
            if (out.value() == ENOENT) ps.firstSeen(false);
            else if (out.value() == EISDIR) {
                ps.dir = true;
                ps.firstSeen(true);
            }
        }
    }

    private void readWrite(TraceCall c, CallArgs.ReadWrite rw) {
        Outcome out = c.outcome();
        Desc d = use(c, rw.fd(), out.failed());
        if (d == null || !out.succeeded()) return;
        boolean isRead = c.call().startsWith("read") || c.call().startsWith("pread");
        long n = out.value();
        if (d.kind == Kind.FILE) {
            long off = rw.offset() >= 0 ? rw.offset() : d.pos;
            if (isRead) path(d.path).read(off, rw.count(), n);
            else path(d.path).write(off, n);
            if (rw.offset() < 0) d.pos += n;
        } else if (d.kind == Kind.EVENTFD && n == 8 && rw.data() != null && rw.data().length() == 8) {
            long v = ByteBuffer.wrap(rw.data().bytes()).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (isRead) eventfdRead(c, d, v);
            else d.writtenValue += v;
        }
    }

    /**
     * strace prints no aio_flags for FSYNC/FDSYNC/NOOP iocbs, so an IOCB_FLAG_RESFD on them is
     * invisible; an eventfd read that returns more than the visible signals (and writes) account
     * for says how many of them carried it. Which ones cannot be known: the first ones are chosen.
     */
    private void eventfdRead(TraceCall c, Desc efd, long value) {
        long missing = value - efd.shownSignals - efd.writtenValue;
        if (missing > 0 && missing <= flaglessIocbs.size() && efd.resfdSeen >= 0 && resfdTargets.size() == 1) {
            List<IocbId> chosen = flaglessIocbs.subList(0, (int) missing);
            for (IocbId id : chosen) hiddenResfd.put(id, efd.resfdSeen);
            notes.add(new TraceWarning(c.line(), "the eventfd read returned " + value + " but the iocbs shown with"
                    + " IOCB_FLAG_RESFD account for " + (efd.shownSignals + efd.writtenValue) + "; strace prints no aio_flags"
                    + " for FSYNC/FDSYNC/NOOP, so " + missing + " of the " + flaglessIocbs.size() + " such iocbs submitted"
                    + " before it are replayed with IOCB_FLAG_RESFD (the first ones; which ones did is not in the trace)"));
        } else if (missing != 0) {
            notes.add(new TraceWarning(c.line(), "the eventfd read returned " + value + ", the trace accounts for "
                    + (efd.shownSignals + efd.writtenValue) + "; left as is"));
        }
        efd.shownSignals = 0;
        efd.writtenValue = 0;
        flaglessIocbs.clear();
    }

    private void submit(TraceCall c, CallArgs.IoSubmit s) {
        long accepted = c.outcome().succeeded() ? c.outcome().value() : 0;
        if (s.truncated() && accepted > s.iocbs().size()) {
            throw new TraceFormatException(c.line(), "io_submit: strace abbreviated the iocb array (" + s.iocbs().size()
                    + " of " + s.nr() + " shown; raise -s), so the iocbs cannot be rebuilt");
        }
        for (int i = 0; i < s.iocbs().size(); i++) {
            TraceIocb cb = s.iocbs().get(i);
            boolean ok = i < accepted;
            // a refused iocb may name a bad fd on purpose: only accepted ones must have real fds
            Desc d = use(c, cb.fd(), !ok);
            Desc efd = (cb.flags() & LinuxAioConstants.IOCB_FLAG_RESFD) != 0 && cb.resfd() != null ? use(c, cb.resfd(), !ok) : null;
            if (!ok) continue;
            IocbId id = new IocbId(c.line(), i);
            if (efd != null) {
                efd.shownSignals++;
                efd.resfdSeen = cb.resfd().fd();
                resfdTargets.add(efd);
            }
            if (!cb.flagsShown()) flaglessIocbs.add(id);
            if (d != null && d.kind == Kind.FILE && (cb.reads() || cb.writes())) {
                Long res = forecast.get(id);
                long len = cb.transferLength();
                long got = res != null ? res : len;
                if (cb.reads()) path(d.path).read(cb.offset(), len, got);
                else path(d.path).write(cb.offset(), got);
            }
        }
    }

    /** The description behind a trace fd; materializes fds the trace did not open from what -y shows. */
    private Desc use(TraceCall c, FdRef ref, boolean mayBeBad) {
        if (ref == null || ref.isCwd()) return null;
        Desc d = fds.get(ref.fd());
        if (d != null) return d;
        if (ref.path() != null) {
            d = switch (TracePaths.classify(ref.path())) {
                case FILE -> {
                    PathState ps = path(ref.path());
                    ps.firstSeen(true);
                    yield new Desc(ps.dir ? Kind.DIR : Kind.FILE, ref.path());
                }
                case PIPE, SOCKET -> new Desc(Kind.STREAM, ref.path());
                case EVENTFD -> new Desc(Kind.EVENTFD, ref.path());
                case ANON, DEVICE -> new Desc(Kind.OTHER, ref.path());
            };
            fds.put(ref.fd(), d);
            return d;
        }
        if (ref.fd() >= 0 && ref.fd() <= 2) {
            d = new Desc(Kind.OTHER, null);
            fds.put(ref.fd(), d);
            return d;
        }
        if (mayBeBad) return null;
        throw new TraceFormatException(c.line(), c.call() + ": fd " + ref.fd() + " is used but never opened in the"
                + " trace, and the trace shows no path for it (take it with strace -y)");
    }

    private String base(TraceCall c, FdRef dirfd) {
        if (dirfd == null || dirfd.isCwd()) {
            if (dirfd != null && dirfd.path() != null) {
                dirBases.add(dirfd.path());
                return dirfd.path();
            }
            return "/";
        }
        Desc d = use(c, dirfd, false);
        String p = d != null && d.path != null ? d.path : dirfd.path();
        if (p == null) throw new TraceFormatException(c.line(), c.call() + ": the directory behind fd " + dirfd.fd() + " is unknown");
        dirBases.add(p);
        return p;
    }

    private PathState path(String p) {
        return paths.computeIfAbsent(p, PathState::new);
    }

    private Map<String, PathPlan> finish() {
        TreeMap<String, PathState> sorted = new TreeMap<>(paths);
        Map<String, PathPlan> out = new LinkedHashMap<>();
        for (PathState ps : sorted.values()) {
            String prefix = ps.path.equals("/") ? "/" : ps.path + "/";
            String next = sorted.higherKey(ps.path);
            boolean ancestor = next != null && next.startsWith(prefix) || dirBases.contains(ps.path);
            boolean dir = ps.dir || ancestor;
            long size = ps.lower;
            if (ps.lower > ps.upper) {
                warnings.accept(new TraceWarning(0, ps.path + ": the trace's reads disagree on its size (at least "
                        + ps.lower + ", at most " + ps.upper + "); created with " + ps.lower + " bytes"));
            }
            boolean exists = dir ? !Boolean.FALSE.equals(ps.existsAtStart) || ancestor
                    : ps.existsAtStart != null ? ps.existsAtStart : size > 0;
            out.put(ps.path, new PathPlan(ps.path, dir, exists, dir ? 0 : size));
        }
        return out;
    }
}
