package org.aioemu.freebsd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.aioemu.core.host.ForeignMemory;

/**
 * The kernel's copyin/copyout, fuword/suword on the program's memory by raw address: a bad
 * pointer is EFAULT, never a fault in the JVM (every access goes through {@link ForeignMemory}).
 * Small copies land in a per-thread scratch area, which the caller parses before its next copy.
 */
final class FreeBsdUserMemory {
    private FreeBsdUserMemory() {}

    private static final long SCRATCH_SIZE = 256;
    private static final ThreadLocal<MemorySegment> SCRATCH =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SCRATCH_SIZE, 16));
    private static final ThreadLocal<MemorySegment> WORD =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(8, 8));

    /** {@code len} bytes at {@code addr}, in this thread's scratch (len up to 256) or a fresh segment; null on a fault. */
    static MemorySegment copyin(long addr, long len) {
        MemorySegment dst = len <= SCRATCH_SIZE ? SCRATCH.get() : Arena.ofAuto().allocate(Math.max(len, 1), 16);
        return ForeignMemory.copyIn(addr, dst, len) == 0 ? dst.asSlice(0, len) : null;
    }

    /** Like {@link #copyin} into memory the caller keeps (the kernel's own copy of an iovec array, say). */
    static MemorySegment copyinKept(long addr, long len) {
        MemorySegment dst = Arena.ofAuto().allocate(Math.max(len, 1), 16);
        return ForeignMemory.copyIn(addr, dst, len) == 0 ? dst.asSlice(0, len) : null;
    }

    /** 0, or EFAULT (FreeBSD's number). */
    static int copyout(MemorySegment src, long addr) {
        return ForeignMemory.copyOut(src, addr, src.byteSize()) == 0 ? 0 : FreeBsdErrno.EFAULT;
    }

    /** suword(): stores one long; false on a fault (callers that ignore it do so as the kernel does). */
    static boolean suword(long addr, long value) {
        MemorySegment w = WORD.get();
        w.set(ValueLayout.JAVA_LONG, 0, value);
        return ForeignMemory.copyOut(w, addr, 8) == 0;
    }

    private static final ThreadLocal<MemorySegment> PRIVATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(24, 8));

    /**
     * Stores the aiocb's _aiocb_private words from status on: {status, error} or {status, error,
     * kernelinfo}, in one copy (they are adjacent); a fault is ignored, as the kernel's suword
     * results are.
     */
    static void storePrivate(long ujob, long... words) {
        MemorySegment w = PRIVATE.get();
        for (int i = 0; i < words.length; i++) w.setAtIndex(ValueLayout.JAVA_LONG, i, words[i]);
        ForeignMemory.copyOut(w, ujob + FreeBsdAiocb.STATUS_OFFSET, 8L * words.length);
    }

    /** fuword(): loads one long, or -1 on a fault (the kernel's fuword cannot tell them apart either). */
    static long fuword(long addr) {
        MemorySegment w = WORD.get();
        return ForeignMemory.copyIn(addr, w, 8) == 0 ? w.get(ValueLayout.JAVA_LONG, 0) : -1;
    }

    /** True if {@code addr} can be read now (used to tell a fault from a short transfer). */
    static boolean readable(long addr) {
        return ForeignMemory.copyIn(addr, WORD.get(), 1) == 0;
    }
}
