package org.aioemu.conformance.linux.differential;

/**
 * A file descriptor of the sequence's fixtures, by role; each world opens its own and
 * {@link Fixtures#fd(FdRef)} gives the number there.
 */
public enum FdRef {
    /** the regular file, O_RDWR */
    FILE("file"),
    /** the same file, O_RDONLY */
    FILE_RO("file"),
    /** the same file, O_WRONLY|O_APPEND */
    FILE_APPEND("file"),
    /** the fixture directory, O_RDONLY|O_DIRECTORY */
    DIR("dir"),
    /** the regular file, O_PATH (no I/O at all: EBADF) */
    OPATH(null),
    /** read end of a blocking pipe */
    PIPE_R("pipe"),
    /** write end of that pipe (closed by a {@link Step.CloseWriter}) */
    PIPE_W("pipe"),
    /** read end of an O_NONBLOCK pipe */
    NPIPE_R("npipe"),
    /** write end of that pipe */
    NPIPE_W("npipe"),
    /** write end of a pipe whose read end is closed: EPIPE */
    BROKEN_W(null),
    /** an EFD_NONBLOCK eventfd used for I/O and polls, never as a RESFD */
    EFD_IO("efd"),
    /** an EFD_NONBLOCK eventfd used only as the RESFD target, read only by the harness */
    EFD_SIGNAL(null),
    /** -1 */
    MINUS1(null),
    /** a number far above any open descriptor */
    HUGE(null);

    private final String object;

    FdRef(String object) {
        this.object = object;
    }

    /** The open file object behind the descriptor (several fds share the file), or null if none matters. */
    public String object() {
        return object;
    }

    public boolean isFile() {
        return this == FILE || this == FILE_RO || this == FILE_APPEND;
    }
}
