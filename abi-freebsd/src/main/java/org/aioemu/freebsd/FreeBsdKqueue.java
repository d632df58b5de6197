package org.aioemu.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.EVFILT_AIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.EVFILT_LIO;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_ADD;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_CLEAR;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_DELETE;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_DISABLE;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_DISPATCH;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_ENABLE;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_ONESHOT;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An emulated kqueue carrying the AIO filters (sys/kern/kern_event.c semantics for them):
 * knotes are attached by the kernel only (a program cannot add EVFILT_AIO/EVFILT_LIO itself:
 * EPERM), an active knote is queued once, and a scan reports it with its flags: a plain knote
 * stays active and is reported by every kevent() until its job is reaped, EV_ONESHOT ones are
 * deleted when reported, EV_CLEAR ones reset, EV_DISPATCH ones disable themselves.
 *
 * <p>The descriptor is the read end of a host pipe the emulator keeps open: it gives the kqueue
 * a real fd number no other open can take, and lets a close() by the program be noticed (the
 * number then no longer names that pipe).
 */
final class FreeBsdKqueue {
    private record Key(long ident, short filter) {}

    final int fd;
    private final long dev;
    private final long ino;
    private final int keepFd;
    final ReentrantLock lock = new ReentrantLock();
    private final FreeBsdWaitChannel channel = new FreeBsdWaitChannel();
    private final Map<Key, FreeBsdKnote> knotes = new HashMap<>();
    private final ArrayDeque<FreeBsdKnote> queue = new ArrayDeque<>();
    private boolean closed;

    FreeBsdKqueue(int fd, long dev, long ino, int keepFd) {
        this.fd = fd;
        this.dev = dev;
        this.ino = ino;
        this.keepFd = keepFd;
    }

    boolean sameFile(long dev, long ino) {
        return this.dev == dev && this.ino == ino;
    }

    int keepFd() {
        return keepFd;
    }

    // ---- the kernel's side: registration from aio_aqueue / lio_listio, activation, deletion -----

    /**
     * kqfd_register with EV_FLAG1: attaches a knote for a job or batch. If (ident, filter) is
     * already registered the existing knote is only updated, as kqueue_register does, and null is
     * returned (the new job gets no knote of its own).
     */
    FreeBsdKnote attach(long ident, short filter, int userFlags, long udata, FreeBsdKnote.Filter source) {
        lock.lock();
        try {
            if (closed) return null;
            Key key = new Key(ident, filter);
            FreeBsdKnote old = knotes.get(key);
            if (old != null) {
                old.udata = udata;
                return null;
            }
            FreeBsdKnote kn = new FreeBsdKnote(this, ident, filter, userFlags, udata, source);
            knotes.put(key, kn);
            if (source.event(kn)) activateLocked(kn);
            return kn;
        } finally {
            lock.unlock();
        }
    }

    /** KNOTE(): the source changed; if its filter says so the knote becomes active and is queued. */
    void activate(FreeBsdKnote kn) {
        lock.lock();
        try {
            if (!kn.dropped && kn.source.event(kn)) activateLocked(kn);
        } finally {
            lock.unlock();
        }
    }

    private void activateLocked(FreeBsdKnote kn) {
        kn.active = true;
        if (!kn.queued && !kn.disabled) {
            kn.queued = true;
            queue.add(kn);
            channel.wakeup();
        }
    }

    /** knlist_delete(): the job or batch is freed; its knote goes, reported or not. */
    void drop(FreeBsdKnote kn) {
        lock.lock();
        try {
            dropLocked(kn);
        } finally {
            lock.unlock();
        }
    }

    private void dropLocked(FreeBsdKnote kn) {
        if (kn.dropped) return;
        kn.dropped = true;
        knotes.remove(new Key(kn.ident, kn.filter), kn);
        if (kn.queued) {
            queue.remove(kn);
            kn.queued = false;
        }
    }

    /** The program closed the kqueue: every knote goes, sleepers wake (and see EBADF). */
    void close() {
        lock.lock();
        try {
            closed = true;
            for (FreeBsdKnote kn : List.copyOf(knotes.values())) dropLocked(kn);
            channel.wakeup();
        } finally {
            lock.unlock();
        }
    }

    // ---- the program's side: kevent() --------------------------------------------------------

    /** One change from the changelist (flags already stripped of EV_SYSFLAGS): 0 or an errno. */
    int register(FreeBsdKevent.Value kev) {
        lock.lock();
        try {
            if (closed) return FreeBsdErrno.EBADF;
            short filter = kev.filter();
            if (filter != EVFILT_AIO && filter != EVFILT_LIO) return FreeBsdErrno.EINVAL;   // only the AIO filters are emulated
            FreeBsdKnote kn = knotes.get(new Key(kev.ident(), filter));
            int flags = kev.flags();
            if (kn == null) {
                // A new AIO/LIO knote needs the kernel-only EV_FLAG1, which kevent() strips: filt_aioattach says EPERM.
                if ((flags & EV_ADD) != 0) return FreeBsdErrno.EPERM;
                return FreeBsdErrno.ENOENT;
            }
            if ((flags & EV_DELETE) != 0) {
                dropLocked(kn);
                return 0;
            }
            if ((flags & EV_ADD) != 0) kn.udata = kev.udata();
            if ((flags & EV_ENABLE) != 0) kn.disabled = false;
            else if ((flags & EV_DISABLE) != 0) kn.disabled = true;
            if (!kn.disabled && kn.source.event(kn)) activateLocked(kn);
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * kqueue_scan(): waits until an event is active or the deadline passes (0: poll once; -1: no
     * deadline), then reports up to {@code max} into {@code out}. Returns the count (0 on timeout)
     * or -errno (EINTR for a signal; kevent is never restarted; EBADF if the kqueue was closed).
     */
    int scan(int max, List<FreeBsdKevent.Value> out, long timeoutNanos, FreeBsdSignals signals) {
        lock.lock();
        try {
            long end = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
            while (queue.isEmpty()) {
                if (closed) return -FreeBsdErrno.EBADF;
                long left = end - System.nanoTime();
                if (timeoutNanos == 0 || left <= 0) return 0;
                int rc = channel.msleep(lock, signals, end == Long.MAX_VALUE ? 0 : left);
                if (rc == FreeBsdWaitChannel.ERESTART || rc == FreeBsdErrno.EINTR) return -FreeBsdErrno.EINTR;
            }
            // One pass over what is queued now (the kernel's marker): a re-queued knote is not reported twice.
            int passes = queue.size();
            while (passes-- > 0 && out.size() < max) {
                FreeBsdKnote kn = queue.poll();
                kn.queued = false;
                if (kn.disabled) continue;
                if ((kn.flags & EV_ONESHOT) != 0) {
                    out.add(kn.snapshot());
                    dropLocked(kn);
                    continue;
                }
                if (!kn.source.event(kn)) {
                    kn.active = false;
                    continue;
                }
                out.add(kn.snapshot());
                if ((kn.flags & EV_CLEAR) != 0) {
                    kn.data = 0;
                    kn.fflags = 0;
                }
                if ((kn.flags & EV_DISPATCH) != 0) kn.disabled = true;
                if ((kn.flags & (EV_CLEAR | EV_DISPATCH)) != 0) {
                    kn.active = false;
                } else {
                    kn.queued = true;   // level-triggered: still active, reported again next time
                    queue.add(kn);
                }
            }
            return out.size();
        } finally {
            lock.unlock();
        }
    }

}
