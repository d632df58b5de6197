package org.aioemu.conformance.linux;

import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_FDSYNC;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_FSYNC;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_POLL;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PREAD;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PREADV;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PWRITE;
import static org.aioemu.linux.LinuxAioConstants.IOCB_CMD_PWRITEV;
import static org.aioemu.linux.LinuxAioConstants.IOCB_FLAG_RESFD;

import java.lang.foreign.MemorySegment;

import org.aioemu.linux.Iocb;

/**
 * What libaio's io_prep_* helpers do to a struct iocb (libaio.h): clear it, then fill the
 * opcode's fields, so the ported suites build their iocbs the way the originals did.
 */
final class IocbPrep {
    private IocbPrep() {}

    static MemorySegment rw(MemorySegment cb, int opcode, int fd, long buf, long nbytes, long offset) {
        cb.fill((byte) 0);
        Iocb.aio_lio_opcode(cb, opcode);
        Iocb.aio_fildes(cb, fd);
        Iocb.aio_buf(cb, buf);
        Iocb.aio_nbytes(cb, nbytes);
        Iocb.aio_offset(cb, offset);
        return cb;
    }

    static MemorySegment pread(MemorySegment cb, int fd, MemorySegment buf, long offset) {
        return rw(cb, IOCB_CMD_PREAD, fd, buf.address(), buf.byteSize(), offset);
    }

    static MemorySegment pwrite(MemorySegment cb, int fd, MemorySegment buf, long offset) {
        return rw(cb, IOCB_CMD_PWRITE, fd, buf.address(), buf.byteSize(), offset);
    }

    /** io_prep_preadv: aio_buf is the iovec array, aio_nbytes the iovec count. */
    static MemorySegment preadv(MemorySegment cb, int fd, long iov, int iovcnt, long offset) {
        return rw(cb, IOCB_CMD_PREADV, fd, iov, iovcnt, offset);
    }

    static MemorySegment pwritev(MemorySegment cb, int fd, long iov, int iovcnt, long offset) {
        return rw(cb, IOCB_CMD_PWRITEV, fd, iov, iovcnt, offset);
    }

    static MemorySegment fsync(MemorySegment cb, int fd) {
        return rw(cb, IOCB_CMD_FSYNC, fd, 0, 0, 0);
    }

    static MemorySegment fdsync(MemorySegment cb, int fd) {
        return rw(cb, IOCB_CMD_FDSYNC, fd, 0, 0, 0);
    }

    /** io_prep_poll: the event mask travels in aio_buf. */
    static MemorySegment poll(MemorySegment cb, int fd, int events) {
        return rw(cb, IOCB_CMD_POLL, fd, events, 0, 0);
    }

    /** io_set_eventfd. */
    static MemorySegment eventfd(MemorySegment cb, int efd) {
        Iocb.aio_flags(cb, Iocb.aio_flags(cb) | IOCB_FLAG_RESFD);
        Iocb.aio_resfd(cb, efd);
        return cb;
    }
}
