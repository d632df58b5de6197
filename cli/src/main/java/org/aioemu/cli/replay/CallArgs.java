package org.aioemu.cli.replay;

import java.util.List;
import org.aioemu.cli.replay.AioStructs.TraceIocb;
import org.aioemu.cli.replay.AioStructs.TraceIoEvent;
import org.aioemu.cli.replay.AioStructs.TraceTimespec;

/**
 * The decoded arguments of one traced call, one record per argument shape. Several syscalls share
 * a shape (read/write/pread64/pwrite64, pipe/pipe2, io_getevents/io_pgetevents); the call's name
 * in {@link TraceCall} tells them apart. Output arguments (the fds pipe2 fills, the events
 * io_getevents returns) are what the program got back, as strace printed them on exit.
 */
public sealed interface CallArgs {

    /** open/openat: {@code dirfd} null for open(2); {@code mode} -1 when the call passed none. */
    record Open(FdRef dirfd, String path, int flags, int mode) implements CallArgs {}

    record Close(FdRef fd) implements CallArgs {}

    /** dup/dup2/dup3: {@code newFd} null for dup. */
    record Dup(FdRef oldFd, FdRef newFd, int flags) implements CallArgs {}

    /** pipe/pipe2: the two fds (read end, write end), empty when the call failed. */
    record Pipe(List<FdRef> fds, int flags) implements CallArgs {}

    record SocketPair(int domain, int type, int protocol, List<FdRef> fds) implements CallArgs {}

    record EventFd(long initval, int flags) implements CallArgs {}

    record Truncate(FdRef fd, long length) implements CallArgs {}

    record Fallocate(FdRef fd, int mode, long offset, long length) implements CallArgs {}

    /** unlink/unlinkat: {@code dirfd} null for unlink(2). */
    record Unlink(FdRef dirfd, String path, int flags) implements CallArgs {}

    /**
     * read/write/pread64/pwrite64: {@code data} is what strace showed of the buffer (null when it
     * printed the address, e.g. a failed read); {@code offset} -1 for read/write.
     */
    record ReadWrite(FdRef fd, TraceBytes data, long count, long offset) implements CallArgs {}

    /** fsync/fdatasync. */
    record Sync(FdRef fd) implements CallArgs {}

    /** {@code ctx} is the context id the call stored (0 when it failed). */
    record IoSetup(int nrEvents, @Hex long ctx) implements CallArgs {}

    record IoDestroy(@Hex long ctx) implements CallArgs {}

    /** {@code truncated}: strace abbreviated the iocb array ("..."), so some iocbs are not shown. */
    record IoSubmit(@Hex long ctx, long nr, List<TraceIocb> iocbs, boolean truncated) implements CallArgs {}

    /**
     * io_getevents/io_pgetevents: the events returned ({@code truncated} when strace abbreviated the
     * array), the timeout (null for NULL) and, for io_pgetevents, whether a signal mask was passed.
     */
    record IoGetevents(@Hex long ctx, long minNr, long nr, List<TraceIoEvent> events, boolean truncated,
                       TraceTimespec timeout, boolean sigmask) implements CallArgs {}

    /** io_cancel: the iocb header strace shows (data, opcode, fd), and the result event when the kernel filled it. */
    record IoCancel(@Hex long ctx, TraceIocb iocb, TraceIoEvent result) implements CallArgs {}
}
