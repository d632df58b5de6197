package org.aioemu.freebsd.shim;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

import org.aioemu.freebsd.FreeBsdErrno;

/**
 * FreeBSD errno numbers to the host's, by name (FreeBSD EAGAIN 35 is the host's EAGAIN 11,
 * EINPROGRESS 36 is 115, ECANCELED 85 is 125): the one table the shim's C boundary uses for
 * errno, aio_error()'s value and the data of kevent errors. A FreeBSD name the host lacks
 * (ENOTCAPABLE, EDOOFUS, ...) stays 0 there, which the C side reports as EIO.
 */
final class FreeBsdHostErrno {
    private FreeBsdHostErrno() {}

    /** Fills {@code map} (int32 per FreeBSD number, {@code map.byteSize() / 4} entries). */
    static void fill(MemorySegment map) {
        long n = map.byteSize() / 4;
        for (int fbsd = 0; fbsd < n; fbsd++) map.setAtIndex(JAVA_INT, fbsd, FreeBsdErrno.toHost(fbsd));
    }
}
