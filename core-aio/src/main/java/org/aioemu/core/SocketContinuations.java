package org.aioemu.core;

import static org.aioemu.core.host.HostConstants.EPOLLIN;
import static org.aioemu.core.host.HostConstants.EPOLLONESHOT;
import static org.aioemu.core.host.HostConstants.EPOLLOUT;
import static org.aioemu.core.host.HostConstants.EPOLLRDHUP;
import static org.aioemu.core.host.HostConstants.EPOLL_CTL_ADD;
import static org.aioemu.core.host.HostConstants.EPOLL_CTL_DEL;
import static org.aioemu.core.host.HostConstants.EPOLL_CTL_MOD;
import static org.aioemu.core.host.HostConstants.POLLERR;
import static org.aioemu.core.host.HostConstants.POLLHUP;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.aioemu.core.Request.State;
import org.aioemu.core.host.EpollEvent;
import org.aioemu.core.host.FdInfo;
import org.aioemu.core.host.FdKind;
import org.aioemu.core.host.HostConstants;
import org.aioemu.core.host.HostIo;

/**
 * Requests on sockets, pipes and fifos that would block wait here holding no thread: the request
 * and its progress are the continuation. Each waited-on file has one {@link Waiters} entry with a
 * FIFO per direction (plus one-shot polls), its own dup of the fd (so a close() by the program
 * neither breaks nor redirects the wait) registered one-shot in one epoll set. One poller thread
 * resumes them: it retries the head of each ready queue without blocking, completes what it can,
 * and re-arms for the rest; a readiness report after which the attempt still would block is a
 * spurious wakeup and simply re-arms. The thread count does not grow with the waiting requests.
 */
final class SocketContinuations implements AutoCloseable {
    private static final long WAKE = -1;
    private static final int BATCH = 256;

    private final RequestLifecycle life;
    private final CoreStats stats;
    private final int epfd;
    private final int wakeFd;
    private final Thread poller;
    private final ConcurrentHashMap<FileKey, Waiters> byFile = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Waiters> byOwnFd = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final Object anonymous = new Object();
    /**
     * Socket entries that had a poll parked and were not since found without one: what a socket
     * write on a submitting thread must look at (all entries would be every idle connection).
     * Added to and emptied entries dropped only under the entry's lock.
     */
    private final Set<Waiters> socketPolls = ConcurrentHashMap.newKeySet();
    private final AtomicLong instances = new AtomicLong();

    /** The waiting requests of one open file; guarded by its own monitor. */
    private static final class Waiters {
        final FileKey key;
        final FdKind kind;
        final int ownFd;
        final ArrayDeque<Request> reads = new ArrayDeque<>();
        final ArrayDeque<Request> writes = new ArrayDeque<>();
        final ArrayDeque<Request> polls = new ArrayDeque<>();
        boolean registered;
        boolean retired;

        Waiters(FileKey key, FdKind kind, int ownFd) {
            this.key = key;
            this.kind = kind;
            this.ownFd = ownFd;
        }

        ArrayDeque<Request> queueOf(Request r) {
            return r.op == Request.Op.POLL ? polls : r.op.isRead() ? reads : writes;
        }

        boolean isEmpty() {
            return reads.isEmpty() && writes.isEmpty() && polls.isEmpty();
        }

        int interest() {
            int ev = 0;
            if (!reads.isEmpty()) ev |= EPOLLIN | EPOLLRDHUP;
            if (!writes.isEmpty()) ev |= EPOLLOUT;
            for (Request p : polls) ev |= PollWakeup.interest(kind, p.pollEvents, p.readyAtPark);   // poll(2) and epoll share bit values on Linux
            return ev | EPOLLONESHOT;
        }
    }

    SocketContinuations(RequestLifecycle life, CoreStats stats) {
        this.life = life;
        this.stats = stats;
        this.epfd = check("epoll_create1", HostIo.epollCreate1(HostConstants.EPOLL_CLOEXEC));
        this.wakeFd = check("eventfd", HostIo.eventfd(0, HostConstants.EFD_CLOEXEC | HostConstants.EFD_NONBLOCK));
        check("epoll_ctl", HostIo.epollCtl(epfd, EPOLL_CTL_ADD, wakeFd, EPOLLIN, WAKE));
        this.poller = Thread.ofPlatform().daemon().name("aioemu-poller").unstarted(this::pollLoop);
        ThreadStarts.start(poller);
    }

    private static int check(String call, int rc) {
        if (rc < 0) throw new IllegalStateException(call + " failed: " + org.aioemu.core.host.HostErrno.name(-rc));
        return rc;
    }

    /** True if requests of r's direction already wait on r's file: r must queue behind them. */
    boolean hasWaiters(Request r) {
        Waiters w = byFile.get(keyOf(r, false));
        if (w == null) return false;
        synchronized (w) {
            return !w.retired && !w.queueOf(r).isEmpty();
        }
    }

    /**
     * The key r's file waits under. An anonymous-inode file shares its inode with every other
     * (two eventfds would otherwise wait on one entry, and on the first one's readiness), so it is
     * matched against the waiting entries of that inode by its open file; {@code fresh}: a new
     * instance if none matches (else the shared key, which no entry uses).
     */
    private FileKey keyOf(Request r, boolean fresh) {
        FileKey base = FileKey.of(r.fdInfo);
        if (r.fdInfo.kind() != FdKind.OTHER) return base;
        for (Waiters w : byFile.values()) {
            if (w.key.sameInode(base) && HostIo.sameOpenFile(r.fd, w.ownFd)) return w.key;
        }
        return fresh ? base.instance(instances.incrementAndGet()) : base;
    }

    /** Parks r (it becomes WAITING); returns 0, or -errno if no reference to the file could be taken. */
    long park(Request r) {
        for (;;) {
            Object w0 = r.fdInfo.kind() == FdKind.OTHER ? anonymousEntryFor(r) : entryFor(r);
            if (w0 instanceof Integer err) return err;
            Waiters w = (Waiters) w0;
            synchronized (w) {
                if (w.retired) continue;
                r.setState(State.WAITING);
                w.queueOf(r).add(r);
                if (r.op == Request.Op.POLL && w.kind == FdKind.SOCKET) socketPolls.add(w);
                int rc = arm(w);
                if (rc < 0) {            // not pollable (a regular file, say): the request cannot wait here
                    w.queueOf(r).removeLastOccurrence(r);
                    r.setState(State.NEW);
                    if (w.isEmpty()) retire(w);
                }
                return rc;
            }
        }
    }

    /**
     * Anonymous-inode entries are found by comparing open files: one parker at a time, so that
     * two parks of one new eventfd do not make two entries for it.
     */
    private Object anonymousEntryFor(Request r) {
        synchronized (anonymous) {
            return entryFor(r);
        }
    }

    /** r's file's entry, made (with a reference of its own to the file) if there is none; or the -errno of dup. */
    private Object entryFor(Request r) {
        FileKey key = keyOf(r, true);
        Waiters w = byFile.get(key);
        if (w != null) return w;
        int own = HostIo.dup(r.fd);
        if (own < 0) return own;
        Waiters fresh = new Waiters(key, r.fdInfo.kind(), own);
        w = byFile.putIfAbsent(key, fresh);
        if (w != null) {
            HostIo.close(own);
            return w;
        }
        byOwnFd.put(own, fresh);
        return fresh;
    }

    /** The entry r waits in, or null (r's fd may be closed by now, so anonymous inodes are searched). */
    private Waiters waitingIn(Request r) {
        FileKey base = FileKey.of(r.fdInfo);
        if (r.fdInfo.kind() != FdKind.OTHER) return byFile.get(base);
        for (Waiters w : byFile.values()) {
            if (!w.key.sameInode(base)) continue;
            synchronized (w) {
                if (w.queueOf(r).contains(r)) return w;
            }
        }
        return null;
    }

    /**
     * A write to a pipe just ran on the submitting thread: Linux's pipe_write wakes the read end's
     * waiting polls within that call, with its key (IN|RDNORM, LNX-55), even when it wrote nothing
     * (a fault), so they complete before the write does and before a later iocb of the batch can
     * read the bytes away. The poller would see the readiness too late, or none at all.
     */
    void pipeWritten(FdInfo writeEnd) {
        Waiters w = byFile.get(FileKey.readEndOf(writeEnd));
        if (w == null) return;
        int key = PollWakeup.readKey(FdKind.PIPE);
        List<Request> done = new ArrayList<>();
        synchronized (w) {
            if (w.retired || w.polls.isEmpty()) return;
            for (var it = w.polls.iterator(); it.hasNext(); ) {
                Request p = it.next();
                if (PollWakeup.keyed(key, p.pollEvents) == 0 || !p.transition(State.WAITING, State.RUNNING)) continue;
                it.remove();
                done.add(p);
            }
            settle(w);
        }
        for (Request p : done) life.complete(p, key, CompletionPath.CONTINUATION);
    }

    /**
     * A socket write just ran on the submitting thread. Linux wakes the peer's waiting polls within
     * that write (sock_def_readable); the peer is not known here, so every socket with waiting polls
     * is checked now, on this thread, before a later iocb of the batch can read the data away. Only
     * a poll whose socket gained data since it was parked completes (PollWakeup), so the others
     * are untouched.
     */
    void socketWritten() {
        List<Request> done = new ArrayList<>();
        for (Waiters w : socketPolls) {
            synchronized (w) {
                if (w.retired || w.polls.isEmpty()) {
                    socketPolls.remove(w);
                    continue;
                }
                if (resumePolls(w, done)) settle(w);
            }
        }
        for (Request p : done) life.complete(p, p.result, CompletionPath.CONTINUATION);
    }

    /** Cancels a WAITING request; null if it is not waiting here (the poller is running it, or it ended). */
    CancelOutcome cancel(Request r) {
        Waiters w = waitingIn(r);
        if (w == null) return null;
        boolean removed;
        synchronized (w) {
            removed = w.queueOf(r).remove(r) && r.transition(State.WAITING, State.RUNNING);
            if (removed) settle(w);
        }
        if (!removed) return null;
        life.completeCancelled(r);
        return r.state() == State.CANCELLED ? CancelOutcome.CANCELED : CancelOutcome.NOT_CANCELED;
    }

    private void pollLoop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(EpollEvent.LAYOUT, BATCH);
            List<Request> done = new ArrayList<>();
            while (!closed) {
                int n = HostIo.epollWait(epfd, events, BATCH, -1);
                for (int i = 0; i < n; i++) {
                    long data = EpollEvent.data(events, i);
                    if (data == WAKE) {
                        HostIo.readEventfd(wakeFd);
                        continue;
                    }
                    Waiters w = byOwnFd.get((int) data);
                    if (w != null) resume(w, EpollEvent.events(events, i), done);
                }
                for (Request r : done) life.complete(r, r.result, CompletionPath.CONTINUATION);
                done.clear();
            }
        }
    }

    /**
     * Retries what readiness allows, collecting finished requests in {@code done} with their
     * host result parked in {@link Request#result} (delivered after the lock is dropped, so a
     * sink never runs under it).
     */
    private void resume(Waiters w, int ready, List<Request> done) {
        synchronized (w) {
            if (w.retired) return;
            // Polls first: on Linux a poll completes in the wakeup itself, so it sees the readiness
            // that a waiting read is about to consume.
            if (!w.polls.isEmpty() && !resumePolls(w, done)) stats.spuriousWakeups.increment();
            boolean any = (ready & (POLLERR | POLLHUP)) != 0;
            if (any || (ready & (EPOLLIN | EPOLLRDHUP)) != 0) drain(w, w.reads, done);
            if (any || (ready & EPOLLOUT) != 0) drain(w, w.writes, done);
            settle(w);
        }
    }

    private void drain(Waiters w, ArrayDeque<Request> q, List<Request> done) {
        boolean first = true;
        while (!q.isEmpty()) {
            Request r = q.peek();
            if (!r.transition(State.WAITING, State.RUNNING)) {   // defensive: only cancel removes from queues
                q.poll();
                continue;
            }
            long n = HostOps.attempt(r, w.ownFd, w.kind);
            if (HostOps.wouldBlock(n)) {
                r.setState(State.WAITING);
                if (first) stats.spuriousWakeups.increment();
                return;
            }
            first = false;
            if (n > 0 && r.op.isWrite() && r.has(Request.Option.WRITE_ALL) && r.progress + n < r.length()) {
                r.progress += n;       // a blocking socket's write completes only when all is sent
                r.setState(State.WAITING);
                continue;
            }
            q.poll();
            r.result = n;
            done.add(r);
        }
    }

    /** Completes the polls of w that the file's readiness now wakes; false if none. Caller holds w. */
    private boolean resumePolls(Waiters w, List<Request> done) {
        int revents = HostIo.pollOne(w.ownFd, (short) PollWakeup.ALL, 0);
        boolean any = false;
        for (var it = w.polls.iterator(); it.hasNext(); ) {
            Request p = it.next();
            int result = revents < 0 ? revents : PollWakeup.result(w.kind, p.pollEvents, p.readyAtPark, revents);
            if (result == 0) continue;
            if (!p.transition(State.WAITING, State.RUNNING)) continue;
            it.remove();
            p.result = result;
            done.add(p);
            any = true;
        }
        return any;
    }

    /** Re-arms for what still waits, or retires the entry when nothing does. Caller holds w. */
    private void settle(Waiters w) {
        if (w.isEmpty()) retire(w);
        else arm(w);
    }

    private int arm(Waiters w) {
        int op = w.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
        int rc = HostIo.epollCtl(epfd, op, w.ownFd, w.interest(), w.ownFd);
        if (rc == 0) w.registered = true;
        return rc;
    }

    private void retire(Waiters w) {
        w.retired = true;
        byFile.remove(w.key, w);
        socketPolls.remove(w);
        byOwnFd.remove(w.ownFd, w);
        if (w.registered) HostIo.epollCtl(epfd, EPOLL_CTL_DEL, w.ownFd, 0, 0);
        HostIo.close(w.ownFd);
    }

    /** Requests currently waiting for readiness (for tests and stats). */
    int waiting() {
        int n = 0;
        for (Waiters w : byFile.values()) {
            synchronized (w) {
                n += w.reads.size() + w.writes.size() + w.polls.size();
            }
        }
        return n;
    }

    @Override
    public void close() {
        closed = true;
        HostIo.writeEventfd(wakeFd, 1);
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        HostIo.close(epfd);
        HostIo.close(wakeFd);
    }
}
