package org.aioemu.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.EV_EOF;

import org.aioemu.core.Request;
import org.aioemu.core.host.FdInfo;

/**
 * One queued AIO job (the kernel's {@code struct kaiocb}): the program's aiocb address that names
 * it, the kernel's copy of the aiocb, its private status/error (what aio_error/aio_return read:
 * the program's own copy is written only at submission and at reaping), its core request, its
 * knote and its one signal (the token under which the signal is queued).
 */
final class FreeBsdJob implements FreeBsdKnote.Filter {
    final FreeBsdAioState state;
    final long ujob;
    final FreeBsdAiocb.Value cb;
    final int opcode;
    final FreeBsdLioJob lio;
    final FreeBsdFileType type;
    final FdInfo info;          // the file as probed at submission (null for aio_mlock)
    final Object ksi = new Object();
    Request request;
    FreeBsdKnote knote;
    /** aio_mlock's outcome (mlock runs at submission; the job then completes through the core). */
    long mlockResult;

    // The kernel copy of _aiocb_private; written under state.lock, read by filt_aio under the kqueue's lock.
    volatile long status = -1;
    volatile int error = FreeBsdErrno.EINPROGRESS;
    volatile boolean finished;
    // guarded by state.lock
    boolean queueing = true;     // KAIOCB_QUEUEING: a completion now is noted, its notification deferred
    boolean cancelFlagged;       // KAIOCB_CANCELLED
    long doneOrder;
    int msgsnd;
    int msgrcv;

    FreeBsdJob(FreeBsdAioState state, long ujob, FreeBsdAiocb.Value cb, int opcode,
               FreeBsdLioJob lio, FreeBsdFileType type, FdInfo info) {
        this.state = state;
        this.ujob = ujob;
        this.cb = cb;
        this.opcode = opcode;
        this.lio = lio;
        this.type = type;
        this.info = info;
    }

    /** filt_aio: data is the job's error; the event fires, with EV_EOF, once the job has finished. */
    @Override
    public boolean event(FreeBsdKnote kn) {
        kn.data = error;
        if (!finished) return false;
        kn.flags |= EV_EOF;
        return true;
    }

    boolean isWrite() {
        return (opcode & FreeBsdAioConstants.LIO_WRITE) != 0 && (opcode & FreeBsdAioConstants.LIO_SYNC) == 0;
    }

    @Override
    public String toString() {
        return "FreeBsdJob[aiocb=0x" + Long.toHexString(ujob) + " op=" + opcode + " fd=" + cb.fildes()
                + (finished ? " status=" + status + " error=" + error : " in progress") + "]";
    }
}
