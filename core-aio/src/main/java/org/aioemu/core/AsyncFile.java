package org.aioemu.core;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.aioemu.core.host.HostErrno;
import org.aioemu.core.host.HostIo;

/**
 * The core for Java programs: positional reads and writes on a file descriptor, each answered by
 * a {@link CompletionStage} with the byte count. A page-cached read completes on the calling
 * thread before {@code read} returns; the rest complete on a worker or the poller, so attach
 * only quick stages (or use the *Async variants with an executor of your own).
 *
 * <pre>{@code
 * try (AioSystem aio = AioSystem.start();
 *      AsyncFile f = AsyncFile.open(aio, path, HostConstants.O_RDWR | HostConstants.O_CREAT)) {
 *     MemorySegment buf = Arena.ofAuto().allocate(4096);
 *     long n = f.read(buf, 0).toCompletableFuture().join();
 * }
 * }</pre>
 */
public final class AsyncFile implements AutoCloseable {
    private final int fd;
    private final boolean ownsFd;
    private final AioProcess process;
    private final AioContext context;

    private AsyncFile(AioSystem system, int fd, boolean ownsFd) {
        this.fd = fd;
        this.ownsFd = ownsFd;
        this.process = system.newProcess("java-fd-" + fd, ExitPolicy.DRAIN);
        try {
            this.context = process.newContext(Integer.MAX_VALUE, AsyncFile::settle);
        } catch (AioException e) {
            throw new IllegalStateException(e);   // a new process is never in rundown
        }
    }

    /** Opens {@code path} with host open(2) flags ({@link org.aioemu.core.host.HostConstants}); mode 0644 on create. */
    public static AsyncFile open(AioSystem system, java.nio.file.Path path, int openFlags) throws IOException {
        int fd = HostIo.open(path.toString(), openFlags, 0644);
        if (fd < 0) throw new IOException("open " + path + ": " + HostErrno.describe(-fd));
        return new AsyncFile(system, fd, true);
    }

    /** Uses an fd the caller owns and keeps open until this is closed. */
    public static AsyncFile of(AioSystem system, int fd) {
        return new AsyncFile(system, fd, false);
    }

    public int fd() { return fd; }

    public CompletionStage<Long> read(MemorySegment dst, long position) {
        return submit(Request.read(fd, dst, position));
    }

    public CompletionStage<Long> write(MemorySegment src, long position) {
        return submit(Request.write(fd, src, position));
    }

    public CompletionStage<Long> fsync() {
        return submit(Request.fsync(fd));
    }

    private CompletionStage<Long> submit(Request r) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        r.withAttachment(f);
        try {
            context.submit(r);
        } catch (AioException e) {
            f.completeExceptionally(new IOException(e.getMessage()));
        }
        return f;
    }

    @SuppressWarnings("unchecked")
    private static void settle(Request r) {
        r.context().release(r);
        CompletableFuture<Long> f = (CompletableFuture<Long>) r.attachment();
        if (r.error() == null) f.complete(r.result());
        else f.completeExceptionally(new IOException(r.op() + " fd " + r.fd() + ": " + r.error()));
    }

    /** Waits for every request in flight, then closes the fd if this opened it. */
    @Override
    public void close() {
        process.exit(ExitPolicy.DRAIN, (Duration) null);
        if (ownsFd) HostIo.close(fd);
    }
}
