package org.aioemu.conformance.linux.differential;

import static org.aioemu.conformance.linux.KernelLinuxAioLayouts.*;
import static org.aioemu.linux.LinuxAioConstants.*;

import java.util.List;

/**
 * One {@code struct iocb} of a sequence, by meaning: the fd by role, the buffer by kind. It
 * lives in iocb slot {@code slot} for the whole sequence, so its address, and therefore the
 * {@code obj} of its events, is the same slot in both worlds.
 */
public record IocbSpec(int slot, long data, int key, int rwFlags, int opcode, int reqprio, FdRef fd,
                       Buf buf, long nbytes, long offset, long reserved2, int flags, FdRef resfd) {

    /** What goes in {@code aio_buf}. */
    public sealed interface Buf {}

    /** A plain number: a poll mask, or junk in an FSYNC. */
    public record Raw(long value) implements Buf {
        @Override public String toString() {
            return "0x" + Long.toHexString(value);
        }
    }

    /** A buffer of {@code aio_nbytes} bytes. */
    public record At(Ptr ptr) implements Buf {
        @Override public String toString() {
            return ptr.toString();
        }
    }

    /** A {@code struct iovec[]} at {@code array}; {@code aio_nbytes} is the count handed over. */
    public record Vec(Ptr array, List<Iov> iovs) implements Buf {
        @Override public String toString() {
            return array + iovs.toString();
        }
    }

    public record Iov(Ptr base, long len) {
        @Override public String toString() {
            return base + ":" + len;
        }
    }

    public boolean isSync() {
        return opcode == IOCB_CMD_FSYNC || opcode == IOCB_CMD_FDSYNC;
    }

    public boolean isPoll() {
        return opcode == IOCB_CMD_POLL;
    }

    public boolean isRead() {
        return opcode == IOCB_CMD_PREAD || opcode == IOCB_CMD_PREADV;
    }

    public boolean isWrite() {
        return opcode == IOCB_CMD_PWRITE || opcode == IOCB_CMD_PWRITEV;
    }

    public IocbSpec withSlot(int newSlot) {
        return new IocbSpec(newSlot, data, key, rwFlags, opcode, reqprio, fd, buf, nbytes, offset, reserved2, flags, resfd);
    }

    public IocbSpec withRwFlags(int newFlags) {
        return new IocbSpec(slot, data, key, newFlags, opcode, reqprio, fd, buf, nbytes, offset, reserved2, flags, resfd);
    }

    public IocbSpec withFd(FdRef newFd) {
        return new IocbSpec(slot, data, key, rwFlags, opcode, reqprio, newFd, buf, nbytes, offset, reserved2, flags, resfd);
    }

    public IocbSpec withNbytes(long n) {
        return new IocbSpec(slot, data, key, rwFlags, opcode, reqprio, fd, buf, n, offset, reserved2, flags, resfd);
    }

    /** Bytes a read or write could move at most (0 when the count is invalid). */
    public long transferLength() {
        return switch (buf) {
            case Vec v -> nbytes < 0 || nbytes > v.iovs().size() ? 0
                    : v.iovs().stream().limit(nbytes).mapToLong(i -> Math.max(0, i.len())).sum();
            default -> Math.max(0, nbytes);
        };
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("iocb").append(slot).append('{').append(opName(opcode))
                .append(' ').append(fd).append(" buf=").append(buf).append(" n=").append(nbytes)
                .append(" off=").append(offset);
        if (rwFlags != 0) b.append(" rwf=0x").append(Integer.toHexString(rwFlags));
        if (flags != 0) b.append(" flags=0x").append(Integer.toHexString(flags)).append(" resfd=").append(resfd);
        if ((flags & IOCB_FLAG_IOPRIO) != 0) b.append(" prio=0x").append(Integer.toHexString(reqprio & 0xffff));
        if (reserved2 != 0) b.append(" reserved2=").append(reserved2);
        if (key != 0) b.append(" key=0x").append(Integer.toHexString(key));
        return b.append(" data=0x").append(Long.toHexString(data)).append('}').toString();
    }

    static String opName(int opcode) {
        return switch (opcode) {
            case IOCB_CMD_PREAD -> "PREAD";
            case IOCB_CMD_PWRITE -> "PWRITE";
            case IOCB_CMD_FSYNC -> "FSYNC";
            case IOCB_CMD_FDSYNC -> "FDSYNC";
            case IOCB_CMD_POLL -> "POLL";
            case IOCB_CMD_NOOP -> "NOOP";
            case IOCB_CMD_PREADV -> "PREADV";
            case IOCB_CMD_PWRITEV -> "PWRITEV";
            default -> "op" + opcode;
        };
    }
}
