package org.aioemu.core;

import org.aioemu.core.host.HostErrno;

/**
 * The core's neutral error names. The core never speaks a number: each ABI maps these names to its
 * own errno values (Linux EAGAIN = 11, FreeBSD EAGAIN = 35) in one table of its own.
 */
public enum AioError {
    EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, EBADF, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY,
    EEXIST, EXDEV, ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE, ENOTTY, ETXTBSY, EFBIG, ENOSPC,
    ESPIPE, EROFS, EMLINK, EPIPE, EDOM, ERANGE, EDEADLK, ENAMETOOLONG, ENOLCK, ENOSYS, ENOTEMPTY,
    ELOOP, EOVERFLOW, EDQUOT, ENOTSOCK, EDESTADDRREQ, EMSGSIZE, EPROTOTYPE, ENOPROTOOPT,
    EOPNOTSUPP, EAFNOSUPPORT, EADDRINUSE, EADDRNOTAVAIL, ENETDOWN, ENETUNREACH, ECONNABORTED,
    ECONNRESET, ENOBUFS, EISCONN, ENOTCONN, ESHUTDOWN, ETIMEDOUT, ECONNREFUSED, EHOSTUNREACH,
    EALREADY, EINPROGRESS, ECANCELED, ESTALE;

    private static final AioError[] BY_HOST_ERRNO = new AioError[256];

    static {
        for (AioError e : values()) {
            int n = HostErrno.number(e.name());
            if (n > 0 && n < BY_HOST_ERRNO.length && BY_HOST_ERRNO[n] == null) BY_HOST_ERRNO[n] = e;
        }
    }

    /**
     * Names a host (Linux) errno. An errno with no neutral name becomes EIO: the request failed,
     * and an ABI must still be able to report it with a number of its own.
     */
    public static AioError fromHost(int hostErrno) {
        int n = Math.abs(hostErrno);
        AioError e = n < BY_HOST_ERRNO.length ? BY_HOST_ERRNO[n] : null;
        return e != null ? e : EIO;
    }
}
