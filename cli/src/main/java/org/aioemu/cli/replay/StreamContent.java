package org.aioemu.cli.replay;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * What a replayed pipe or socket direction carries: the writes in order, each a run of its
 * seed's pattern, so the bytes a read returns can be checked against the writes before it.
 * Bytes of unknown origin (a write whose outcome was lost) make the stream unverifiable from then on.
 */
final class StreamContent {
    private record Chunk(long seed, long start, long len) {}

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private long written;
    private long consumed;
    private boolean unknown;

    /** Appends {@code len} bytes of {@code seed}'s pattern, positions continuing the stream. */
    long append(long seed, long len) {
        if (len > 0) chunks.add(new Chunk(seed, written, len));
        long at = written;
        written += len;
        return at;
    }

    void markUnknown() {
        unknown = true;
    }

    /** Consumes {@code data}'s bytes; the offset of the first that differs from what was written, or -1. */
    long consume(MemorySegment data) {
        long n = data.byteSize();
        long bad = -1;
        long i = 0;
        while (i < n && !chunks.isEmpty()) {
            Chunk c = chunks.peek();
            long from = consumed + i;
            long take = Math.min(n - i, c.start() + c.len() - from);
            if (bad < 0 && !unknown) {
                long m = DataPattern.mismatch(data.asSlice(i, take), c.seed(), from);
                if (m >= 0) bad = i + m;
            }
            i += take;
            if (from + take == c.start() + c.len()) chunks.poll();
        }
        if (i < n && bad < 0 && !unknown) bad = i; // more bytes than were ever written
        consumed += n;
        return bad;
    }
}
