package org.aioemu.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread buffers for the structs a call copies in from the program and parses at once (an
 * iocb, a context's ring id, a timespec): an Arena.ofAuto allocation per call costs more than the
 * fault-safe copy itself on the io_submit/io_getevents hot path. Each is used within one call
 * and never kept.
 */
final class Scratch {
    final MemorySegment iocb;
    final MemorySegment ringId;
    final MemorySegment timespec;

    /** Four zero bytes: what io_submit stores into aio_key (read only). */
    static final MemorySegment ZERO_KEY = Arena.global().allocate(4, 4);

    private static final ThreadLocal<Scratch> MINE = ThreadLocal.withInitial(Scratch::new);

    private Scratch() {
        Arena a = Arena.ofAuto();
        iocb = a.allocate(Iocb.LAYOUT);
        ringId = a.allocate(4, 4);
        timespec = a.allocate(16, 8);
    }

    static Scratch get() {
        return MINE.get();
    }
}
