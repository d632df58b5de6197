package org.aioemu.core.host;

/** A failed host call, for the rare paths where an errno is better thrown than returned. */
public final class HostException extends Exception {
    private final String call;
    private final int errno;

    public HostException(String call, int errno) {
        super(call + ": " + HostErrno.describe(errno) + " (" + HostErrno.name(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    /** Throws if {@code rc} is a {@link HostIo} failure (a negative errno). */
    public static void check(String call, long rc) throws HostException {
        if (rc < 0) throw new HostException(call, (int) -rc);
    }

    /** The positive host errno. */
    public int errno() {
        return errno;
    }

    public String call() {
        return call;
    }
}
