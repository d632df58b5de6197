package org.aioemu.cli.replay;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The bytes replay writes: byte {@code pos} of a write with seed {@code s} is a hash of (s, pos),
 * so any byte read back names the write it came from and where it sat, and a read can be checked
 * without keeping the data. {@code pos} is the file offset (files) or the stream position (pipes).
 */
final class DataPattern {
    private DataPattern() {}

    static byte at(long seed, long pos) {
        return (byte) (word(seed, pos >>> 3) >>> ((pos & 7) << 3));
    }

    /** Fills {@code seg} with the pattern of {@code seed} starting at position {@code pos}. */
    static void fill(MemorySegment seg, long seed, long pos) {
        long n = seg.byteSize();
        long i = 0;
        // byte by byte up to a word boundary of the position, then a word at a time
        for (; i < n && ((pos + i) & 7) != 0; i++) seg.set(ValueLayout.JAVA_BYTE, i, at(seed, pos + i));
        for (; i + 8 <= n; i += 8) seg.set(ValueLayout.JAVA_LONG_UNALIGNED, i, word(seed, (pos + i) >>> 3));
        for (; i < n; i++) seg.set(ValueLayout.JAVA_BYTE, i, at(seed, pos + i));
    }

    /** Offset in {@code seg} of the first byte that is not the pattern, or -1. */
    static long mismatch(MemorySegment seg, long seed, long pos) {
        long n = seg.byteSize();
        for (long i = 0; i < n; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, i) != at(seed, pos + i)) return i;
        }
        return -1;
    }

    /** Offset in {@code seg} of the first non-zero byte, or -1. */
    static long nonZero(MemorySegment seg) {
        long n = seg.byteSize();
        for (long i = 0; i < n; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, i) != 0) return i;
        }
        return -1;
    }

    // The little-endian word at index w; the byte order matches fill()'s unaligned long stores on x86_64.
    private static long word(long seed, long w) {
        long z = seed * 0x9E3779B97F4A7C15L + w;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed from a name (a file's trace path), stable across runs. */
    static long seedOf(String name) {
        long h = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) h = 31 * h + name.charAt(i);
        return h;
    }
}
