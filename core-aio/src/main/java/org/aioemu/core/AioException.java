package org.aioemu.core;

/**
 * A request refused at submission (limit reached, bad fd, process exiting). Refusals are an
 * expected answer, not a bug, so the exception carries no stack trace, like the JDK's
 * UnixException: the ABI turns it into its own errno at once.
 */
public final class AioException extends Exception {
    private final AioError error;

    public AioException(AioError error, String message) {
        super(error + ": " + message, null, false, false);
        this.error = error;
    }

    public AioError error() {
        return error;
    }
}
