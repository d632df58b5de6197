package org.aioemu.cli.replay;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_ALLDONE;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_CANCELED;
import static org.aioemu.freebsd.FreeBsdAioConstants.AIO_NOTCANCELED;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_NOWAIT;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_READ;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_READV;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITE;
import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_WRITEV;
import static org.aioemu.freebsd.FreeBsdAioConstants.O_DSYNC;
import static org.aioemu.freebsd.FreeBsdAioConstants.O_SYNC;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_FDSYNC;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_FSYNC;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_POLL;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PREAD;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PREADV;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PWRITE;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PWRITEV;
import static org.aioemu.linux.LinuxAioConstants.IOCB_FLAG_IOPRIO;
import static org.aioemu.linux.LinuxAioConstants.IOCB_FLAG_RESFD;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.aioemu.core.host.ForeignMemory;
import org.aioemu.freebsd.FreeBsdAioProcess;
import org.aioemu.freebsd.FreeBsdAioSystem;
import org.aioemu.freebsd.FreeBsdAiocb;
import org.aioemu.freebsd.FreeBsdErrno;
import org.aioemu.freebsd.FreeBsdTimespec;
import org.aioemu.linux.IoEvent;
import org.aioemu.linux.Iocb;
import org.aioemu.linux.LinuxAioSyscalls;
import org.aioemu.linux.LinuxErrno;
import org.aioemu.linux.LinuxTimespec;

/**
 * Cross-ABI replay: a Linux program's AIO calls carried out in the emulated FreeBSD ABI, as a
 * port of the program to FreeBSD would make them. io_setup/io_destroy are bookkeeping (FreeBSD
 * has no context); io_submit becomes aio_read/aio_write/aio_readv/aio_writev/aio_fsync, or one
 * lio_listio(LIO_NOWAIT) for a batch of reads and writes; io_getevents becomes aio_waitcomplete
 * (which reaps any job of the process, so jobs of another context wait in that context's stash);
 * io_cancel becomes aio_cancel. Results come back in Linux's convention (-errno, by name), so the
 * replay compares them with the trace as usual; every place where FreeBSD's semantics part from
 * Linux's is said in a note ({@link Translation}).
 */
final class LinuxOnFreeBsd implements LinuxAioSyscalls, Translation, AutoCloseable {
    private static final long FOREVER = Long.MAX_VALUE;
    private static final long DESTROY_WAIT_NANOS = 10_000_000_000L;

    /** A Linux context: FreeBSD has none, so it is only the jobs submitted through it and the events reaped for it. */
    private static final class Ctx {
        final int nrEvents;
        final Map<Long, Job> outstanding = new LinkedHashMap<>();   // by Linux iocb address
        final ArrayDeque<long[]> stash = new ArrayDeque<>();        // {data, obj, res} reaped while another context waited

        Ctx(int nrEvents) {
            this.nrEvents = nrEvents;
        }
    }

    /** One Linux iocb in flight as a FreeBSD aiocb. */
    private record Job(Ctx ctx, long iocb, long data, int opcode, int fd, MemorySegment aiocb, boolean orphan) {}

    private final FreeBsdAioSystem system = FreeBsdAioSystem.start();
    private final FreeBsdAioProcess bsd = system.newProcess("replay");
    private final Arena arena = Arena.ofShared();   // aiocbs stay put while FreeBSD may write to them
    private final MemorySegment scratch = arena.allocate(512, 16);
    private final Map<Long, Ctx> contexts = new HashMap<>();
    private final Map<Long, Job> byAiocb = new HashMap<>();
    private final Set<Long> refusedPollData = new HashSet<>();  // aio_data of the POLLs refused at submit
    private final Set<Integer> resfds = new HashSet<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Long> calls = new LinkedHashMap<>();
    private long nextCtx = 0x7a10_0000_0000L;

    @Override
    public List<String> drainNotes() {
        List<String> out = List.copyOf(notes);
        notes.clear();
        return out;
    }

    @Override
    public String explainFd(int hostFd) {
        return resfds.contains(hostFd) ? "IOCB_FLAG_RESFD has no FreeBSD counterpart (the nearest is SIGEV_KEVENT to a kqueue): "
                + "no completion signalled this eventfd" : null;
    }

    @Override
    public Map<String, Long> calls() {
        return Map.copyOf(calls);
    }

    private void count(String call) {
        calls.merge(call, 1L, Long::sum);
    }

    @Override
    public String explainEvent(long data) {
        return refusedPollData.contains(data) ? "the completion with aio_data 0x" + Long.toHexString(data)
                + " is a POLL's, which FreeBSD refused at submit (IOCB_CMD_POLL has no FreeBSD equivalent)" : null;
    }

    private void note(String s) {
        if (!notes.contains(s)) notes.add(s);
    }

    // ---- io_setup / io_destroy: bookkeeping --------------------------------------------------------

    @Override
    public long ioSetup(int nrEvents, long ctxp) {
        if (nrEvents <= 0) return -LinuxErrno.EINVAL;
        long perProc = sysctl("vfs.aio.max_aio_queue_per_proc");
        if (nrEvents > perProc) {
            note("io_setup(" + nrEvents + "): FreeBSD queues at most vfs.aio.max_aio_queue_per_proc=" + perProc
                    + " requests per process (EAGAIN beyond); a Linux context of " + nrEvents + " events takes them all");
        }
        long id = nextCtx;
        MemorySegment v = scratch.asSlice(0, 8);
        v.set(JAVA_LONG, 0, id);
        if (ForeignMemory.copyOut(v, ctxp, 8) < 0) return -LinuxErrno.EFAULT;
        nextCtx += 0x1000;
        contexts.put(id, new Ctx(nrEvents));
        return 0;
    }

    @Override
    public long ioDestroy(long ctxId) {
        Ctx ctx = contexts.get(ctxId);
        if (ctx == null) return -LinuxErrno.EINVAL;
        // Linux cancels what it can and waits for the rest; FreeBSD's nearest is aio_cancel and reaping each job
        for (Job j : List.copyOf(ctx.outstanding.values())) {
            count("aio_cancel");
            bsd.aio_cancel(j.fd(), j.aiocb().address());
        }
        long deadline = System.nanoTime() + DESTROY_WAIT_NANOS;
        while (!ctx.outstanding.isEmpty() && System.nanoTime() < deadline) {
            if (reapOne(deadline - System.nanoTime()) == null) break;
        }
        contexts.remove(ctxId);
        return 0;
    }

    // ---- io_submit ----------------------------------------------------------------------------------

    @Override
    public long ioSubmit(long ctxId, long nr, long iocbpp) {
        Ctx ctx = contexts.get(ctxId);
        if (ctx == null || nr < 0) return -LinuxErrno.EINVAL;
        int n = (int) Math.min(nr, ctx.nrEvents);                        // as Linux: at most the context's size
        if (n == 0) return 0;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment ptrs = call.allocate(8L * n, 8);
            if (ForeignMemory.copyIn(iocbpp, ptrs, 8L * n) < 0) return -LinuxErrno.EFAULT;
            List<Job> jobs = new ArrayList<>();
            long refusal = 0;
            for (int i = 0; i < n; i++) {
                long addr = ptrs.getAtIndex(JAVA_LONG, i);
                Object t = translate(ctx, addr, call);
                if (t instanceof Long err) {
                    refusal = err;
                    break;
                }
                jobs.add((Job) t);
            }
            int queued = jobs.size() > 1 && jobs.stream().allMatch(j -> listable(j.opcode())) ? listio(jobs, call) : oneByOne(jobs);
            if (queued < jobs.size()) return queued == 0 ? refusalOf(jobs.get(0)) : queued;
            return jobs.isEmpty() ? refusal : jobs.size();
        }
    }

    /** The aiocb for one Linux iocb, or a Long holding Linux's -errno for an iocb FreeBSD cannot take. */
    private Object translate(Ctx ctx, long addr, Arena call) {
        MemorySegment cb = call.allocate(Iocb.LAYOUT);
        if (ForeignMemory.copyIn(addr, cb, Iocb.SIZE) < 0) return (long) -LinuxErrno.EFAULT;
        if (Iocb.aio_reserved2(cb) != 0) return (long) -LinuxErrno.EINVAL;
        int op = Iocb.aio_lio_opcode(cb);
        if (op == IOCB_CMD_POLL) {
            refusedPollData.add(Iocb.aio_data(cb));
            note("IOCB_CMD_POLL has no FreeBSD equivalent (FreeBSD AIO reads and writes; readiness is kqueue's job): "
                    + "refused as Linux refuses an unknown opcode, EINVAL");
            return (long) -LinuxErrno.EINVAL;
        }
        if (!List.of(IOCB_CMD_PREAD, IOCB_CMD_PWRITE, IOCB_CMD_PREADV, IOCB_CMD_PWRITEV, IOCB_CMD_FSYNC, IOCB_CMD_FDSYNC).contains(op)) {
            return (long) -LinuxErrno.EINVAL;
        }
        if ((Iocb.aio_flags(cb) & IOCB_FLAG_RESFD) != 0) {
            resfds.add(Iocb.aio_resfd(cb));
            note("IOCB_FLAG_RESFD has no FreeBSD counterpart (the nearest is SIGEV_KEVENT to a kqueue): the eventfd is not signalled");
        }
        if ((Iocb.aio_flags(cb) & IOCB_FLAG_IOPRIO) != 0) note("IOCB_FLAG_IOPRIO: FreeBSD ignores aio_reqprio; dropped");
        if (Iocb.aio_rw_flags(cb) != 0) {
            note("aio_rw_flags 0x" + Integer.toHexString(Iocb.aio_rw_flags(cb)) + " (RWF_*) has no FreeBSD counterpart; dropped");
        }
        MemorySegment a = arena.allocate(FreeBsdAiocb.LAYOUT);
        FreeBsdAiocb.setFildes(a, Iocb.aio_fildes(cb));
        FreeBsdAiocb.setOffset(a, Iocb.aio_offset(cb));
        FreeBsdAiocb.setBuf(a, Iocb.aio_buf(cb));        // aio_iov for the vectored ones: struct iovec is the same on both
        FreeBsdAiocb.setNbytes(a, Iocb.aio_nbytes(cb));  // aio_iovcnt likewise
        FreeBsdAiocb.setLioOpcode(a, switch (op) {
            case IOCB_CMD_PREAD -> LIO_READ;
            case IOCB_CMD_PWRITE -> LIO_WRITE;
            case IOCB_CMD_PREADV -> LIO_READV;
            case IOCB_CMD_PWRITEV -> LIO_WRITEV;
            default -> 0;
        });
        return new Job(ctx, addr, Iocb.aio_data(cb), op, Iocb.aio_fildes(cb), a, false);
    }

    private static boolean listable(int op) {
        return op != IOCB_CMD_FSYNC && op != IOCB_CMD_FDSYNC;   // lio_listio has no sync entries
    }

    private int oneByOne(List<Job> jobs) {
        for (int i = 0; i < jobs.size(); i++) {
            Job j = jobs.get(i);
            long at = j.aiocb().address();
            String name = switch (j.opcode()) {
                case IOCB_CMD_PREAD -> "aio_read";
                case IOCB_CMD_PWRITE -> "aio_write";
                case IOCB_CMD_PREADV -> "aio_readv";
                case IOCB_CMD_PWRITEV -> "aio_writev";
                default -> "aio_fsync";
            };
            count(name);
            int rc = switch (j.opcode()) {
                case IOCB_CMD_PREAD -> bsd.aio_read(at);
                case IOCB_CMD_PWRITE -> bsd.aio_write(at);
                case IOCB_CMD_PREADV -> bsd.aio_readv(at);
                case IOCB_CMD_PWRITEV -> bsd.aio_writev(at);
                case IOCB_CMD_FSYNC -> bsd.aio_fsync(O_SYNC, at);
                default -> bsd.aio_fsync(O_DSYNC, at);
            };
            if (rc != 0) {
                failed(j, bsd.errno());
                return i;
            }
            admit(j);
        }
        return jobs.size();
    }

    /** One lio_listio(LIO_NOWAIT) for the batch; the entries queued before the first refused one count. */
    private int listio(List<Job> jobs, Arena call) {
        MemorySegment list = call.allocate(8L * jobs.size(), 8);
        for (int i = 0; i < jobs.size(); i++) list.setAtIndex(JAVA_LONG, i, jobs.get(i).aiocb().address());
        count("lio_listio");
        calls.merge("lio_listio entries", (long) jobs.size(), Long::sum);
        if (bsd.lio_listio(LIO_NOWAIT, list.address(), jobs.size(), 0) == 0) {
            jobs.forEach(this::admit);
            return jobs.size();
        }
        int first = -1;
        for (int i = 0; i < jobs.size(); i++) {
            Job j = jobs.get(i);
            int e = bsd.aio_error(j.aiocb().address());
            boolean queued = e == 0 || e == FreeBsdErrno.EINPROGRESS;
            if (!queued) {
                if (first < 0) {
                    first = i;
                    failed(j, e);
                }
                continue;
            }
            if (first < 0) {
                admit(j);
            } else {
                admitOrphan(j);
                note("lio_listio queued entries after one it refused; io_submit stops at the first refusal, so their "
                        + "completions are not Linux's and are dropped");
            }
        }
        return first < 0 ? jobs.size() : first;
    }

    private final Map<Job, Integer> refusedWith = new HashMap<>();

    private void failed(Job j, int bsdErrno) {
        refusedWith.put(j, bsdErrno);
        if (bsdErrno == FreeBsdErrno.EOPNOTSUPP) {
            note("FreeBSD refuses AIO on this file type (a pipe, FIFO or eventfd) unless vfs.aio.enable_unsafe=1: EOPNOTSUPP");
        }
    }

    private long refusalOf(Job j) {
        Integer e = refusedWith.remove(j);
        return -linuxErrno(e == null ? FreeBsdErrno.EINVAL : e);
    }

    private void admit(Job j) {
        byAiocb.put(j.aiocb().address(), j);
        j.ctx().outstanding.put(j.iocb(), j);
    }

    private void admitOrphan(Job j) {
        byAiocb.put(j.aiocb().address(), new Job(j.ctx(), j.iocb(), j.data(), j.opcode(), j.fd(), j.aiocb(), true));
    }

    // ---- io_getevents --------------------------------------------------------------------------------

    @Override
    public long ioGetevents(long ctxId, long minNr, long nr, long events, long timeout) {
        Ctx ctx = contexts.get(ctxId);
        if (ctx == null || minNr < 0 || minNr > nr) return -LinuxErrno.EINVAL;
        long deadline = FOREVER;
        if (timeout != 0) {
            MemorySegment ts = scratch.asSlice(16, LinuxTimespec.SIZE);
            if (ForeignMemory.copyIn(timeout, ts, LinuxTimespec.SIZE) < 0) return -LinuxErrno.EFAULT;
            long sec = LinuxTimespec.tv_sec(ts), nsec = LinuxTimespec.tv_nsec(ts);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) return -LinuxErrno.EINVAL;
            deadline = System.nanoTime() + Math.min(sec, 1L << 30) * 1_000_000_000L + nsec;
        }
        if (nr == 0) return 0;
        MemorySegment ev = scratch.asSlice(32, IoEvent.SIZE);
        if (ForeignMemory.copyOut(ev, events, IoEvent.SIZE) < 0) return -LinuxErrno.EFAULT;   // before anything is reaped
        long got = 0;
        while (got < nr) {
            long[] e = ctx.stash.poll();
            if (e == null) {
                if (ctx.outstanding.isEmpty()) break;    // nothing can come: Linux would wait out the timeout
                long wait = got < minNr ? (deadline == FOREVER ? FOREVER : Math.max(0, deadline - System.nanoTime())) : 0;
                Job j = reapOne(wait);
                if (j == null) break;
                if (j.orphan() || j.ctx() != ctx) continue;   // dropped, or stashed for its own context
                e = ctx.stash.pollLast();
            }
            IoEvent.set(ev, 0, e[0], e[1], e[2], 0);
            if (ForeignMemory.copyOut(ev, events + got * IoEvent.SIZE, IoEvent.SIZE) < 0) return got > 0 ? got : -LinuxErrno.EFAULT;
            got++;
        }
        return got;
    }

    @Override
    public long ioPgetevents(long ctxId, long minNr, long nr, long events, long timeout, long usig) {
        if (usig != 0) note("io_pgetevents' signal mask: aio_waitcomplete takes none (FreeBSD would use sigprocmask around it)");
        return ioGetevents(ctxId, minNr, nr, events, timeout);
    }

    /**
     * One aio_waitcomplete: the job it reaped (its event pushed on its context's stash; orphans
     * dropped), or null when the wait ended with none. {@code waitNanos} 0 polls.
     */
    private Job reapOne(long waitNanos) {
        MemorySegment done = scratch.asSlice(64, 8);
        MemorySegment ts = scratch.asSlice(80, FreeBsdTimespec.SIZE);
        long timeout = 0;
        if (waitNanos != FOREVER) {
            FreeBsdTimespec.set(ts, waitNanos / 1_000_000_000L, waitNanos % 1_000_000_000L);
            timeout = ts.address();
        }
        count("aio_waitcomplete");
        long r = bsd.aio_waitcomplete(done.address(), timeout);
        long at = done.get(JAVA_LONG, 0);
        if (at == 0) return null;                        // EWOULDBLOCK (timed out) or EINTR: no job
        Job j = byAiocb.remove(at);
        if (j == null) return null;
        long res = r >= 0 ? r : -linuxErrno(bsd.errno());
        if (j.orphan()) return j;
        j.ctx().outstanding.remove(j.iocb());
        j.ctx().stash.add(new long[] {j.data(), j.iocb(), res});
        return j;
    }

    // ---- io_cancel -----------------------------------------------------------------------------------

    @Override
    public long ioCancel(long ctxId, long iocb, long result) {
        Ctx ctx = contexts.get(ctxId);
        if (ctx == null) return -LinuxErrno.EINVAL;
        MemorySegment cb = scratch.asSlice(128, Iocb.SIZE);
        if (ForeignMemory.copyIn(iocb, cb, Iocb.SIZE) < 0) return -LinuxErrno.EFAULT;
        Job j = ctx.outstanding.get(iocb);
        int fd = Iocb.aio_fildes(cb);
        MemorySegment target = j != null ? j.aiocb() : scratch.asSlice(256, FreeBsdAiocb.SIZE).fill((byte) 0);
        if (j == null) FreeBsdAiocb.setFildes(target, fd);
        count("aio_cancel");
        int r = bsd.aio_cancel(fd, target.address());
        if (r == AIO_CANCELED) {
            // Linux cancels only what has a cancel method (a POLL); file and stream I/O it lets finish
            note("aio_cancel cancelled the queued request (AIO_CANCELED, its job ends with ECANCELED); Linux cannot cancel a "
                    + "read, write or fsync: io_cancel says EINVAL and the request completes");
            return -LinuxErrno.EINPROGRESS;
        }
        if (r == AIO_NOTCANCELED || r == AIO_ALLDONE) {
            if (j == null && Iocb.aio_lio_opcode(cb) == IOCB_CMD_POLL) {
                note("this POLL was refused at submit (IOCB_CMD_POLL has no FreeBSD equivalent), so there is nothing to cancel: "
                        + "aio_cancel says AIO_ALLDONE");
            } else {
                note("aio_cancel says " + (r == AIO_ALLDONE ? "AIO_ALLDONE" : "AIO_NOTCANCELED") + ": io_cancel's EINVAL");
            }
            return -LinuxErrno.EINVAL;
        }
        return -linuxErrno(bsd.errno());
    }

    @Override
    public void close() {
        bsd.exit();
        system.close();
        arena.close();
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** A FreeBSD errno as Linux's number for the same name (EAGAIN is 35 there, 11 here). */
    static int linuxErrno(int freebsdErrno) {
        int n = FreeBsdErrno.toHost(freebsdErrno);   // the host is Linux
        return n > 0 ? n : LinuxErrno.EINVAL;
    }

    private long sysctl(String name) {
        try {
            return system.sysctl().get(name);
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }
}
