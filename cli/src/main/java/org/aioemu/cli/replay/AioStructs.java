package org.aioemu.cli.replay;

import static org.aioemu.linux.LinuxAioConstants.*;

import java.util.List;

/** The Linux AIO structures as strace decodes them, field for field (addresses as the program had them). */
public final class AioStructs {
    private AioStructs() {}

    /**
     * One {@code struct iocb}. {@code buf} is aio_buf when strace printed it as a number (reads;
     * the event mask of a POLL); null when it printed the data instead ({@code bufData}, PWRITE)
     * or an iovec array ({@code iov}, PREADV/PWRITEV, whose count is {@code nbytes}). strace
     * prints no aio_flags/aio_resfd for FSYNC, FDSYNC and NOOP, nor for the header io_cancel shows.
     * {@code address} is where the iocb was in the program, when the tracer knows it (strace does
     * not print it; a recorder inside the process can), so events can be matched by their obj.
     */
    public record TraceIocb(@Hex long data, int key, int rwFlags, int opcode, int reqprio, FdRef fd,
                            @Hex Long buf, TraceBytes bufData, List<TraceIovec> iov,
                            long nbytes, long offset, int flags, FdRef resfd, @Hex Long address) {
        public boolean vectored() {
            return opcode == IOCB_CMD_PREADV || opcode == IOCB_CMD_PWRITEV;
        }

        public boolean writes() {
            return opcode == IOCB_CMD_PWRITE || opcode == IOCB_CMD_PWRITEV;
        }

        public boolean reads() {
            return opcode == IOCB_CMD_PREAD || opcode == IOCB_CMD_PREADV;
        }

        /** Bytes the request asks to move: nbytes, or the sum of the iovec lengths. */
        public long transferLength() {
            if (iov == null) return reads() || writes() ? nbytes : 0;
            long sum = 0;
            for (TraceIovec v : iov) sum += v.len();
            return sum;
        }

        /** Whether strace's output could show aio_flags for this opcode (it omits them for the rest). */
        public boolean flagsShown() {
            return switch (opcode) {
                case IOCB_CMD_PREAD, IOCB_CMD_PWRITE, IOCB_CMD_PREADV, IOCB_CMD_PWRITEV, IOCB_CMD_POLL -> true;
                default -> false;
            };
        }
    }

    /** One {@code struct iovec}: {@code base} null when strace printed the data ({@code data}) instead. */
    public record TraceIovec(@Hex Long base, TraceBytes data, long len) {}

    /** One {@code struct io_event}. */
    public record TraceIoEvent(@Hex long data, @Hex long obj, long res, long res2) {}

    /** One {@code struct timespec}. */
    public record TraceTimespec(long sec, long nsec) {
        public long toNanos() {
            return sec * 1_000_000_000L + nsec;
        }

        /** What the kernel's timespec64_valid() accepts, below ~31 years so that toNanos() cannot overflow. */
        public boolean valid() {
            return sec >= 0 && sec < 1_000_000_000L && nsec >= 0 && nsec < 1_000_000_000L;
        }
    }

    public static String opcodeName(int opcode) {
        return switch (opcode) {
            case IOCB_CMD_PREAD -> "PREAD";
            case IOCB_CMD_PWRITE -> "PWRITE";
            case IOCB_CMD_FSYNC -> "FSYNC";
            case IOCB_CMD_FDSYNC -> "FDSYNC";
            case 4 -> "PREADX";
            case IOCB_CMD_POLL -> "POLL";
            case IOCB_CMD_NOOP -> "NOOP";
            case IOCB_CMD_PREADV -> "PREADV";
            case IOCB_CMD_PWRITEV -> "PWRITEV";
            default -> "OP" + opcode;
        };
    }
}
