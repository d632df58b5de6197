package org.aioemu.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.EV_ERROR;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_RECEIPT;
import static org.aioemu.freebsd.FreeBsdAioConstants.EV_SYSFLAGS;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * kevent(2) on an emulated kqueue (sys_kevent, kqueue_kevent, kqueue_scan): the timeout is copied
 * in first (EFAULT); a descriptor that is not a kqueue is EBADF; negative counts are EINVAL. Each
 * change has its system flags stripped, then is applied; a failed change (or one with EV_RECEIPT)
 * becomes an EV_ERROR event with the errno in data while there is room in the event list, else
 * the call fails with it; with any such event the call returns their count without scanning.
 * Then it waits for events up to the timeout (a bad timespec is EINVAL; {0, 0} polls; a signal is
 * EINTR) and copies them out (EFAULT).
 */
final class FreeBsdKeventCall {
    private final FreeBsdAioProcess proc;

    FreeBsdKeventCall(FreeBsdAioProcess proc) {
        this.proc = proc;
    }

    /** The number of events stored, or -errno. */
    int kevent(int kqfd, long changelist, int nchanges, long eventlist, int nevents, long timeout) {
        FreeBsdTimespec.Value ts = null;
        if (timeout != 0) {
            MemorySegment t = FreeBsdUserMemory.copyin(timeout, FreeBsdTimespec.SIZE);
            if (t == null) return -FreeBsdErrno.EFAULT;
            ts = FreeBsdTimespec.read(t);
        }
        FreeBsdKqueue kq = proc.kqueues().lookup(kqfd);
        if (kq == null) return -FreeBsdErrno.EBADF;
        if (nchanges < 0 || nevents < 0) return -FreeBsdErrno.EINVAL;

        int errors = 0;
        if (nchanges > 0) {
            MemorySegment changes = FreeBsdUserMemory.copyinKept(changelist, nchanges * FreeBsdKevent.SIZE);
            if (changes == null) return -FreeBsdErrno.EFAULT;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment one = arena.allocate(FreeBsdKevent.LAYOUT);
                for (int i = 0; i < nchanges; i++) {
                    FreeBsdKevent.Value kev = FreeBsdKevent.read(changes, i);
                    if (kev.filter() == 0) continue;
                    kev = new FreeBsdKevent.Value(kev.ident(), kev.filter(), kev.flags() & ~EV_SYSFLAGS, kev.fflags(),
                            kev.data(), kev.udata());
                    int error = kq.register(kev);
                    if (error == 0 && (kev.flags() & EV_RECEIPT) == 0) continue;
                    if (nevents == 0) return -error;
                    FreeBsdKevent.write(one, 0, new FreeBsdKevent.Value(kev.ident(), kev.filter(), EV_ERROR,
                            kev.fflags(), error, kev.udata()));
                    if (FreeBsdUserMemory.copyout(one, eventlist + errors * FreeBsdKevent.SIZE) != 0) return -FreeBsdErrno.EFAULT;
                    errors++;
                    nevents--;
                }
            }
        }
        if (errors > 0) return errors;
        if (nevents == 0) return 0;

        long timeoutNanos = -1;
        if (ts != null) {
            if (!ts.valid()) return -FreeBsdErrno.EINVAL;
            timeoutNanos = ts.nanos();
        }
        List<FreeBsdKevent.Value> out = new ArrayList<>();
        int n = kq.scan(nevents, out, timeoutNanos, proc.signals());
        if (n <= 0) return n;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(FreeBsdKevent.LAYOUT, n);
            for (int i = 0; i < n; i++) FreeBsdKevent.write(events, i, out.get(i));
            if (FreeBsdUserMemory.copyout(events, eventlist) != 0) return -FreeBsdErrno.EFAULT;
        }
        return n;
    }
}
