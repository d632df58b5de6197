package org.aioemu.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.LIO_MLOCK;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGPIPE;
import static org.aioemu.freebsd.FreeBsdAioConstants.SI_KERNEL;

import org.aioemu.core.CompletionSink;
import org.aioemu.core.Request;
import org.aioemu.core.host.IoVec;

/**
 * The core's completion of a FreeBSD job, turned into the job's status and error as FreeBSD's
 * aio_complete would store them (count and 0, or -1 and the FreeBSD errno), then handed to the
 * job's process state. Two FreeBSD rules the host does not follow are applied here: a file write
 * that stopped short because its source ran into unmapped memory fails with EFAULT (Linux returns
 * the short count; uiomove fails the whole transfer), and a socket write that failed with EPIPE
 * sends SIGPIPE to the process (the core writes with MSG_NOSIGNAL, so the host sends none).
 */
final class FreeBsdCompletion implements CompletionSink {
    @Override
    public void completed(Request r) {
        FreeBsdJob job = (FreeBsdJob) r.attachment();
        long status;
        int error;
        if (job.opcode == LIO_MLOCK) {
            status = job.mlockResult < 0 ? -1 : 0;
            error = job.mlockResult < 0 ? FreeBsdErrno.fromHost(job.mlockResult) : 0;
        } else if (r.error() != null) {
            status = -1;
            error = FreeBsdErrno.of(r.error());
        } else {
            status = r.result();
            error = 0;
            if (faultedShort(job, r)) {
                status = -1;
                error = FreeBsdErrno.EFAULT;
            }
        }
        if (job.type == FreeBsdFileType.SOCKET && status > 0) {
            if (job.isWrite()) job.msgsnd = 1;
            else job.msgrcv = 1;   // soaio counts a completed request as one message
        }
        if (job.type == FreeBsdFileType.SOCKET && job.isWrite() && error == FreeBsdErrno.EPIPE && !r.process().inRundown()) {
            job.state.proc.signalTarget().post(new FreeBsdSigInfo(SIGPIPE, SI_KERNEL, 0, 0), null);
        }
        job.state.complete(job, status, error);
    }

    /** A file write that moved fewer bytes than asked because the next source byte cannot be read. */
    private static boolean faultedShort(FreeBsdJob job, Request r) {
        if (!job.isWrite() || !job.type.hasVnode()) return false;
        long asked = r.op().isVectored() ? IoVec.totalLength(r.buffer(), r.iovcnt()) : r.buffer().byteSize();
        long moved = r.result();
        if (moved >= asked) return false;
        return !FreeBsdUserMemory.readable(sourceAddress(r, moved));
    }

    private static long sourceAddress(Request r, long moved) {
        if (!r.op().isVectored()) return r.buffer().address() + moved;
        long skip = moved;
        for (int i = 0; i < r.iovcnt(); i++) {
            long len = IoVec.len(r.buffer(), i);
            if (skip < len) return IoVec.base(r.buffer(), i) + skip;
            skip -= len;
        }
        return 0;
    }
}
