package org.aioemu.conformance.linux.differential;

import static org.aioemu.conformance.linux.KernelLinuxAioLayouts.*;
import static org.aioemu.linux.LinuxAioConstants.*;
import static org.aioemu.core.host.HostConstants.POLLERR;
import static org.aioemu.core.host.HostConstants.POLLHUP;
import static org.aioemu.core.host.HostConstants.POLLIN;
import static org.aioemu.core.host.HostConstants.POLLOUT;
import static org.aioemu.core.host.HostConstants.POLLPRI;
import static org.aioemu.core.host.HostConstants.POLLRDNORM;
import static org.aioemu.core.host.HostConstants.POLLWRNORM;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.aioemu.conformance.linux.differential.Step.ArrayArg;
import org.aioemu.conformance.linux.differential.Step.CtxRef;
import org.aioemu.conformance.linux.differential.Step.CtxpArg;
import org.aioemu.conformance.linux.differential.Step.EventsArg;
import org.aioemu.conformance.linux.differential.Step.ResultArg;
import org.aioemu.conformance.linux.differential.Step.TimeoutArg;
import org.aioemu.conformance.linux.differential.Step.UsigArg;

/**
 * Generates random Linux AIO programs: random opcodes, fds, sizes, offsets, flags, bad fields
 * and bad pointers, batches, reaps, cancels and destroys. Sequence {@code index} of
 * {@code seed} is always the same sequence.
 *
 * <p>It gives up randomness only where the host kernel itself would not be deterministic or
 * the harness could hang, and tracks just enough state to do so (see {@link #AVOIDS}).
 */
public final class SequenceGenerator {
    public static final int MIN_STEPS = 5;
    public static final int MAX_STEPS = 30;
    /** Bytes any one pipe may ever be sent in a sequence: far below 16 pages even when every write starts a page. */
    static final int PIPE_CAP = 16 * 1024;
    static final int MAX_SETUPS = 4;

    /** What the generator deliberately never produces, and why; printed with every report. */
    public static final List<String> AVOIDS = List.of(
            "a blocking read of the blocking pipe without at least one byte guaranteed in it (or EOF): Linux runs it"
                    + " inside io_submit and would block the harness (LNX-39); such reads get RWF_NOWAIT instead",
            "more bytes sent to a pipe than fit (16 KiB per pipe per sequence), so a pipe write never blocks",
            "more requests on a context over its lifetime than its nr_events: Linux's real capacity depends on"
                    + " per-CPU batching (LNX-9), so EAGAIN for a full context is not comparable",
            "FSYNC/FDSYNC anywhere but last in a batch, and two in one batch: Linux completes them on a workqueue,"
                    + " so their ring position relative to later inline completions is undefined (LNX-42, LNX-51)",
            "io_setup sizes whose success depends on the system-wide aio-nr other processes hold (between 512 and"
                    + " aio-max-nr); only small sizes and sizes that always fail",
            "comparing the ring header's id (LNX-8): it is a slot in the process's context table, and sequences run"
                    + " side by side in one process",
            "a stale ctx once a later io_setup may have reused its address; and in all but 2% of sequences, any stale"
                    + " ctx at all, since those few must run alone (another sequence's io_setup could reuse the address)",
            "waiting without a time limit (NULL or negative timeouts) unless the call must return at once",
            "closing the pipe writer while a poll may hold it, and any use of a closed fd number (it may be reused)",
            "RWF_DONTCACHE on writes (writeback then evicts pages asynchronously, so a later RWF_NOWAIT read races)",
            "IOCB_FLAG_IOPRIO with the RT class (its answer depends on the caller's capabilities)",
            "O_DIRECT, sockets, signals, fork, mremap/mprotect of the ring, RLIMIT_FSIZE and ENOSPC (covered by"
                    + " the ported cases, or process-wide state a JVM cannot safely change)",
            "in UNORDERED_BATCHES: two iocbs of one batch on one file object where either writes, consumes or polls");

    private static final int[] VALID_NRS = {1, 4, 16, 32, 64, 100, 128, 128, 240, 256, 256, 512};
    private static final int[] INVALID_NRS = {0, -1, -1000, 0x400001, 65537, 0x400000, 0x80000000};
    private static final int[] FILE_SIZES = {0, 100, 4096, 5000, 12000};
    private static final int[] UNKNOWN_OPS = {4, 9, 10, 100, 0xffff};
    private static final int[] PRIOS = {(2 << 13) | 4, 7 << 13, 0, 3 << 13, (2 << 13) | 7};
    private static final long[] POLL_MASKS = {POLLIN, POLLIN, POLLIN, POLLOUT, POLLIN | POLLOUT, POLLIN | POLLRDNORM,
            POLLPRI, 0, POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM, POLLHUP, POLLERR | POLLIN};

    private final Profile profile;

    public SequenceGenerator(Profile profile) {
        this.profile = profile;
    }

    public Sequence generate(long seed, int index) {
        return new Builder(new SplittableRandom(mix(seed, index)), seed, index).build();
    }

    // SplitMix64's finaliser: neighbouring indexes get unrelated streams
    static long mix(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static final class Handle {
        final boolean everLive;
        boolean live;
        int budget;
        int setupsAtDestroy = -1;

        Handle(boolean live, int budget) {
            this.everLive = live;
            this.live = live;
            this.budget = budget;
        }
    }

    private record Submitted(int slot, int handle, boolean poll) {}

    /** What one batch has touched so far. */
    private static final class Batch {
        final List<Integer> slots = new ArrayList<>();
        final Map<String, Boolean> objects = new HashMap<>(); // object -> used exclusively
    }

    private final class Builder {
        private final RandomGenerator r;
        private final long seed;
        private final int index;
        private final List<IocbSpec> iocbs = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        private final List<Handle> handles = new ArrayList<>();
        private final List<Submitted> submitted = new ArrayList<>();
        private int nextSlot;
        private int nextReadOnlySlot = ProgramMemory.READ_ONLY_SLOT0;
        private int setups;
        private long pipeLower;
        private long pipeSent;
        private long npipeSent;
        private boolean writerClosed;
        private boolean writerPolled;
        private final boolean staleRefs;

        Builder(RandomGenerator r, long seed, int index) {
            this.r = r;
            this.seed = seed;
            this.index = index;
            this.staleRefs = r.nextInt(100) < 2;
        }

        Sequence build() {
            int prefill = r.nextInt(100) < 40 ? 0 : 1 + r.nextInt(600);
            Sequence.FixtureSpec fixture = new Sequence.FixtureSpec(pick(FILE_SIZES), prefill,
                    r.nextInt(100) < 70 ? 0 : 1 + r.nextInt(2), r.nextInt(10_000));
            pipeLower = prefill;
            pipeSent = prefill;
            int n = MIN_STEPS + r.nextInt(MAX_STEPS - MIN_STEPS + 1);
            steps.add(setup(true));
            for (int attempts = 0; steps.size() < n && attempts < 10 * MAX_STEPS; attempts++) {
                if (nextSlot > ProgramMemory.MAX_SLOTS - 10) break;
                Step s = next();
                if (s != null) steps.add(s);
            }
            return new Sequence(seed, index, profile, fixture, List.copyOf(iocbs), List.copyOf(steps), staleRefs);
        }

        private Step next() {
            boolean room = false;
            for (int h : liveHandles()) room |= handles.get(h).budget > 0;
            if (!room && r.nextBoolean()) {
                Step s = setup(false);
                if (s != null) return s;
            }
            int w = r.nextInt(100);
            if (w < 45) return submit();
            if (w < 65) return getEvents();
            if (w < 72) return cancel();
            if (w < 76) return setup(false);
            if (w < 80) return destroy();
            if (w < 84) return userReap();
            if (w < 90) return pipeWrite();
            if (w < 92) return pipeRead();
            if (w < 95) return new Step.EventfdWrite(1 + r.nextInt(3));
            if (w < 98) return new Step.EventfdRead(r.nextInt(5) < 3 ? FdRef.EFD_IO : FdRef.EFD_SIGNAL);
            return closeWriter();
        }

        // --- contexts ---

        private Step setup(boolean first) {
            if (handles.size() >= MAX_SETUPS) return null;
            int h = handles.size();
            boolean validNr = first || r.nextInt(100) < 85;
            int nr = validNr ? pick(VALID_NRS) : pick(INVALID_NRS);
            CtxpArg ctxp = CtxpArg.FRESH;
            if (!first) {
                int w = r.nextInt(100);
                if (w < 5) ctxp = CtxpArg.PRESET;
                else if (w < 8) ctxp = CtxpArg.NULL;
                else if (w < 10) ctxp = CtxpArg.UNMAPPED;
                else if (w < 12) ctxp = CtxpArg.KERNEL;
                else if (w < 15) ctxp = CtxpArg.READ_ONLY;
            }
            boolean live = validNr && ctxp == CtxpArg.FRESH;
            handles.add(new Handle(live, live ? nr : 0));
            setups++;
            return new Step.Setup(h, nr, ctxp);
        }

        private Step destroy() {
            List<Integer> live = liveHandles();
            if (!live.isEmpty() && r.nextInt(100) < 65) {
                int h = pick(live);
                Handle hs = handles.get(h);
                hs.live = false;
                hs.setupsAtDestroy = setups;
                return new Step.Destroy(CtxRef.handle(h));
            }
            return new Step.Destroy(badCtx());
        }

        private List<Integer> liveHandles() {
            List<Integer> out = new ArrayList<>();
            for (int h = 0; h < handles.size(); h++) if (handles.get(h).live) out.add(h);
            return out;
        }

        /**
         * A reference to a handle that means the same thing in every world: live, never live
         * (its ctx is 0 or the preset), or, in a sequence that runs alone, destroyed with no
         * io_setup since (so its address cannot belong to a new context); otherwise a bad literal.
         */
        private CtxRef refTo(int h) {
            return safe(handles.get(h)) ? CtxRef.handle(h) : badCtx();
        }

        private boolean safe(Handle hs) {
            return hs.live || !hs.everLive || (staleRefs && hs.setupsAtDestroy == setups);
        }

        private CtxRef badCtx() {
            List<CtxRef> options = new ArrayList<>(List.of(new CtxRef(CtxRef.Kind.ZERO, 0),
                    new CtxRef(CtxRef.Kind.JUNK, 0), new CtxRef(CtxRef.Kind.MINUS1, 0)));
            for (int h = 0; h < handles.size(); h++) {
                Handle hs = handles.get(h);
                if (hs.everLive) options.add(new CtxRef(CtxRef.Kind.HANDLE_PLUS_4, h));
                if (!hs.live && safe(hs)) options.add(CtxRef.handle(h));
            }
            return options.get(r.nextInt(options.size()));
        }

        private CtxRef liveOrBad(int percentLive) {
            List<Integer> live = liveHandles();
            return !live.isEmpty() && r.nextInt(100) < percentLive ? CtxRef.handle(pick(live)) : badCtx();
        }

        /** True when a call on {@code c} fails at once, whatever else it is given. */
        private boolean surelyInvalid(CtxRef c) {
            return c.kind() != CtxRef.Kind.HANDLE || !handles.get(c.handle()).live;
        }

        // --- io_submit ---

        private Step submit() {
            List<Integer> candidates = new ArrayList<>();
            for (int h : liveHandles()) if (handles.get(h).budget > 0) candidates.add(h);
            Handle hs = null;
            CtxRef ctx;
            if (!candidates.isEmpty() && r.nextInt(100) < 94) {
                int h = pick(candidates);
                hs = handles.get(h);
                ctx = CtxRef.handle(h);
            } else {
                ctx = badCtx();
            }
            int special = r.nextInt(100);
            if (special < 2) return new Step.Submit(ctx, 0, r.nextBoolean() ? ArrayArg.NULL : ArrayArg.ARRAY, List.of());
            if (special < 3) return new Step.Submit(ctx, r.nextBoolean() ? -1 : Long.MIN_VALUE, ArrayArg.ARRAY, List.of());
            int aw = r.nextInt(100);
            ArrayArg array = aw < 90 ? ArrayArg.ARRAY : aw < 94 ? ArrayArg.BEFORE_UNMAPPED
                    : pick(new ArrayArg[] {ArrayArg.NULL, ArrayArg.MINUS1, ArrayArg.KERNEL, ArrayArg.UNMAPPED});
            if (array != ArrayArg.ARRAY && array != ArrayArg.BEFORE_UNMAPPED) {
                return new Step.Submit(ctx, 1 + r.nextInt(3), array, List.of());
            }
            int k = batchSize();
            if (hs != null) k = Math.min(k, hs.budget);
            Batch b = new Batch();
            List<Ptr> elements = new ArrayList<>();
            for (int pos = 0; pos < k; pos++) {
                Ptr p = element(b, pos == k - 1);
                if (p != null) elements.add(p);
            }
            if (elements.isEmpty()) return null;
            long nr = elements.size();
            if (array == ArrayArg.ARRAY && nr > 1 && r.nextInt(100) < 5) nr--;
            if (array == ArrayArg.BEFORE_UNMAPPED) nr += 1 + r.nextInt(r.nextBoolean() ? 3 : 1000);
            int processed = (int) Math.min(nr, elements.size());
            if (hs != null) hs.budget -= processed;
            if (ctx.kind() == CtxRef.Kind.HANDLE) {
                for (int i = 0; i < processed; i++) {
                    Ptr p = elements.get(i);
                    if (p.kind() == Ptr.Kind.IOCB && p.offset() < ProgramMemory.READ_ONLY_SLOT0) {
                        submitted.add(new Submitted((int) p.offset(), ctx.handle(), iocbAt((int) p.offset()).isPoll()));
                    }
                }
            }
            return new Step.Submit(ctx, nr, array, List.copyOf(elements));
        }

        private int batchSize() {
            int w = r.nextInt(100);
            if (w < 40) return 1;
            if (w < 65) return 2;
            if (w < 80) return 3;
            return 4 + r.nextInt(5);
        }

        private Ptr element(Batch b, boolean last) {
            int w = r.nextInt(100);
            if (w >= 84 && w < 89 && !submitted.isEmpty()) {
                IocbSpec again = iocbAt(pick(submitted).slot());
                if (again.equals(legalize(again, b, last))) return take(again, b);
            } else if (w >= 89 && w < 93 && !b.slots.isEmpty()) {
                IocbSpec again = iocbAt(pick(b.slots));
                if (again.equals(legalize(again, b, last))) return take(again, b);
            } else if (w >= 93 && w < 96) {
                return pick(new Ptr[] {Ptr.NULL, Ptr.KERNEL, Ptr.unmapped(0), Ptr.unmapped(64)});
            } else if (w >= 96 && nextReadOnlySlot < ProgramMemory.READ_ONLY_SLOT0 + ProgramMemory.MAX_READ_ONLY_SLOTS) {
                // the kernel cannot store aio_key there: EFAULT before the opcode runs (LNX-27)
                IocbSpec s = legalize(freshIocb(nextReadOnlySlot), new Batch(), last);
                if (s != null) {
                    nextReadOnlySlot++;
                    iocbs.add(s);
                    return Ptr.iocb(s.slot());
                }
            }
            if (nextSlot >= ProgramMemory.MAX_SLOTS) return null;
            for (int attempt = 0; attempt < 8; attempt++) {
                IocbSpec s = legalize(freshIocb(nextSlot), b, last);
                if (s != null) {
                    nextSlot++;
                    iocbs.add(s);
                    return take(s, b);
                }
            }
            return null;
        }

        private IocbSpec iocbAt(int slot) {
            for (IocbSpec s : iocbs) if (s.slot() == slot) return s;
            throw new IllegalStateException("slot " + slot);
        }

        /**
         * The iocb made safe to run here, or null if it cannot be: see {@link #AVOIDS}. An iocb
         * already in memory (resubmitted, duplicated) is usable only if this returns it unchanged.
         */
        private IocbSpec legalize(IocbSpec s, Batch b, boolean last) {
            if (writerClosed && s.fd() == FdRef.PIPE_W) s = s.withFd(FdRef.NPIPE_W);
            if (s.isSync() && !last) return null;
            if (s.isRead() && s.fd() == FdRef.PIPE_R && !writerClosed && (s.rwFlags() & RWF_NOWAIT) == 0
                    && s.transferLength() > 0 && pipeLower < 1) {
                s = s.withRwFlags(s.rwFlags() | RWF_NOWAIT);
            }
            if (s.isWrite() && (s.fd() == FdRef.PIPE_W || s.fd() == FdRef.NPIPE_W)) {
                long room = PIPE_CAP - (s.fd() == FdRef.PIPE_W ? pipeSent : npipeSent);
                if (s.transferLength() > room) {
                    s = s.buf() instanceof IocbSpec.At && s.nbytes() >= 0 ? s.withNbytes(room) : s.withFd(FdRef.BROKEN_W);
                }
            }
            if (profile == Profile.UNORDERED_BATCHES && s.fd().object() != null) {
                Boolean exclusive = b.objects.get(s.fd().object());
                if (exclusive != null && (exclusive || exclusive(s))) return null;
            }
            return s;
        }

        private boolean exclusive(IocbSpec s) {
            return s.isWrite() || s.isPoll() || (s.isRead() && !s.fd().isFile());
        }

        /** Adds an iocb to the batch and to the pipe bookkeeping. */
        private Ptr take(IocbSpec s, Batch b) {
            b.slots.add(s.slot());
            if (s.fd().object() != null) b.objects.merge(s.fd().object(), exclusive(s), Boolean::logicalOr);
            long len = s.transferLength();
            if (s.isRead() && s.fd() == FdRef.PIPE_R) pipeLower = Math.max(0, pipeLower - len);
            if (s.isWrite() && s.fd() == FdRef.PIPE_W) pipeSent += len;
            if (s.isWrite() && s.fd() == FdRef.NPIPE_W) npipeSent += len;
            if (s.isPoll() && s.fd() == FdRef.PIPE_W) writerPolled = true;
            return Ptr.iocb(s.slot());
        }

        // --- one iocb ---

        /**
         * A new iocb. Most are well formed, so that batches get past their first iocb and do I/O;
         * the rest draw every field from a range that includes what the kernel rejects.
         */
        private IocbSpec freshIocb(int slot) {
            boolean junk = r.nextInt(100) < 20;
            int op = opcode(junk);
            FdRef fd = fdFor(op, junk);
            long data = r.nextLong();
            int key = junk && r.nextInt(100) < 15 ? 0xdeadbeef : 0;
            int reqprio = junk && r.nextInt(100) < 15 ? r.nextInt(1 << 16) - (1 << 15) : 0;
            int flags = 0;
            FdRef resfd = pick(new FdRef[] {FdRef.EFD_SIGNAL, FdRef.PIPE_R, FdRef.MINUS1, FdRef.HUGE});
            int fw = r.nextInt(100);
            if (fw < 18) {
                flags = IOCB_FLAG_RESFD;
                int rw = junk ? r.nextInt(100) : 0;
                resfd = rw < 70 ? FdRef.EFD_SIGNAL : rw < 80 ? FdRef.PIPE_R : rw < 90 ? FdRef.MINUS1 : FdRef.HUGE;
            } else if (fw < 21) {
                flags = IOCB_FLAG_IOPRIO;
                reqprio = junk ? pick(PRIOS) : PRIOS[0];
            } else if (fw < 24 && junk) {
                flags = r.nextInt() & ~(IOCB_FLAG_RESFD | IOCB_FLAG_IOPRIO); // ignored bits (LNX-29)
            }
            long reserved2 = junk && r.nextInt(100) < 10 ? 1 + r.nextInt(100) : 0;
            return switch (op) {
                case IOCB_CMD_PREADV, IOCB_CMD_PWRITEV -> {
                    IocbSpec.Vec vec = vector(slot, fd, junk);
                    long count = junk && vec.iovs().isEmpty() && r.nextInt(3) == 0 ? 1025 : vec.iovs().size();
                    yield new IocbSpec(slot, data, key, rwFlags(op, junk), op, reqprio, fd, vec, count, offset(fd, junk),
                            reserved2, flags, resfd);
                }
                case IOCB_CMD_FSYNC, IOCB_CMD_FDSYNC -> {
                    // buf, nbytes, offset and rw_flags must be 0 (LNX-51)
                    int bad = junk && r.nextInt(100) < 30 ? 1 + r.nextInt(4) : 0;
                    yield new IocbSpec(slot, data, key, bad == 4 ? RWF_NOWAIT : 0, op, reqprio, fd,
                            new IocbSpec.Raw(bad == 1 ? 4096 : 0), bad == 2 ? 1 : 0, bad == 3 ? 1 : 0, reserved2, flags, resfd);
                }
                case IOCB_CMD_POLL -> {
                    // offset, nbytes and rw_flags must be 0, the mask fit in 16 bits (LNX-53)
                    int bad = junk && r.nextInt(100) < 20 ? 1 + r.nextInt(3) : 0;
                    long mask = junk && r.nextInt(100) < 40 ? r.nextInt(1 << 16) : pick(POLL_MASKS);
                    if (junk && r.nextInt(100) < 15) mask |= 1L << (16 + r.nextInt(40));
                    yield new IocbSpec(slot, data, key, bad == 3 ? RWF_NOWAIT : 0, op, reqprio, fd, new IocbSpec.Raw(mask),
                            bad == 1 ? 1 : 0, bad == 2 ? 8 : 0, reserved2, flags, resfd);
                }
                default -> {
                    long n = size(fd, op, junk);
                    yield new IocbSpec(slot, data, key, rwFlags(op, junk), op, reqprio, fd,
                            new IocbSpec.At(buffer(slot, n, junk)), n, offset(fd, junk), reserved2, flags, resfd);
                }
            };
        }

        private int opcode(boolean junk) {
            int w = r.nextInt(100);
            if (junk && w < 25) return w < 12 ? IOCB_CMD_NOOP : pick(UNKNOWN_OPS);
            if (w < 25) return IOCB_CMD_PREAD;
            if (w < 50) return IOCB_CMD_PWRITE;
            if (w < 60) return IOCB_CMD_PREADV;
            if (w < 70) return IOCB_CMD_PWRITEV;
            if (w < 73) return IOCB_CMD_FSYNC;
            if (w < 75) return IOCB_CMD_FDSYNC;
            return IOCB_CMD_POLL;
        }

        private FdRef fdFor(int op, boolean junk) {
            if (junk) {
                return switch (op) {
                    case IOCB_CMD_PREAD, IOCB_CMD_PREADV -> weighted(new FdRef[] {FdRef.FILE, FdRef.PIPE_R, FdRef.EFD_IO,
                            FdRef.DIR, FdRef.FILE_APPEND, FdRef.PIPE_W, FdRef.OPATH, FdRef.MINUS1, FdRef.HUGE, FdRef.BROKEN_W},
                            new int[] {20, 10, 10, 10, 10, 10, 8, 8, 8, 6});
                    case IOCB_CMD_PWRITE, IOCB_CMD_PWRITEV -> weighted(new FdRef[] {FdRef.FILE, FdRef.PIPE_W, FdRef.EFD_IO,
                            FdRef.FILE_RO, FdRef.DIR, FdRef.OPATH, FdRef.MINUS1, FdRef.HUGE, FdRef.PIPE_R, FdRef.BROKEN_W},
                            new int[] {20, 10, 10, 10, 8, 8, 8, 8, 10, 8});
                    case IOCB_CMD_FSYNC, IOCB_CMD_FDSYNC -> weighted(new FdRef[] {FdRef.FILE, FdRef.PIPE_R, FdRef.EFD_IO,
                            FdRef.NPIPE_W, FdRef.MINUS1, FdRef.HUGE, FdRef.OPATH}, new int[] {30, 15, 15, 10, 10, 10, 10});
                    case IOCB_CMD_POLL -> weighted(new FdRef[] {FdRef.PIPE_R, FdRef.FILE, FdRef.DIR, FdRef.MINUS1,
                            FdRef.HUGE, FdRef.OPATH, FdRef.EFD_IO}, new int[] {25, 20, 15, 10, 10, 10, 10});
                    default -> weighted(new FdRef[] {FdRef.FILE, FdRef.MINUS1, FdRef.PIPE_R}, new int[] {60, 20, 20});
                };
            }
            return switch (op) {
                case IOCB_CMD_PREAD, IOCB_CMD_PREADV -> weighted(new FdRef[] {FdRef.FILE, FdRef.FILE_RO, FdRef.PIPE_R,
                        FdRef.NPIPE_R, FdRef.EFD_IO}, new int[] {40, 15, 15, 15, 10});
                case IOCB_CMD_PWRITE, IOCB_CMD_PWRITEV -> weighted(new FdRef[] {FdRef.FILE, FdRef.FILE_APPEND, FdRef.PIPE_W,
                        FdRef.NPIPE_W, FdRef.EFD_IO, FdRef.BROKEN_W}, new int[] {40, 10, 15, 15, 10, 5});
                case IOCB_CMD_FSYNC, IOCB_CMD_FDSYNC -> weighted(new FdRef[] {FdRef.FILE, FdRef.FILE_RO, FdRef.DIR,
                        FdRef.FILE_APPEND}, new int[] {60, 20, 10, 10});
                default -> weighted(new FdRef[] {FdRef.PIPE_R, FdRef.NPIPE_R, FdRef.EFD_IO, FdRef.PIPE_W, FdRef.NPIPE_W,
                        FdRef.FILE, FdRef.BROKEN_W, FdRef.FILE_RO}, new int[] {25, 15, 20, 5, 10, 12, 8, 5});
            };
        }

        private int rwFlags(int op, boolean junk) {
            boolean read = op == IOCB_CMD_PREAD || op == IOCB_CMD_PREADV;
            int w = r.nextInt(1000);
            if (w < 820) return 0;
            if (w < 880) return RWF_NOWAIT;
            if (w < 900) return RWF_HIPRI;
            if (w < 908) return RWF_DSYNC;
            if (w < 912) return RWF_SYNC;
            if (w < 927) return RWF_APPEND;
            if (w < 942) return RWF_NOAPPEND;
            if (w < 967) return read ? RWF_DONTCACHE : 0;
            if (w < 982 || !junk) return RWF_NOSIGNAL;
            if (w < 990) return RWF_ATOMIC; // not on buffered I/O: EOPNOTSUPP at submit (LNX-30)
            return 0x200 << r.nextInt(22); // bits the kernel does not know: EOPNOTSUPP (LNX-30)
        }

        private long size(FdRef fd, int op, boolean junk) {
            if (fd == FdRef.EFD_IO) return junk ? weightedLong(new long[] {8, 4, 16, 0}, new int[] {40, 20, 20, 20}) : 8;
            int w = r.nextInt(1000);
            if (w < 30) return 0;
            if (w < 330) return 1 + r.nextInt(64);
            if (w < 750) return 65 + r.nextInt(960);
            if (!junk || w < 900) return 1025 + r.nextInt(3072);
            if (w < 940) return -1L;
            if (w < 960) return Long.MIN_VALUE;
            if (w < 980) return 1L << 62; // a buffer running past user space: EFAULT at submit (access_ok)
            return op == IOCB_CMD_PREAD ? 1L << 20 : 4096;
        }

        private Ptr buffer(int slot, long n, boolean junk) {
            int w = junk ? r.nextInt(100) : 0;
            long base = slot * ProgramMemory.DATA_SLOT;
            if (w < 50) {
                long fit = ProgramMemory.DATA_SLOT - Math.max(0, Math.min(n, ProgramMemory.DATA_SLOT));
                return Ptr.data(base + r.nextInt((int) Math.min(64, fit) + 1));
            }
            if (w < 60) return Ptr.NULL;
            if (w < 70) return Ptr.unmapped(8L * r.nextInt(64));
            if (w < 80) return Ptr.KERNEL;
            if (w < 90) return Ptr.readOnly(ProgramMemory.READ_ONLY_FREE_FROM + r.nextInt(1024));
            return Ptr.beforeUnmapped(1 + r.nextInt((int) Math.max(1, Math.min(n, 4096))));
        }

        private IocbSpec.Vec vector(int slot, FdRef fd, boolean junk) {
            int w = r.nextInt(100);
            int count = w < 6 ? 0 : w < 86 ? 1 + r.nextInt(4) : 5 + r.nextInt(4);
            List<IocbSpec.Iov> iovs = new ArrayList<>();
            long pos = slot * ProgramMemory.DATA_SLOT;
            for (int i = 0; i < count; i++) {
                long len = fd == FdRef.EFD_IO ? (count == 1 ? 8 : r.nextInt(9)) : r.nextInt(513);
                int bw = junk ? r.nextInt(100) : 0;
                Ptr base = bw < 85 ? Ptr.data(pos) : bw < 90 ? Ptr.NULL : bw < 95 ? Ptr.KERNEL : Ptr.unmapped(0);
                if (junk && r.nextInt(100) < 5) len = -1; // iov_len above SSIZE_MAX: EINVAL
                iovs.add(new IocbSpec.Iov(base, len));
                pos += Math.max(0, len);
            }
            int aw = junk ? r.nextInt(100) : 0;
            Ptr array = aw < 80 ? Ptr.iovecs(slot) : aw < 87 ? Ptr.NULL : aw < 94 ? Ptr.KERNEL : Ptr.unmapped(0);
            return new IocbSpec.Vec(array, List.copyOf(iovs));
        }

        private long offset(FdRef fd, boolean junk) {
            int w = r.nextInt(100);
            if (fd.isFile()) {
                if (w < 20) return 0;
                if (w < 80 || (!junk && w < 85)) return r.nextInt(8192);
                if (!junk) return 8192 + r.nextInt(57344);
                if (w < 90) return weightedLong(new long[] {-1, -4096, Long.MIN_VALUE}, new int[] {1, 1, 1});
                return Long.MAX_VALUE - r.nextInt(8192);
            }
            if (w < 70 || !junk) return w < 90 ? 0 : r.nextInt(100_000);
            return -1 - r.nextInt(10);
        }

        // --- other calls ---

        private Step getEvents() {
            CtxRef ctx = liveOrBad(85);
            long min;
            long nr;
            int w = r.nextInt(100);
            if (w < 5) { min = 0; nr = 0; }
            else if (w < 35) { min = 0; nr = 1 + r.nextInt(16); }
            else if (w < 55) { min = 1; nr = 1 + r.nextInt(16); }
            else if (w < 63) { min = 1 + r.nextInt(4); nr = min; }
            else if (w < 68) { nr = 1 + r.nextInt(4); min = nr + 1 + r.nextInt(3); }
            else if (w < 71) { min = -1; nr = 4; }
            else if (w < 74) { min = 0; nr = -1; }
            else if (w < 77) { min = 0; nr = r.nextBoolean() ? 1000 : Long.MAX_VALUE; }
            else if (w < 85) { min = 0; nr = 256; }
            else { min = 2 + r.nextInt(6); nr = 256; }
            boolean returnsAtOnce = min <= 0 || min > nr || surelyInvalid(ctx);
            int tw = r.nextInt(100);
            TimeoutArg timeout = tw < 55 ? TimeoutArg.ZERO : tw < 70 ? TimeoutArg.SHORT : tw < 80 ? TimeoutArg.NONE
                    : tw < 85 ? TimeoutArg.NSEC_OVERFLOW : tw < 88 ? TimeoutArg.NEGATIVE : tw < 91 ? TimeoutArg.UNMAPPED
                    : tw < 93 ? TimeoutArg.KERNEL : TimeoutArg.READ_ONLY_ZERO;
            if (!returnsAtOnce && (timeout == TimeoutArg.NONE || timeout == TimeoutArg.NSEC_OVERFLOW
                    || timeout == TimeoutArg.NEGATIVE)) {
                timeout = TimeoutArg.ZERO;
            }
            int ew = r.nextInt(100);
            EventsArg events = ew < 90 ? EventsArg.ARRAY : ew < 93 ? EventsArg.NULL : ew < 96 ? EventsArg.UNMAPPED
                    : ew < 98 ? EventsArg.KERNEL : EventsArg.READ_ONLY;
            UsigArg usig = null;
            if (r.nextInt(100) < 30) {
                usig = weighted(UsigArg.values(), new int[] {30, 20, 30, 7, 7, 6});
            }
            return new Step.GetEvents(ctx, min, nr, events, timeout, usig);
        }

        private Step cancel() {
            ResultArg result = weighted(ResultArg.values(), new int[] {40, 50, 10});
            if (submitted.isEmpty() || r.nextInt(100) < 20) {
                int w = r.nextInt(100);
                Ptr iocb;
                if (w < 40 || iocbs.isEmpty()) iocb = Ptr.NULL;
                else if (w < 60) iocb = Ptr.KERNEL;
                else if (w < 80) iocb = Ptr.unmapped(0);
                else if (nextSlot < ProgramMemory.MAX_SLOTS) {
                    // an identical iocb at another address is not the submitted one (LNX-73)
                    IocbSpec copy = iocbs.get(r.nextInt(iocbs.size())).withSlot(nextSlot++);
                    iocbs.add(copy);
                    iocb = Ptr.iocb(copy.slot());
                } else iocb = Ptr.NULL;
                return new Step.Cancel(liveOrBad(80), iocb, result);
            }
            List<Submitted> polls = submitted.stream().filter(Submitted::poll).toList();
            Submitted s = !polls.isEmpty() && r.nextInt(100) < 70 ? pick(polls) : pick(submitted);
            CtxRef ctx = r.nextInt(100) < 85 ? refTo(s.handle()) : liveOrBad(50);
            return new Step.Cancel(ctx, Ptr.iocb(s.slot()), result);
        }

        private Step userReap() {
            List<Integer> live = liveHandles();
            if (live.isEmpty()) return null;
            return new Step.UserReap(pick(live), (int) weightedLong(new long[] {1, 2, 4, 256}, new int[] {1, 1, 1, 1}));
        }

        private Step pipeWrite() {
            FdRef pipe = !writerClosed && r.nextBoolean() ? FdRef.PIPE_W : FdRef.NPIPE_W;
            long room = PIPE_CAP - (pipe == FdRef.PIPE_W ? pipeSent : npipeSent);
            int n = (int) Math.min(1 + r.nextInt(512), room);
            if (n <= 0) return null;
            if (pipe == FdRef.PIPE_W) {
                pipeSent += n;
                pipeLower += n;
            } else {
                npipeSent += n;
            }
            return new Step.PipeWrite(pipe, n);
        }

        private Step pipeRead() {
            int n = 1 + r.nextInt(512);
            if (r.nextBoolean() && (writerClosed || pipeLower >= 1)) {
                pipeLower = Math.max(0, pipeLower - n);
                return new Step.PipeRead(FdRef.PIPE_R, n);
            }
            return new Step.PipeRead(FdRef.NPIPE_R, n);
        }

        private Step closeWriter() {
            if (writerClosed || writerPolled) return null;
            writerClosed = true;
            return new Step.CloseWriter();
        }

        // --- choice helpers ---

        private int pick(int[] a) {
            return a[r.nextInt(a.length)];
        }

        private long pick(long[] a) {
            return a[r.nextInt(a.length)];
        }

        private <T> T pick(T[] a) {
            return a[r.nextInt(a.length)];
        }

        private <T> T pick(List<T> a) {
            return a.get(r.nextInt(a.size()));
        }

        private <T> T weighted(T[] a, int[] w) {
            return a[weightedIndex(w)];
        }

        private long weightedLong(long[] a, int[] w) {
            return a[weightedIndex(w)];
        }

        private int weightedIndex(int[] w) {
            int total = 0;
            for (int x : w) total += x;
            int p = r.nextInt(total);
            for (int i = 0; i < w.length; i++) {
                p -= w[i];
                if (p < 0) return i;
            }
            throw new AssertionError();
        }
    }
}
