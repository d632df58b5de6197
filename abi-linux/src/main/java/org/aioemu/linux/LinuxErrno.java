package org.aioemu.linux;

import org.aioemu.core.AioError;

/**
 * The one table from the core's neutral errors to Linux x86_64 errno numbers, read by name from
 * jnr-constants' Linux table. The calls return these negated, as the kernel ABI does.
 */
public final class LinuxErrno {
    private LinuxErrno() {}

    private static final int[] BY_ERROR = new int[AioError.values().length];

    static {
        for (AioError e : AioError.values()) {
            BY_ERROR[e.ordinal()] = jnr.constants.platform.linux.Errno.valueOf(e.name()).intValue();
        }
    }

    public static int of(AioError e) {
        return BY_ERROR[e.ordinal()];
    }

    public static final int EPERM = of(AioError.EPERM);
    public static final int EINTR = of(AioError.EINTR);
    public static final int EBADF = of(AioError.EBADF);
    public static final int EAGAIN = of(AioError.EAGAIN);
    public static final int EFAULT = of(AioError.EFAULT);
    public static final int EINVAL = of(AioError.EINVAL);
    public static final int ENOMEM = of(AioError.ENOMEM);
    public static final int ENOSYS = of(AioError.ENOSYS);
    public static final int EOPNOTSUPP = of(AioError.EOPNOTSUPP);
    public static final int EINPROGRESS = of(AioError.EINPROGRESS);
    public static final int ECANCELED = of(AioError.ECANCELED);
}
