package org.aioemu.freebsd;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.aioemu.core.AioError;
import org.junit.jupiter.api.Test;

/** The FreeBSD amd64 layouts, constants and errno numbers the ABI is built on (sys/sys/aio.h, signal.h, event.h, errno.h). */
class FreeBsdLayoutTest {
    @Test
    void aiocbOffsets() {
        assertEquals(160, FreeBsdAiocb.SIZE);
        assertEquals(0, FreeBsdAiocb.LAYOUT.byteOffset(groupElement("aio_fildes")));
        assertEquals(8, FreeBsdAiocb.LAYOUT.byteOffset(groupElement("aio_offset")));
        assertEquals(16, FreeBsdAiocb.LAYOUT.byteOffset(groupElement("aio_buf")));
        assertEquals(24, FreeBsdAiocb.LAYOUT.byteOffset(groupElement("aio_nbytes")));
        assertEquals(48, FreeBsdAiocb.LAYOUT.byteOffset(groupElement("aio_lio_opcode")));
        assertEquals(52, FreeBsdAiocb.LAYOUT.byteOffset(groupElement("aio_reqprio")));
        assertEquals(56, FreeBsdAiocb.STATUS_OFFSET);
        assertEquals(64, FreeBsdAiocb.ERROR_OFFSET);
        assertEquals(72, FreeBsdAiocb.KERNELINFO_OFFSET);
        assertEquals(80, FreeBsdAiocb.SIGEVENT_OFFSET);
    }

    @Test
    void sigeventKeventTimespec() {
        assertEquals(80, FreeBsdSigevent.LAYOUT.byteSize());
        assertEquals(8, FreeBsdSigevent.LAYOUT.byteOffset(groupElement("sigev_value")));
        assertEquals(16, FreeBsdSigevent.LAYOUT.byteOffset(groupElement("_sigev_un")));
        assertEquals(64, FreeBsdKevent.SIZE);
        assertEquals(8, FreeBsdKevent.LAYOUT.byteOffset(groupElement("filter")));
        assertEquals(10, FreeBsdKevent.LAYOUT.byteOffset(groupElement("flags")));
        assertEquals(12, FreeBsdKevent.LAYOUT.byteOffset(groupElement("fflags")));
        assertEquals(16, FreeBsdKevent.LAYOUT.byteOffset(groupElement("data")));
        assertEquals(24, FreeBsdKevent.LAYOUT.byteOffset(groupElement("udata")));
        assertEquals(32, FreeBsdKevent.LAYOUT.byteOffset(groupElement("ext")));
        assertEquals(16, FreeBsdTimespec.SIZE);
    }

    @Test
    void fieldsRoundTripThroughTheirOwnOffsets() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cb = a.allocate(FreeBsdAiocb.LAYOUT);
            FreeBsdAiocb.setFildes(cb, 7);
            FreeBsdAiocb.setOffset(cb, 1L << 40);
            FreeBsdAiocb.setBuf(cb, 0x1234_5678L);
            FreeBsdAiocb.setNbytes(cb, 99);
            FreeBsdAiocb.setLioOpcode(cb, FreeBsdAioConstants.LIO_READV);
            FreeBsdAiocb.setReqprio(cb, -1);
            MemorySegment sev = FreeBsdAiocb.sigevent(cb);
            FreeBsdSigevent.setNotify(sev, 0, FreeBsdAioConstants.SIGEV_KEVENT);
            FreeBsdSigevent.setKqueue(sev, 0, 5);
            FreeBsdSigevent.setValue(sev, 0, 0xdeadbeefL);
            FreeBsdSigevent.setKeventFlags(sev, 0, FreeBsdAioConstants.EV_ONESHOT);
            FreeBsdAiocb.Value v = FreeBsdAiocb.read(cb);
            assertEquals(7, v.fildes());
            assertEquals(1L << 40, v.offset());
            assertEquals(0x1234_5678L, v.iov());
            assertEquals(99, v.iovcnt());
            assertEquals(FreeBsdAioConstants.LIO_READV, v.opcode());
            assertEquals(-1, v.reqprio());
            assertEquals(FreeBsdAioConstants.SIGEV_KEVENT, v.sigevent().sigevNotify());
            assertEquals(5, v.sigevent().kqueue());
            assertEquals(0xdeadbeefL, v.sigevent().value());
            assertEquals(FreeBsdAioConstants.EV_ONESHOT, v.sigevent().keventFlags());
            assertEquals(FreeBsdAioConstants.EV_ONESHOT, cb.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 96));
        }
    }

    @Test
    void freeBsdNumbers() {
        assertEquals(35, FreeBsdErrno.EAGAIN);
        assertEquals(36, FreeBsdErrno.EINPROGRESS);
        assertEquals(45, FreeBsdErrno.EOPNOTSUPP);
        assertEquals(85, FreeBsdErrno.ECANCELED);
        assertEquals(35, FreeBsdErrno.of(AioError.EAGAIN));
        assertEquals(84, FreeBsdErrno.of(AioError.EOVERFLOW));
        assertEquals(35, FreeBsdErrno.fromHost(-11), "host EAGAIN");
        assertEquals(85, FreeBsdErrno.fromHost(125), "host ECANCELED");
        assertEquals(2, FreeBsdAioConstants.LIO_READ);
        assertEquals(0x18, FreeBsdAioConstants.LIO_DSYNC);
        assertEquals(-3, FreeBsdAioConstants.EVFILT_AIO);
        assertEquals(-10, FreeBsdAioConstants.EVFILT_LIO);
        assertEquals(0x10004, FreeBsdAioConstants.SI_ASYNCIO);
        assertEquals(0x01000000, FreeBsdAioConstants.O_DSYNC);
    }

    @Test
    void timespecTicks() {
        assertFalse(new FreeBsdTimespec.Value(0, -1).valid());
        assertFalse(new FreeBsdTimespec.Value(0, 1_000_000_000L).valid());
        assertFalse(new FreeBsdTimespec.Value(-1, 0).valid());
        assertTrue(new FreeBsdTimespec.Value(0, 0).valid());
        assertEquals(1_000_000L, new FreeBsdTimespec.Value(0, 0).sleepNanos(), "tvtohz: at least one tick");
        assertEquals(3_000_000L, new FreeBsdTimespec.Value(0, 1_500_000).sleepNanos(), "rounded up, plus one tick");
        assertEquals(1_001_000_000L, new FreeBsdTimespec.Value(1, 0).sleepNanos());
        assertTrue(new FreeBsdTimespec.Value(Long.MAX_VALUE, 0).sleepNanos() > 0, "no overflow");
    }
}
