package org.aioemu.freebsd;

/**
 * The FreeBSD amd64 values the AIO ABI speaks, from {@code sys/sys/aio.h}, {@code sys/sys/signal.h},
 * {@code sys/sys/event.h} and {@code sys/sys/fcntl.h} (FreeBSD 14). They differ from glibc's
 * (FreeBSD LIO_READ is 2, glibc's 0; FreeBSD AIO_CANCELED is 1, glibc's 0): a program compiled
 * against FreeBSD headers passes these.
 */
public final class FreeBsdAioConstants {
    private FreeBsdAioConstants() {}

    // <aio.h>: aio_cancel results
    public static final int AIO_CANCELED = 1;
    public static final int AIO_NOTCANCELED = 2;
    public static final int AIO_ALLDONE = 3;

    // <aio.h>: aio_lio_opcode; LIO_SYNC/LIO_DSYNC/LIO_MLOCK are what aio_fsync and aio_mlock queue
    public static final int LIO_NOP = 0x0;
    public static final int LIO_WRITE = 0x1;
    public static final int LIO_READ = 0x2;
    public static final int LIO_VECTORED = 0x4;
    public static final int LIO_WRITEV = LIO_WRITE | LIO_VECTORED;
    public static final int LIO_READV = LIO_READ | LIO_VECTORED;
    public static final int LIO_SYNC = 0x8;
    public static final int LIO_DSYNC = 0x10 | LIO_SYNC;
    public static final int LIO_MLOCK = 0x20;

    // <aio.h>: lio_listio modes
    public static final int LIO_NOWAIT = 0x0;
    public static final int LIO_WAIT = 0x1;

    /** The header's AIO_LISTIO_MAX; the kernel enforces vfs.aio.max_aio_queue_per_proc instead. */
    public static final int AIO_LISTIO_MAX = 16;

    // <sys/signal.h>: sigev_notify
    public static final int SIGEV_NONE = 0;
    public static final int SIGEV_SIGNAL = 1;
    public static final int SIGEV_THREAD = 2;
    public static final int SIGEV_KEVENT = 3;
    public static final int SIGEV_THREAD_ID = 4;

    // <sys/signal.h>: si_code values
    public static final int SI_NOINFO = 0;
    public static final int SI_USER = 0x10001;
    public static final int SI_QUEUE = 0x10002;
    public static final int SI_TIMER = 0x10003;
    public static final int SI_ASYNCIO = 0x10004;
    public static final int SI_MESGQ = 0x10005;
    public static final int SI_KERNEL = 0x10006;

    // <sys/signal.h>: signal numbers the ABI itself sends or names; _SIG_MAXSIG bounds _SIG_VALID
    public static final int SIGPIPE = 13;
    public static final int SIGURG = 16;
    public static final int SIGCHLD = 20;
    public static final int SIGIO = 23;
    public static final int SIGWINCH = 28;
    public static final int SIGINFO = 29;
    public static final int SIGUSR1 = 30;
    public static final int SIGUSR2 = 31;
    public static final int SIGTHR = 32;
    public static final int SIGLIBRT = 33;
    public static final int SIGRTMIN = 65;
    public static final int SIGRTMAX = 126;
    public static final int SIG_MAXSIG = 128;

    // <sys/signal.h>: sigaction flags
    public static final int SA_ONSTACK = 0x0001;
    public static final int SA_RESTART = 0x0002;
    public static final int SA_RESETHAND = 0x0004;
    public static final int SA_NODEFER = 0x0010;
    public static final int SA_SIGINFO = 0x0040;

    // <sys/signal.h>: sigprocmask how
    public static final int SIG_BLOCK = 1;
    public static final int SIG_UNBLOCK = 2;
    public static final int SIG_SETMASK = 3;

    // <sys/event.h>: filters and flags
    public static final short EVFILT_READ = -1;
    public static final short EVFILT_WRITE = -2;
    public static final short EVFILT_AIO = -3;
    public static final short EVFILT_LIO = -10;
    public static final int EV_ADD = 0x0001;
    public static final int EV_DELETE = 0x0002;
    public static final int EV_ENABLE = 0x0004;
    public static final int EV_DISABLE = 0x0008;
    public static final int EV_FORCEONESHOT = 0x0100;
    public static final int EV_ONESHOT = 0x0010;
    public static final int EV_CLEAR = 0x0020;
    public static final int EV_RECEIPT = 0x0040;
    public static final int EV_DISPATCH = 0x0080;
    public static final int EV_SYSFLAGS = 0xF000;
    public static final int EV_DROP = 0x1000;
    public static final int EV_FLAG1 = 0x2000;
    public static final int EV_ERROR = 0x4000;
    public static final int EV_EOF = 0x8000;

    // <sys/fcntl.h>: aio_fsync ops
    public static final int O_SYNC = 0x0080;
    public static final int O_FSYNC = O_SYNC;
    public static final int O_DSYNC = 0x01000000;

    // <sys/uio.h>, <sys/limits.h>: the iovec count limit and the largest single transfer
    public static final int UIO_MAXIOV = 1024;
    public static final long SSIZE_MAX = Long.MAX_VALUE;
    public static final long INT_MAX = Integer.MAX_VALUE;

    /** kern.hz: sysctl tunables in ticks (aiod_lifetime) convert with it. */
    public static final int HZ = 1000;

    /** _POSIX_ASYNCHRONOUS_IO as FreeBSD's p1003_1b.asynchronous_io reports it. */
    public static final long POSIX_ASYNCHRONOUS_IO = 200112L;
}
