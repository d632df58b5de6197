package org.aioemu.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The content models reads are checked against: what they accept and, above all, what they reject. */
class FileContentTest {
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    private MemorySegment pattern(long seed, long pos, int len) {
        MemorySegment s = arena.allocate(len);
        DataPattern.fill(s, seed, pos);
        return s;
    }

    @Test
    @DisplayName("base pattern, a completed write over it, and the hole past the base each check; a wrong byte is found where it is")
    void checksEachSource() {
        FileContent f = new FileContent(1, 100);
        FileContent.PendingWrite w = f.begin(50, 70);
        f.complete(w, 20, 9, 1);
        MemorySegment read = arena.allocate(120);
        read.asSlice(0, 50).copyFrom(pattern(1, 0, 50));
        read.asSlice(50, 20).copyFrom(pattern(9, 50, 20));
        read.asSlice(70, 30).copyFrom(pattern(1, 70, 30));
        // 100..119 stay zero: a hole
        FileContent.Check ok = f.check(read, 0, 2);
        assertTrue(ok.ok());
        assertEquals(120, ok.verified());
        read.set(ValueLayout.JAVA_BYTE, 60, (byte) ~read.get(ValueLayout.JAVA_BYTE, 60));
        FileContent.Check bad = f.check(read, 0, 2);
        assertEquals(60, bad.mismatchAt());
        assertTrue(bad.expected().contains("write"));
    }

    @Test
    @DisplayName("bytes of a write in flight, or applied after the read was issued, are not checked")
    void racingWritesAreSkipped() {
        FileContent f = new FileContent(1, 100);
        FileContent.PendingWrite w = f.begin(0, 10);
        MemorySegment garbage = arena.allocate(20);
        garbage.fill((byte) 0x5a);
        FileContent.Check during = f.check(garbage.asSlice(0, 10), 0, 5);
        assertTrue(during.ok());
        assertEquals(0, during.verified());
        f.complete(w, 10, 3, 6);
        assertTrue(f.check(garbage.asSlice(0, 10), 0, 5).ok(), "issued at 5, the write landed at 6");
        assertEquals(0, f.check(garbage.asSlice(0, 10), 0, 7).mismatchAt(), "issued after it: checked");
    }

    @Test
    @DisplayName("two overlapping writes in flight together leave their overlap unknown, whichever finishes last")
    void overlappingWritesBecomeUnknown() {
        FileContent f = new FileContent(1, 0);
        FileContent.PendingWrite a = f.begin(0, 20), b = f.begin(10, 30);
        f.complete(b, 20, 2, 1);
        f.complete(a, 20, 1, 2);
        MemorySegment read = arena.allocate(30);
        read.asSlice(0, 10).copyFrom(pattern(1, 0, 10));
        read.asSlice(10, 10).fill((byte) 0x77); // anything: the kernel decided
        read.asSlice(20, 10).copyFrom(pattern(2, 20, 10));
        FileContent.Check c = f.check(read, 0, 10);
        assertTrue(c.ok());
        assertEquals(20, c.verified());
    }

    @Test
    @DisplayName("truncation drops what lay past the new end: growing back reads zeros")
    void truncation() {
        FileContent f = new FileContent(1, 100);
        f.truncate(40, 1);
        MemorySegment read = arena.allocate(100);
        read.asSlice(0, 40).copyFrom(pattern(1, 0, 40));
        assertTrue(f.check(read, 0, 2).ok());
        read.asSlice(40, 60).copyFrom(pattern(1, 40, 60));
        assertEquals(40, f.check(read, 0, 2).mismatchAt());
    }

    @Test
    @DisplayName("a stream hands back its writes in order; a reordered or invented byte is caught")
    void streams() {
        StreamContent s = new StreamContent();
        long at = s.append(5, 10);
        s.append(6, 10);
        MemorySegment first = pattern(5, at, 10);
        assertEquals(-1, s.consume(first.asSlice(0, 4)));
        assertEquals(-1, s.consume(first.asSlice(4, 6)));
        MemorySegment wrong = pattern(5, 10, 10);
        assertEquals(0, s.consume(wrong), "the second write's bytes, not the first's continued");
        assertEquals(0, s.consume(arena.allocate(1)), "nothing more was written");
    }
}
