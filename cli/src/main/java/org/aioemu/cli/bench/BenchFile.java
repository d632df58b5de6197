package org.aioemu.cli.bench;

import static org.aioemu.core.host.HostConstants.O_CLOEXEC;
import static org.aioemu.core.host.HostConstants.O_RDONLY;
import static org.aioemu.core.host.HostConstants.RWF_NOWAIT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

import org.aioemu.core.host.HostErrno;
import org.aioemu.core.host.HostIo;
import org.aioemu.core.host.IoVec;

/**
 * The file the read benchmarks share, made ready so that every variant reads the same page-cached
 * data: created (random bytes) if missing, then read once from end to end.
 */
final class BenchFile {
    private static final int CHUNK = 1 << 20;

    private final Path path;
    private final long size;
    private final boolean created;

    private BenchFile(Path path, long size, boolean created) {
        this.path = path;
        this.size = size;
        this.created = created;
    }

    /**
     * The file at {@code path}, or a file of {@code size} bytes under the temporary directory when
     * {@code path} is null (reused by later runs). A file the user named is never rewritten: if it
     * exists it is read as it is.
     */
    static BenchFile prepare(Path path, long size) throws IOException {
        if (size < RandomReadLoad.BLOCK) throw new IllegalArgumentException("--size must be at least 4k: " + size);
        boolean ours = path == null;
        if (ours) path = Path.of(System.getProperty("java.io.tmpdir"), "aioemu-bench", "files-" + size + ".dat");
        boolean create = !Files.exists(path) || (ours && Files.size(path) != size);
        if (create) write(path, size);
        long actual = Files.size(path);
        if (actual < RandomReadLoad.BLOCK) throw new IllegalArgumentException(path + " is smaller than one 4 KiB block");
        BenchFile f = new BenchFile(path, actual, create);
        f.readFully();
        return f;
    }

    Path path() { return path; }
    long size() { return size; }
    boolean created() { return created; }

    /** A random 4 KiB-aligned offset of a whole block in the file. */
    long randomOffset(SplittableRandom random) {
        return random.nextLong(size / RandomReadLoad.BLOCK) * RandomReadLoad.BLOCK;
    }

    /** Opens the file read-only as a raw fd (for the core); the caller closes it. */
    int openFd() throws IOException {
        int fd = HostIo.open(path.toString(), O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0) throw new IOException("open " + path + ": " + HostErrno.describe(fd));
        return fd;
    }

    /**
     * The share of {@code samples} random blocks the page cache holds, asked with preadv2(RWF_NOWAIT),
     * which reads only from the cache and answers EAGAIN otherwise.
     */
    double cachedFraction(int samples) throws IOException {
        int fd = openFd();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment iov = IoVec.allocate(arena, arena.allocate(RandomReadLoad.BLOCK));
            SplittableRandom random = new SplittableRandom(7);
            int hits = 0;
            for (int i = 0; i < samples; i++) {
                if (HostIo.preadv2(fd, iov, 1, randomOffset(random), RWF_NOWAIT) == RandomReadLoad.BLOCK) hits++;
            }
            return hits / (double) samples;
        } finally {
            HostIo.close(fd);
        }
    }

    private static void write(Path path, long size) throws IOException {
        Files.createDirectories(path.getParent());
        byte[] chunk = new byte[CHUNK];
        new SplittableRandom(1).nextBytes(chunk);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(chunk);
            for (long done = 0; done < size; ) {
                buf.clear().limit((int) Math.min(CHUNK, size - done));
                done += ch.write(buf, done);
            }
        }
    }

    /** Brings the whole file into the page cache. */
    private void readFully() throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
            for (long pos = 0; ; pos += buf.position()) {
                buf.clear();
                if (ch.read(buf, pos) <= 0) break;
            }
        }
    }
}
