package org.aioemu.conformance.linux.differential;

import static org.aioemu.core.host.HostConstants.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.aioemu.core.host.HostIo;

/**
 * One world's real fds for one sequence: a regular file (three ways open, plus O_PATH), its
 * directory, a blocking pipe, an O_NONBLOCK pipe, a pipe with no reader, and two EFD_NONBLOCK
 * eventfds. Both worlds start from identical contents in their own directory.
 */
public final class Fixtures implements AutoCloseable {
    /** Far above any descriptor this process opens: EBADF. */
    static final int HUGE_FD = 999_999;

    private final Path dir;
    private final Path file;
    private final Map<FdRef, Integer> fds = new EnumMap<>(FdRef.class);
    private boolean writerClosed;

    public Fixtures(Path dir, Sequence.FixtureSpec spec) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.dir = dir;
        file = dir.resolve("data");
        String path = file.toString();
        int rw = check(HostIo.open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), "open");
        fds.put(FdRef.FILE, rw);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment content = a.allocate(Math.max(1, spec.fileSize()));
            for (int j = 0; j < spec.fileSize(); j += 8192) {
                pattern(content, j, spec.patternSalt(), j, Math.min(8192, spec.fileSize() - j));
            }
            if (HostIo.pwrite(rw, content, spec.fileSize(), 0) != spec.fileSize()) throw new IllegalStateException("fixture write");
            fds.put(FdRef.FILE_RO, check(HostIo.open(path, O_RDONLY | O_CLOEXEC, 0), "open ro"));
            fds.put(FdRef.FILE_APPEND, check(HostIo.open(path, O_WRONLY | O_APPEND | O_CLOEXEC, 0), "open append"));
            fds.put(FdRef.DIR, check(HostIo.open(dir.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0), "open dir"));
            fds.put(FdRef.OPATH, check(HostIo.open(path, O_PATH | O_CLOEXEC, 0), "open path"));
            int[] p = new int[2];
            check(HostIo.pipe2(p, O_CLOEXEC), "pipe");
            fds.put(FdRef.PIPE_R, p[0]);
            fds.put(FdRef.PIPE_W, p[1]);
            check(HostIo.pipe2(p, O_CLOEXEC | O_NONBLOCK), "pipe");
            fds.put(FdRef.NPIPE_R, p[0]);
            fds.put(FdRef.NPIPE_W, p[1]);
            check(HostIo.pipe2(p, O_CLOEXEC), "pipe");
            HostIo.close(p[0]);
            fds.put(FdRef.BROKEN_W, p[1]);
            fds.put(FdRef.EFD_IO, check(HostIo.eventfd((int) spec.eventfdInitial(), EFD_NONBLOCK | EFD_CLOEXEC), "eventfd"));
            fds.put(FdRef.EFD_SIGNAL, check(HostIo.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd"));
            if (spec.pipePrefill() > 0) {
                MemorySegment pre = a.allocate(spec.pipePrefill());
                pattern(pre, 0, spec.patternSalt() + 1, 0, spec.pipePrefill());
                if (HostIo.write(p(FdRef.PIPE_W), pre, spec.pipePrefill()) != spec.pipePrefill()) throw new IllegalStateException("prefill");
            }
        }
    }

    private int p(FdRef r) {
        return fds.get(r);
    }

    /** The fd number the role has in this world (-1 and a huge number for the bad ones). */
    public int fd(FdRef r) {
        return switch (r) {
            case MINUS1 -> -1;
            case HUGE -> HUGE_FD;
            default -> fds.get(r);
        };
    }

    public boolean isClosed(FdRef r) {
        return r == FdRef.PIPE_W && writerClosed;
    }

    /** Closes the blocking pipe's write end (its number may then be reused: never use it again). */
    public int closeWriter() {
        writerClosed = true;
        return HostIo.close(fds.get(FdRef.PIPE_W));
    }

    /** The regular file's whole contents. */
    public byte[] fileContents() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything left in a pipe, read without blocking. */
    public byte[] drain(FdRef readEnd) {
        int fd = fd(readEnd);
        HostIo.setNonBlocking(fd, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(4096);
            long n;
            while ((n = HostIo.read(fd, buf, 4096)) > 0) out.writeBytes(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
        }
        return out.toByteArray();
    }

    // the pattern repeats every 26 bytes: a window of it, copied from, fills any run at once
    private static final byte[] LETTERS = new byte[26 + 8192];

    static {
        for (int i = 0; i < LETTERS.length; i++) LETTERS[i] = (byte) ('a' + i % 26);
    }

    /** Writes the letters of pattern {@code salt} for positions [from, from+len) at {@code dst}+{@code off}; len at most 8192. */
    static void pattern(MemorySegment dst, long off, int salt, long from, int len) {
        MemorySegment.copy(LETTERS, Math.floorMod(salt * 7L + from, 26), dst, ValueLayout.JAVA_BYTE, off, len);
    }

    private static int check(int rc, String what) {
        if (rc < 0) throw new IllegalStateException(what + ": errno " + -rc);
        return rc;
    }

    @Override
    public void close() {
        for (Map.Entry<FdRef, Integer> e : fds.entrySet()) {
            if (e.getKey() == FdRef.PIPE_W && writerClosed) continue;
            HostIo.close(e.getValue());
        }
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
