package org.aioemu.freebsd;

/**
 * One registered event on an emulated kqueue: EVFILT_AIO for a job (ident = the aiocb's address)
 * or EVFILT_LIO for a lio_listio batch (ident = the list's address). The kernel registers it; the
 * filter decides whether it is active; it lives until its job or batch is freed.
 */
final class FreeBsdKnote {
    /** A knote's filter routine (filt_aio, filt_lio): fills in data/flags and says if the event is active. */
    interface Filter {
        boolean event(FreeBsdKnote kn);
    }

    final FreeBsdKqueue kq;
    final long ident;
    final short filter;
    final Filter source;
    // guarded by kq.lock
    int flags;
    int fflags;
    long data;
    long udata;
    boolean active;
    boolean queued;
    boolean disabled;
    boolean dropped;

    FreeBsdKnote(FreeBsdKqueue kq, long ident, short filter, int flags, long udata, Filter source) {
        this.kq = kq;
        this.ident = ident;
        this.filter = filter;
        this.flags = flags;
        this.udata = udata;
        this.source = source;
    }

    FreeBsdKevent.Value snapshot() {
        return new FreeBsdKevent.Value(ident, filter, flags, fflags, data, udata);
    }
}
