package org.aioemu.core;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

import org.aioemu.core.host.FdInfo;

/**
 * One asynchronous I/O request: what to do (operation, host fd, buffers in the caller's memory,
 * offset, flags), an opaque cookie for the ABI, and its life:
 *
 * <pre>
 *   NEW ─submit─▶ QUEUED (worker pool) ──▶ RUNNING ──▶ DONE
 *            ├──▶ WAITING (readiness or fsync barrier; no thread held) ──▶ DONE
 *            └──▶ DONE (fast path / caller)
 *            └──▶ RUNNING (at the host's block layer) ──▶ DONE
 *   QUEUED, WAITING ─cancel─▶ CANCELLED          RUNNING cannot be cancelled
 * </pre>
 *
 * The terminal transition is a CAS, so exactly one path completes a request and its sink is
 * called exactly once. Buffers are never copied: a READ/WRITE names its data segment, a
 * READV/WRITEV names a host {@code struct iovec[]} (both ABIs share the host's iovec layout).
 */
public final class Request {

    public enum Op {
        READ, WRITE, READV, WRITEV, FSYNC, FDATASYNC, POLL, NOOP;

        public boolean isRead() {
            return this == READ || this == READV;
        }

        public boolean isWrite() {
            return this == WRITE || this == WRITEV;
        }

        public boolean isReadWrite() {
            return isRead() || isWrite();
        }

        public boolean isVectored() {
            return this == READV || this == WRITEV;
        }

        public boolean isSync() {
            return this == FSYNC || this == FDATASYNC;
        }
    }

    public enum State { NEW, QUEUED, WAITING, RUNNING, DONE, CANCELLED }

    /** Per-request choices an ABI makes to be faithful to its kernel. */
    public enum Option {
        /** Run on the submitting thread even if it blocks (Linux buffered file and pipe I/O inside io_submit). */
        RUN_ON_CALLER,
        /** A write on a stream completes only when every byte is written (FreeBSD blocking sockets). */
        WRITE_ALL,
        /** An fsync waits until every earlier request of its process on the same file has completed (FreeBSD aio_fsync). */
        ORDERED_SYNC,
        /** Skip the non-blocking attempt; go straight to the worker pool or readiness. */
        NO_FAST_PATH,
        /**
         * An O_DIRECT read or write goes to the host's block layer at submit and cannot be cancelled
         * from then on (Linux aio_read/aio_write on O_DIRECT); without it, it waits for a worker and
         * can be cancelled until one takes it (FreeBSD's aio daemons).
         */
        BLOCK_LAYER
    }

    /** Offset meaning "no position": the request reads or writes a stream at its current point. */
    public static final long NO_OFFSET = -1;

    private static final VarHandle STATE;
    private static final VarHandle RELEASED;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Request.class, "state", int.class);
            RELEASED = MethodHandles.lookup().findVarHandle(Request.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Op op;
    final int fd;
    final MemorySegment buffer;
    final int iovcnt;
    final long offset;
    final int pollEvents;
    int rwFlags;
    int options;
    long cookie;
    Object attachment;
    FdInfo fdInfo;

    // Runtime, owned by the core.
    private volatile int state = State.NEW.ordinal();
    volatile boolean released;
    boolean delivered;       // guarded by the context's monitor
    AioContext context;
    long seq;
    int ownFd = -1;          // our dup of fd while the request is away from its submitter
    int readyAtPark;         // a waiting poll: the file's readiness when it was parked (PollWakeup)
    long progress;           // bytes already moved (partial socket writes, short NOWAIT reads)
    boolean syncTracked;     // counted in its process's SyncBarriers, so its end must be reported there
    long result;
    AioError error;
    CompletionPath path;
    long submitNanos;
    long completeNanos;

    private Request(Op op, int fd, MemorySegment buffer, int iovcnt, long offset, int pollEvents) {
        this.op = op;
        this.fd = fd;
        this.buffer = buffer;
        this.iovcnt = iovcnt;
        this.offset = offset;
        this.pollEvents = pollEvents;
    }

    public static Request read(int fd, MemorySegment buffer, long offset) {
        return new Request(Op.READ, fd, Objects.requireNonNull(buffer), 0, offset, 0);
    }

    public static Request write(int fd, MemorySegment buffer, long offset) {
        return new Request(Op.WRITE, fd, Objects.requireNonNull(buffer), 0, offset, 0);
    }

    /** @param iovecs a host {@code struct iovec[iovcnt]} (see {@link org.aioemu.core.host.IoVec}) */
    public static Request readv(int fd, MemorySegment iovecs, int iovcnt, long offset) {
        return new Request(Op.READV, fd, Objects.requireNonNull(iovecs), iovcnt, offset, 0);
    }

    /** @param iovecs a host {@code struct iovec[iovcnt]} (see {@link org.aioemu.core.host.IoVec}) */
    public static Request writev(int fd, MemorySegment iovecs, int iovcnt, long offset) {
        return new Request(Op.WRITEV, fd, Objects.requireNonNull(iovecs), iovcnt, offset, 0);
    }

    public static Request fsync(int fd) {
        return new Request(Op.FSYNC, fd, MemorySegment.NULL, 0, 0, 0);
    }

    public static Request fdatasync(int fd) {
        return new Request(Op.FDATASYNC, fd, MemorySegment.NULL, 0, 0, 0);
    }

    /** A one-shot readiness wait; {@code events} is a host poll mask (POLLIN, POLLOUT, ...). */
    public static Request poll(int fd, int events) {
        return new Request(Op.POLL, fd, MemorySegment.NULL, 0, 0, events);
    }

    public static Request noop() {
        return new Request(Op.NOOP, -1, MemorySegment.NULL, 0, 0, 0);
    }

    /** An opaque 64-bit value for the ABI (Linux aio_data, FreeBSD the aiocb address). */
    public Request withCookie(long cookie) {
        this.cookie = cookie;
        return this;
    }

    /** Host {@code RWF_*} flags for preadv2/pwritev2; {@code RWF_NOWAIT} makes a would-block an EAGAIN result. */
    public Request withRwFlags(int rwFlags) {
        this.rwFlags = rwFlags;
        return this;
    }

    public Request withOptions(Option... opts) {
        for (Option o : opts) options |= 1 << o.ordinal();
        return this;
    }

    public Request withAttachment(Object attachment) {
        this.attachment = attachment;
        return this;
    }

    /** Hands over a probe the ABI already made, so the core does not fstat the fd again. */
    public Request withFdInfo(FdInfo info) {
        this.fdInfo = info;
        return this;
    }

    public boolean has(Option o) {
        return (options & (1 << o.ordinal())) != 0;
    }

    public Op op() { return op; }
    public int fd() { return fd; }
    public MemorySegment buffer() { return buffer; }
    public int iovcnt() { return iovcnt; }
    public long offset() { return offset; }
    public int pollEvents() { return pollEvents; }
    public int rwFlags() { return rwFlags; }
    public long cookie() { return cookie; }
    public Object attachment() { return attachment; }
    public AioContext context() { return context; }
    public AioProcess process() { return context == null ? null : context.process(); }

    public State state() {
        return State.values()[state];
    }

    /** Byte count, or the poll mask for POLL; meaningful once {@link #isFinished()}. */
    public long result() { return result; }

    /** The error, or null on success; ECANCELED for a cancelled request. */
    public AioError error() { return error; }

    public CompletionPath path() { return path; }

    public boolean isFinished() {
        int s = state;
        return s == State.DONE.ordinal() || s == State.CANCELLED.ordinal();
    }

    /** Nanoseconds from submit to completion ({@link System#nanoTime()} based). */
    public long latencyNanos() {
        return completeNanos - submitNanos;
    }

    /** Total bytes this request asks to move (the iovec total for vectored requests). */
    long length() {
        return op.isVectored()
                ? org.aioemu.core.host.IoVec.totalLength(buffer, iovcnt)
                : buffer.byteSize();
    }

    boolean transition(State from, State to) {
        return STATE.compareAndSet(this, from.ordinal(), to.ordinal());
    }

    /** True the first time only: a request's admission slot is given back once. */
    boolean markReleased() {
        return RELEASED.compareAndSet(this, false, true);
    }

    void setState(State s) {
        state = s.ordinal();
    }

    @Override
    public String toString() {
        return "Request[" + op + " fd=" + fd + " off=" + offset + " cookie=" + cookie + " " + state()
                + (isFinished() ? " -> " + (error != null ? error : result) + " via " + path : "") + "]";
    }
}
