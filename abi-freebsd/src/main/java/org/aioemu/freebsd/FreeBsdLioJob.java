package org.aioemu.freebsd;

/**
 * One lio_listio batch (the kernel's {@code struct aioliojob}): how many of its entries were
 * queued and how many finished, and its list notification, sent once when every queued entry has
 * finished. It lives until its last entry is reaped (or, if none was queued, until lio_listio
 * returns), and its EVFILT_LIO knote with it.
 */
final class FreeBsdLioJob implements FreeBsdKnote.Filter {
    final long list;                  // the program's aiocb pointer array: EVFILT_LIO's ident
    final FreeBsdSigevent.Value signal;
    final Object ksi = new Object();
    // guarded by the state's lock
    int count;                        // queued entries, +1 while lio_listio is still queueing
    int finished;
    boolean signalWanted;             // LIOJ_SIGNAL
    boolean signalPosted;             // LIOJ_SIGNAL_POSTED
    boolean signalWithdrawable;       // posted as the lio's own ksiginfo (taken back when the lio is freed)
    volatile boolean keventPosted;    // LIOJ_KEVENT_POSTED
    FreeBsdKnote knote;

    FreeBsdLioJob(long list, FreeBsdSigevent.Value signal) {
        this.list = list;
        this.signal = signal;
    }

    /** filt_lio: fires once the batch's notification has been posted; stays active until the lio is freed. */
    @Override
    public boolean event(FreeBsdKnote kn) {
        return keventPosted;
    }
}
