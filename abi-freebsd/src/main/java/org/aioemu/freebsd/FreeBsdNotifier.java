package org.aioemu.freebsd;

import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_SIGNAL;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_THREAD;
import static org.aioemu.freebsd.FreeBsdAioConstants.SIGEV_THREAD_ID;
import static org.aioemu.freebsd.FreeBsdAioConstants.SI_ASYNCIO;

/**
 * aio_sendsig(): sends the signal a sigevent asks for, queued under the job's (or batch's) own
 * token, with si_code SI_ASYNCIO and si_value = sigev_value. SIGEV_THREAD goes to librt's service
 * thread instead. SIGEV_NONE and SIGEV_KEVENT send nothing here.
 */
final class FreeBsdNotifier {
    private final FreeBsdAioProcess proc;

    FreeBsdNotifier(FreeBsdAioProcess proc) {
        this.proc = proc;
    }

    /** {@code id} is what librt passes as the callback's second argument (the aiocb, or the list). */
    void send(FreeBsdSigevent.Value sev, Object token, long id) {
        switch (sev.sigevNotify()) {
            case SIGEV_SIGNAL -> proc.signalTarget().post(new FreeBsdSigInfo(sev.signo(), SI_ASYNCIO, sev.value(), 0), token);
            case SIGEV_THREAD_ID -> proc.signalTarget().post(new FreeBsdSigInfo(sev.signo(), SI_ASYNCIO, sev.value(), sev.threadId()), token);
            case SIGEV_THREAD -> proc.sigevThreads().post(sev.function(), sev.value(), id, token);
            default -> { }
        }
    }

    /** Takes back a notification not yet delivered (its job or batch was freed). */
    void withdraw(Object token) {
        proc.signalTarget().withdraw(token);
        proc.sigevThreads().withdraw(token);
    }

    static boolean sendsSignal(FreeBsdSigevent.Value sev) {
        int n = sev.sigevNotify();
        return n == SIGEV_SIGNAL || n == SIGEV_THREAD_ID || n == SIGEV_THREAD;
    }
}
