package org.aioemu.freebsd;

import jnr.constants.platform.freebsd.Errno;
import org.aioemu.core.AioError;
import org.aioemu.core.host.HostErrno;

/**
 * The one table from the core's neutral errors to FreeBSD's numbers (built by name from
 * jnr-constants' FreeBSD Errno: EAGAIN is 35 there, 11 on the host), and the emulated
 * {@code errno}: one per calling thread, as libc keeps it, set by every call that returns -1.
 */
public final class FreeBsdErrno {
    private FreeBsdErrno() {}

    private static final int[] BY_ERROR = new int[AioError.values().length];
    /** FreeBSD number -> the host's number for the same name, or 0 where the host has none (ENOTCAPABLE, EDOOFUS). */
    private static final int[] TO_HOST = new int[256];

    static {
        for (AioError e : AioError.values()) {
            Errno f = Errno.valueOf(e.name());
            if (!f.defined()) throw new ExceptionInInitializerError("FreeBSD has no " + e);
            BY_ERROR[e.ordinal()] = f.intValue();
        }
        for (Errno e : Errno.values()) {
            int host = HostErrno.number(e.name());
            if (e.defined() && e.intValue() > 0 && e.intValue() < TO_HOST.length && host > 0 && TO_HOST[e.intValue()] == 0) {
                TO_HOST[e.intValue()] = host;
            }
        }
    }

    public static final int EPERM = number("EPERM");
    public static final int ENOENT = number("ENOENT");
    public static final int ESRCH = number("ESRCH");
    public static final int EINTR = number("EINTR");
    public static final int EIO = number("EIO");
    public static final int EBADF = number("EBADF");
    public static final int ENOMEM = number("ENOMEM");
    public static final int EFAULT = number("EFAULT");
    public static final int EINVAL = number("EINVAL");
    public static final int ESPIPE = number("ESPIPE");
    public static final int EPIPE = number("EPIPE");
    public static final int EAGAIN = number("EAGAIN");
    public static final int EWOULDBLOCK = EAGAIN;
    public static final int EINPROGRESS = number("EINPROGRESS");
    public static final int EOPNOTSUPP = number("EOPNOTSUPP");
    public static final int ETIMEDOUT = number("ETIMEDOUT");
    public static final int ECANCELED = number("ECANCELED");

    /** FreeBSD's number for a neutral error. */
    public static int of(AioError e) {
        return BY_ERROR[e.ordinal()];
    }

    /** FreeBSD's number for a host (Linux) errno, either sign, as {@link org.aioemu.core.host.HostIo} returns it. */
    public static int fromHost(long hostErrno) {
        return of(AioError.fromHost((int) Math.abs(hostErrno)));
    }

    /**
     * The host's (Linux's) number for a FreeBSD errno, by name: FreeBSD EAGAIN 35 is the host's 11,
     * EINPROGRESS 36 is 115, ECANCELED 85 is 125; 0 for a name the host lacks.
     */
    public static int toHost(int freebsdErrno) {
        return freebsdErrno > 0 && freebsdErrno < TO_HOST.length ? TO_HOST[freebsdErrno] : 0;
    }

    /** FreeBSD's number for an errno name ("EAGAIN", "ENOTSUP", ...). */
    public static int number(String name) {
        return Errno.valueOf(name).intValue();
    }

    private static final ThreadLocal<int[]> ERRNO = ThreadLocal.withInitial(() -> new int[1]);

    /** The calling thread's emulated errno. */
    public static int get() {
        return ERRNO.get()[0];
    }

    static void set(int errno) {
        ERRNO.get()[0] = errno;
    }
}
