package org.aioemu.freebsd;

/**
 * What an emulated signal handler is told ({@code siginfo_t} as a handler installed with SA_SIGINFO
 * sees it): the signal, why it was sent ({@code si_code}: SI_ASYNCIO for AIO completions,
 * SI_KERNEL for the SIGPIPE of a failed socket write), {@code si_value} (the request's
 * {@code sigev_value}), and the thread it was aimed at (SIGEV_THREAD_ID), or 0 for the process.
 */
public record FreeBsdSigInfo(int signo, int code, long value, int targetLwpid) {
    /** si_value.sival_int. */
    public int valueInt() {
        return (int) value;
    }
}
